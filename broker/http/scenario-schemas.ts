import { z } from 'zod';

/**
 * The scenario playback's answers, in a file of their own that imports nothing but zod: the server
 * validates and documents with them (sim-schemas.ts), and the dashboard, compiled for the browser,
 * takes its types from them.
 */

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

/** GET /sim/scenarios: the library's files. */
export const SCENARIO_LIBRARY = z.strictObject({
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
});

export type ScenarioRunAnswer = z.infer<typeof SCENARIO_RUN>;
export type ScenarioLibraryAnswer = z.infer<typeof SCENARIO_LIBRARY>;
