import { z } from 'zod';
import { SPEED_MAX } from '../../sim/clock/scaled-clock.ts';
import { conditionsSchema, cohortSchema as sharedCohort } from '../../sim/cohort-schema.ts';
import { parseDuration } from '../../sim/duration.ts';
import { REASONS } from '../../sim/reasons.ts';

/**
 * The scenario file format, as one schema: it validates files (with errors that name the file, line
 * and field), gives the runner its types, and is published as JSON Schema for editors
 * (scenarios/scenario.schema.json, generated; a test fails when it is stale).
 */

const duration = z
  .string()
  .refine((s) => {
    try {
      parseDuration(s);
    } catch {
      return false;
    }
    return true;
  }, 'a duration such as 90s, 15m, 8h, 30d or PT15M')
  .describe('A duration: 90s, 15m, 8h, 30d, 250ms, or ISO 8601 (PT15M)');

const SPEC_ID = /^(W|R|D|F|S)(-(KEEP|PROT|IOS|DA|AE|MAC|WIN))?-\d+$/;

const conditions = conditionsSchema;

/** A scenario's cohort: the shared cohort schema, with a name targets can use. */
export const cohortSchema = sharedCohort
  .extend({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name of letters, digits, _ and -')
      .describe('Names the cohort in targets and reports'),
    count: z.number().int().min(1).max(10_000),
  })
  .describe('A cohort of devices');

/** Which devices a step or expectation is about: a cohort (all of it, or one by index), or every device. */
const target = z.union([
  z.literal('all'),
  z.strictObject({ cohort: z.string(), index: z.number().int().nonnegative().optional() }),
]);

const wipeOptions = z.strictObject({
  keepEnrollmentData: z.boolean().optional(),
  keepUserData: z.boolean().optional(),
  useProtectedWipe: z.boolean().optional(),
  macOsUnlockCode: z.string().optional(),
  persistEsimDataPlan: z.boolean().optional(),
});

