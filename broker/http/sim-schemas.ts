import { z } from 'zod';
import { SPEED_MAX } from '../../sim/clock/scaled-clock.ts';
import { cohortSchema, conditionsSchema } from '../../sim/cohort-schema.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { SCENARIO_LIBRARY, SCENARIO_RUN } from './scenario-schemas.ts';

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
        published: count,
        authRefused: count,
        publishRejected: count,
        futureRejected: count,
        subscribeRefused: count,
        oversizeCut: count,
        acceptFailed: count,
      })
      .nullable(),
  }),
  scenarios: SCENARIO_LIBRARY,
  scenarioRun: SCENARIO_RUN,
};

export type SimAnswer<K extends keyof typeof SIM_ANSWERS> = z.infer<(typeof SIM_ANSWERS)[K]>;
