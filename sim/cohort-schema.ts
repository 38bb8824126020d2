import { z } from 'zod';
import { APP_KINDS, DATA_LOCATIONS } from './device-state.ts';
import { ENROLLMENT_TYPES, PLATFORM_IDS } from './platforms/types.ts';

/** One schema for a cohort wherever one is written: fleet files, /sim/fleet/enroll, scenario files. */
export const COHORT_COUNT_MAX = 1_000_000;

const SOURCE = z.enum(['intune', 'user']);

export const conditionsSchema = z.strictObject({
  corruptedInstallation: z.boolean().optional(),
  bitLockerResetFails: z.boolean().optional(),
  rollbackFails: z.boolean().optional(),
});

export const cohortSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_ .-]{1,64}$/, 'a name of letters, digits, spaces, _ . and -')
    .optional(),
  platform: z.enum(PLATFORM_IDS),
  enrollmentType: z.enum(ENROLLMENT_TYPES).optional(),
  count: z.number().int().min(1).max(COHORT_COUNT_MAX),
  osVersion: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A release of the platform: its version or label (Windows 10: "1709", "22H2" or a full 10.0.x.y)',
    ),
  ownership: z.enum(['company', 'personal']).optional(),
  user: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, 'a user principal name')
    .optional(),
  overrides: z
    .strictObject({
      conditions: conditionsSchema.optional(),
      bitLocker: z.boolean().optional(),
      recoveryEnvironmentHealthy: z.boolean().optional(),
      esimDataPlan: z.boolean().nullable().optional(),
      outlookConditionalAccess: z.boolean().optional(),
      apps: z
        .array(
          z.strictObject({
            kind: z.enum(APP_KINDS),
            name: z.string(),
            keepOnUnenroll: z.boolean().optional(),
            data: z.array(z.enum(DATA_LOCATIONS)).optional(),
          }),
        )
        .optional(),
      emailProfiles: z
        .array(z.strictObject({ account: z.string().min(1), source: SOURCE.optional() }))
        .optional()
        .describe('Extra email profiles; Intune ones only where the platform has them (R-DA-10)'),
      certificates: z
        .array(z.strictObject({ subject: z.string().min(1), source: SOURCE.optional() }))
        .optional()
        .describe('Extra certificates; source defaults to user'),
      networkProfiles: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            kind: z.enum(['wifi', 'vpn']).optional(),
            source: SOURCE.optional(),
          }),
        )
        .optional()
        .describe('Extra Wi-Fi or VPN profiles; kind defaults to wifi, source to user'),
      settings: z
        .array(
          z.strictObject({
            key: z.string().min(1),
            value: z.string(),
            defaultValue: z.string(),
            enforced: z.boolean().optional(),
          }),
        )
        .optional()
        .describe(
          'Extra settings; not enforced unless said, so a value other than the default is user-changed (W-KEEP-10)',
        ),
    })
    .optional()
    .describe('Changes to the generated initial state: faults, conditions, extra apps'),
});