const stepBase = {
  at: duration.describe('When, from the start of the scenario'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a name of letters, digits, _ and -')
    .optional()
    .describe('Names the step, for expectations that refer to it'),
};
const adminBase = {
  ...stepBase,
  target,
  /** The service must refuse it with this reason code (W-3, W-4, …). */
  expectRefused: z
    .enum(['notFound', ...Object.keys(REASONS)] as [string, ...string[]])
    .optional()
    .describe(
      'The service must refuse it with this reason; notFound: the record is gone (Graph answers 404)',
    ),
};

export const actionStepSchema = z.discriminatedUnion('do', [
  z.strictObject({ ...adminBase, do: z.literal('wipe'), options: wipeOptions.optional() }),
  z.strictObject({ ...adminBase, do: z.literal('retire') }),
  z.strictObject({ ...adminBase, do: z.literal('freshStart'), keepUserData: z.boolean() }),
  z.strictObject({ ...adminBase, do: z.literal('sync') }),
  z.strictObject({ ...adminBase, do: z.literal('delete') }),
  z.strictObject({
    ...adminBase,
    do: z.literal('companyPortal'),
    action: z.enum(['retire', 'wipe', 'sync']),
    user: z.string().optional(),
  }),
  z.strictObject({
    ...stepBase,
    do: z.literal('cleanupSettings'),
    days: z.number().int(),
    expectRefused: z.literal(true).optional(),
  }),
  z.strictObject({ ...stepBase, do: z.literal('deleteUser'), user: z.string() }),
  z.strictObject({ ...stepBase, do: z.literal('deleteAzureAdDevice'), target }),
  z.strictObject({ ...stepBase, do: z.literal('abm'), target, assigned: z.boolean() }),
  z.strictObject({ ...stepBase, do: z.literal('power'), target, on: z.boolean() }),
  z.strictObject({ ...stepBase, do: z.literal('network'), target, online: z.boolean() }),
  z.strictObject({
    ...stepBase,
    do: z.literal('pushChannel'),
    channel: z.enum(['APNs', 'WNS', 'FCM']),
    up: z.boolean(),
  }),
  z.strictObject({
    ...stepBase,
    do: z.literal('fault'),
    target,
    conditions: conditions.optional(),
    bitLocker: z.boolean().optional(),
    recoveryEnvironmentHealthy: z.boolean().optional(),
  }),
  z.strictObject({ ...stepBase, do: z.literal('enrollAgain'), target }),
  z.strictObject({ ...stepBase, do: z.literal('restartService') }),
]);

/** all / any / at least a share of the devices (for example "95%"). */
const quantifier = z.union([
  z.literal('all'),
  z.literal('any'),
  z.string().regex(/^\d{1,3}(\.\d+)?%$/, 'all, any, or a share such as 95%'),
]);

/** A fact about a device's state: a dotted path, optionally with [field=value] selectors, and what it must be. */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const factValue = z.union([
  scalar,
  z
    .strictObject({
      count: z.number().int().nonnegative().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .describe('The number of items in a list'),
  z.strictObject({ not: scalar }).describe('Not equal to this value'),
  z.strictObject({ oneOf: z.array(scalar).min(2) }).describe('Equal to one of these values'),
  z
    .strictObject({ everyIfAny: scalar })
    .describe('Every item equals this value, if there are any (holds on an empty list)'),
]);

const expectBase = {
  id: z.string().optional(),
  specIds: z.array(z.string().regex(SPEC_ID, 'a behaviour-spec rule id')).optional(),
};

export const expectationSchema = z.discriminatedUnion('expect', [
  z.strictObject({
    ...expectBase,
    expect: z.literal('acknowledged'),
    of: z.string().describe('The id of the action step'),
    within: duration,
    not: z.boolean().optional().describe('The promise must NOT hold (a push outage, for example)'),
    devices: quantifier.optional(),
  }),
  z.strictObject({
    ...expectBase,
    expect: z.literal('completed'),
    of: z.string(),
    within: duration,
    status: z
      .enum(['done', 'failed', 'notSupported', 'canceled'])
      .optional()
      .describe('canceled: the device left management before the action ran'),
    reasonCode: z.string().optional(),
    devices: quantifier.optional(),
  }),
  z.strictObject({
    ...expectBase,
    expect: z.literal('pending'),
    of: z.string(),
    at: duration,
    actionState: z.enum(['pending', 'active', 'canceled']).optional(),
    devices: quantifier.optional(),
  }),
  z.strictObject({
    ...expectBase,
    expect: z.literal('propagation'),
    of: z.string(),
    percentile: z.number().min(0).max(100),
    below: duration,
  }),
  z.strictObject({
    ...expectBase,
    expect: z.literal('state'),
    at: duration,
    target,
    facts: z.record(z.string(), factValue),
    devices: quantifier.optional(),
  }),
  z.strictObject({
    ...expectBase,
    expect: z.literal('record'),
    at: duration,
    target,
    listed: z.boolean().optional(),
    managementState: z.string().optional(),
    reappeared: z.boolean().optional(),
    newRecord: z
      .boolean()
      .optional()
      .describe('The device is now a different managedDevice record (new id) than at the start (D-9)'),
    sameRecord: z.boolean().optional().describe('The device is still the record it enrolled as'),
    devices: quantifier.optional(),
  }),
]);

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    specIds: z
      .array(z.string().regex(SPEC_ID, 'a behaviour-spec rule id'))
      .optional()
      .describe('The behaviour-spec rules this scenario checks (the library requires them)'),
    seed: z.union([z.string(), z.number()]).optional(),
    clock: z
      .union([
        z.strictObject({ mode: z.literal('virtual') }),
        z.strictObject({ mode: z.literal('scaled'), speed: z.number().positive().max(SPEED_MAX) }),
      ])
      .optional(),
    include: z.array(z.string()).optional().describe('Files of shared cohorts, relative to this file'),
    fleet: z.array(cohortSchema).optional(),
    timeline: z.array(actionStepSchema).optional(),
    expect: z.array(expectationSchema).min(1),
    /** How long to run after the last step and expectation; default: until every expectation is due. */
    runFor: duration.optional(),
  })
  .describe('A fleetsim QA scenario');

/** A file of shared cohorts, for `include`. */
export const cohortFileSchema = z.strictObject({ cohorts: z.array(cohortSchema).min(1) });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof actionStepSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
export type ScenarioCohort = z.infer<typeof cohortSchema>;
export type Target = z.infer<typeof target>;
export type FactValue = z.infer<typeof factValue>;

/** The JSON Schema editors read (published at scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    // Stryker disable next-line ObjectLiteral,StringLiteral: the schema has no transforms or defaults (input and output agree) and no type JSON Schema cannot say, so today the defaults give the same file
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://fleetsim.dev/scenario.schema.json',
    title: 'fleetsim scenario',
  };
}
