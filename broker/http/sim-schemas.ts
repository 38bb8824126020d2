import { z } from 'zod';
import { SPEED_MAX } from '../../sim/clock/scaled-clock.ts';
import { cohortSchema, conditionsSchema } from '../../sim/cohort-schema.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';

/**
 * The /sim API's request bodies and answers, once: the routes validate bodies with these schemas
 * and type their answers with them, and /openapi.json is generated from them (`openapi-schemas.ts`),
 * so the document cannot drift from what the server takes and gives.
 */

export const SIM_BODIES = {
  advance: z.strictObject({ by: z.string().min(1).describe('A duration: "90s", "15m", "2h", "30d"') }),
  speed: z.strictObject({ speed: z.number().positive().max(SPEED_MAX) }),
  enroll: z.strictObject({
    seed: z.string().optional(),
    cohorts: z
      .array(cohortSchema.extend({ count: z.number().int().min(1).max(10_000) }))
      .min(1)
      .max(100),
  }),
  power: z.strictObject({ on: z.boolean() }),
  network: z.strictObject({ online: z.boolean() }),
  fault: z.strictObject({
    conditions: conditionsSchema.optional(),
    bitLocker: z.boolean().optional(),
    recoveryEnvironmentHealthy: z.boolean().optional(),
  }),
  push: z.strictObject({ up: z.boolean() }),
  user: z.strictObject({
    userPrincipalName: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'a user principal name'),
    displayName: z.string().min(1),
  }),
  abm: z.strictObject({ assigned: z.boolean() }),
  companyPortal: z.strictObject({
    managedDeviceId: z.string().min(1),
    userPrincipalName: z.string().min(1),
    action: z.enum(['retire', 'wipe', 'sync']),
  }),
  scenarioRun: z.strictObject({
    file: z.string().min(1).max(500).describe('A scenario file as GET /sim/scenarios lists it'),
    seed: z.string().min(1).max(200).optional(),
    paceMs: z
      .number()
      .int()
      .min(0)
      .max(5000)
      .optional()
      .describe('Wall-clock pause after each step and verdict, so a room can watch; default 300'),
  }),
};

const platform = z.enum(PLATFORM_IDS);
const pushChannels = z.strictObject({ channelsDown: z.array(z.enum(['APNs', 'WNS', 'FCM'])) });
const count = z.number().int().min(0);

const verdict = z.strictObject({
  passed: z.boolean(),
  expected: z.string(),
  found: z.string(),
  failingDevices: z.array(z.string()),
  at: z.string().describe('Sim time it was judged at, ISO 8601'),
});
const atMs = z
  .number()
  .nullable()
  .describe('Sim ms after the fleet enrolled; null until the run has planned');

/** A scenario run as GET /sim/scenarios/runs/{id} shows it while it goes and when it is done. */
export const SCENARIO_RUN = z.strictObject({
  id: z.string(),
  file: z.string(),
  name: z.string(),
  seed: z.string(),
  status: z.enum(['enrolling', 'running', 'passed', 'failed', 'error']),
  progress: count.describe('How many updates the run has had; ?after= waits for more'),
  simStart: z.string().nullable().describe('Sim time the fleet had enrolled at, ISO 8601'),
  endMs: atMs,
  steps: z.array(
    z.strictObject({
      index: count,
      at: z.string().describe("The step's time as the file gives it"),
      atMs,
      text: z.string(),
      done: z.boolean(),
      errors: z.array(z.string()),
      refusal: verdict.extend({ description: z.string(), specIds: z.array(z.string()) }).nullable(),
    }),
  ),
  expectations: z.array(
    z.strictObject({
      index: count,
      description: z.string(),
      specIds: z.array(z.string()),
      atMs: atMs.describe('When it is judged (propagation: at the end)'),
      verdict: verdict.nullable(),
    }),
  ),
  stepErrors: z.array(z.string()),
  error: z.string().nullable(),
  replay: z.string(),
  wallMs: z.number().nullable(),
});

export const SIM_ANSWERS = {
  clock: z.strictObject({
    mode: z.enum(['virtual', 'scaled']),
    now: z.string().describe('Simulated now, ISO 8601'),
    nowMs: z.number(),
    speed: z.number().nullable().describe('Simulated seconds per real second; null on the virtual clock'),
  }),
  enrolled: z.strictObject({
    devices: z.array(
      z.strictObject({
        serialNumber: z.string(),
        managedDeviceId: z.string().nullable(),
        platform,
        cohort: z.string(),
      }),
    ),
  }),
  fleet: z.strictObject({
    devices: z.array(
      z.strictObject({
        serialNumber: z.string(),
        managedDeviceId: z.string().nullable(),
        cohort: z.string(),
        platform,
        enrollmentType: z.string(),
        power: z.enum(['on', 'off']),
        network: z.enum(['online', 'offline']),
        boot: z.string(),
        enrolled: z.boolean(),
        online: z.boolean(),
        resetInProgress: z.boolean(),
      }),
    ),
  }),
  push: pushChannels,
  user: z.strictObject({ userPrincipalName: z.string(), displayName: z.string(), deleted: z.boolean() }),
  abm: z.strictObject({ serialNumber: z.string(), assigned: z.boolean() }),
  companyPortal: z.strictObject({ actionId: z.string(), initiatedBy: z.string() }),
  stats: z.strictObject({
    events: z.strictObject({ held: count, dropped: count, capacity: count }),
    mqtt: z
      .strictObject({
        connections: count,
        authRefused: count,
        publishRejected: count,
        futureRejected: count,
        subscribeRefused: count,
        oversizeCut: count,
      })
      .nullable(),
  }),
  scenarios: z.strictObject({
    scenarios: z.array(
      z.strictObject({
        file: z.string().describe('Relative to the scenario library'),
        name: z.string(),
        description: z.string(),
        tags: z.array(z.string()),
        specIds: z.array(z.string()),
        problem: z
          .string()
          .nullable()
          .describe('Why the file cannot be run (it does not load); null if it can'),
      }),
    ),
  }),
  scenarioRun: SCENARIO_RUN,
};

export type SimAnswer<K extends keyof typeof SIM_ANSWERS> = z.infer<(typeof SIM_ANSWERS)[K]>;
