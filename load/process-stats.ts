import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What each process of a load run says about itself every second: memory, CPU and event-loop delay. */
export interface ProcessSample {
  pid: number;
  role: 'generator' | 'service' | 'agents';
  rssBytes: number;
  heapUsedBytes: number;
  /** Share of one core used since the last sample (1 = a whole core). */
  cpu: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
}

/** Samples this process: each call reports since the one before (event-loop delay resets). */
export function processSampler(role: ProcessSample['role']): { sample(): ProcessSample; stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastCpu = process.cpuUsage();
  let lastAt = process.hrtime.bigint();
  return {
    sample() {
      const cpu = process.cpuUsage(lastCpu);
      const at = process.hrtime.bigint();
      const wallUs = Number(at - lastAt) / 1000;
      lastCpu = process.cpuUsage();
      lastAt = at;
      const memory = process.memoryUsage();
      const s: ProcessSample = {
        pid: process.pid,
        role,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        cpu: wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0,
        eventLoopDelayP99Ms: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
        eventLoopDelayMaxMs: delay.count > 0 ? delay.max / 1e6 : 0,
      };
      delay.reset();
      return s;
    },
    stop: () => delay.disable(),
  };
}

/**
 * When the generator's own load makes its figures suspect: a busy event loop delays the
 * timestamps it takes, so latencies it measures grow by that delay.
 */
export const GENERATOR_CPU_WARN = 0.8;
export const GENERATOR_DELAY_WARN_MS = 100;

export function distortionWarning(s: ProcessSample): string | null {
  if (s.cpu >= GENERATOR_CPU_WARN)
    return `the generator used ${Math.round(s.cpu * 100)}% of a core: its own timing may distort the figures`;
  if (s.eventLoopDelayP99Ms >= GENERATOR_DELAY_WARN_MS)
    return `the generator's event loop was delayed ${Math.round(s.eventLoopDelayP99Ms)} ms (p99): its timestamps may be late by as much`;
  return null;
}
