import { z } from 'zod';

/**
 * The JSON report of a load run: every figure, the command, the seed, versions and the machine.
 * load/report.schema.json is generated from this (npm run docs) and a test keeps the two equal
 * and checks a real run's report against the committed file.
 */
const percentiles = z.strictObject({
  count: z.number().int().min(0),
  p50: z.number().min(0),
  p95: z.number().min(0),
  p99: z.number().min(0),
  max: z.number().min(0),
});
const count = z.number().int().min(0);
const processEntry = z.strictObject({
  name: z.string(),
  role: z.enum(['generator', 'service', 'agents']),
  pid: z.number().int(),
  devices: count,
  rssPeakBytes: count,
  heapUsedPeakBytes: count,
  bytesPerDevice: z.number().min(0).nullable(),
  cpuMean: z.number().min(0),
  cpuMax: z.number().min(0),
  eventLoopDelayP99MaxMs: z.number().min(0),
  eventLoopDelayMaxMs: z.number().min(0),
});

export const loadReportSchema = z.strictObject({
  schema: z.literal('fleetsim-load-report/1'),
  command: z.array(z.string()),
  seed: z.string(),
  startedAt: z.string(),
  versions: z.strictObject({ fleetsim: z.string(), node: z.string(), aedes: z.string(), mqtt: z.string() }),
  machine: z.strictObject({
    platform: z.string(),
    release: z.string(),
    cpus: count,
    cpuModel: z.string(),
    memoryBytes: count,
    descriptorLimit: count,
  }),
  target: z.strictObject({ kind: z.enum(['embedded', 'remote']), broker: z.string(), api: z.string() }),
  plan: z.strictObject({
    devices: count,
    processes: count,
    perProcess: z.array(count),
    rampPerSecond: z.number().positive().nullable(),
    durationMs: count,
    speed: z.number().positive(),
  }),
  wallMs: count,
  simMs: count,
  figures: z.strictObject({
    devices: count,
    enrolled: count,
    enrollments: count,
    /** Records the service removed during the run (retire or wipe done, delete, cleanup). */
    removed: count,
    /** Devices whose own channel connection was open at the end. */
    connected: count,
    errors: count,
    checkIns: count,
    delivered: count,
    targeted: count,
    coalesced: count,
    acknowledged: count,
    pending: count,
    refused: count,
    done: count,
    failed: count,
    connectRate: z.number().min(0),
    checkInRate: z.number().min(0),
    /** PUBLISH packets the broker routed during the run (null: the service did not report them). */
    brokerMessages: count.nullable(),
    /** brokerMessages per wall second of the run. */
    brokerMessageRate: z.number().min(0).nullable(),
  }),
  propagation: z.record(z.string(), percentiles),
  /** Per action: devices acknowledging within each sim minute, the last bucket 15 minutes and more. */
  propagationByMinute: z.record(z.string(), z.array(count).length(16)),
  enrollLatency: percentiles,
  /** Each check-in, sim ms from when it was due (the device's schedule or push) to the service handling it. */
  checkInLateness: percentiles,
  /** HDR histograms, compressed base64, so another tool (or --baseline) can read every sample. */
  histograms: z.record(z.string(), z.string()),
  actions: z.array(
    z.strictObject({
      text: z.string(),
      action: z.string(),
      atMs: count,
      sentLateMs: z.number().min(0),
      managed: count,
      targeted: count,
      accepted: count,
      refused: count,
      acknowledged: count,
    }),
  ),
  platforms: z.array(
    z.strictObject({
      platform: z.string(),
      enrolled: count,
      targeted: count,
      acknowledged: count,
      done: count,
      failed: count,
      refused: count,
    }),
  ),
  errors: z.record(z.string(), count),
  timeline: z.array(
    z.strictObject({
      wallMs: count,
      simMs: z.number(),
      enrolled: count,
      connected: count,
      checkIns: count,
      delivered: count,
      acknowledged: count,
      /** Over the second before this sample; null when the service did not report. */
      brokerMessagesPerSecond: z.number().min(0).nullable(),
    }),
  ),
  processes: z.array(processEntry),
  warnings: z.array(z.string()),
  service: z.record(z.string(), z.unknown()).nullable(),
  slos: z.array(z.strictObject({ slo: z.string(), holds: z.boolean(), found: z.string() })),
  baseline: z
    .strictObject({
      file: z.string(),
      thresholdPercent: z.number().min(0),
      regressions: z.array(
        z.strictObject({
          figure: z.string(),
          before: z.number(),
          after: z.number(),
          changePercent: z.number(),
        }),
      ),
    })
    .nullable(),
  verdict: z.enum(['pass', 'fail']),
});

export type LoadReport = z.infer<typeof loadReportSchema>;
export type ProcessEntry = z.infer<typeof processEntry>;

export function loadReportJsonSchema(): object {
  return {
    $id: 'https://fleetsim.dev/schemas/load-report.schema.json',
    title: 'fleetsim load report',
    ...z.toJSONSchema(loadReportSchema, { target: 'draft-7' }),
  };
}
