import type { ProcessSample } from './process-stats.ts';
import type { ProcessEntry } from './report-schema.ts';

/** Peaks and means of each process's samples over the run, for the report. */
export class ProcessTracker {
  private readonly entries = new Map<string, ProcessEntry & { samples: number; cpuSum: number }>();

  add(name: string, devices: number, s: ProcessSample): void {
    let e = this.entries.get(name);
    if (!e) {
      e = {
        name,
        role: s.role,
        pid: s.pid,
        devices,
        rssPeakBytes: 0,
        heapUsedPeakBytes: 0,
        bytesPerDevice: null,
        cpuMean: 0,
        cpuMax: 0,
        eventLoopDelayP99MaxMs: 0,
        eventLoopDelayMaxMs: 0,
        samples: 0,
        cpuSum: 0,
      };
      this.entries.set(name, e);
    }
    e.devices = devices;
    e.rssPeakBytes = Math.max(e.rssPeakBytes, s.rssBytes);
    e.heapUsedPeakBytes = Math.max(e.heapUsedPeakBytes, s.heapUsedBytes);
    e.cpuMax = Math.max(e.cpuMax, s.cpu);
    e.cpuSum += s.cpu;
    e.samples++;
    e.eventLoopDelayP99MaxMs = Math.max(e.eventLoopDelayP99MaxMs, s.eventLoopDelayP99Ms);
    e.eventLoopDelayMaxMs = Math.max(e.eventLoopDelayMaxMs, s.eventLoopDelayMaxMs);
  }

  report(): ProcessEntry[] {
    return [...this.entries.values()].map(({ samples, cpuSum, ...e }) => ({
      ...e,
      cpuMean: samples > 0 ? cpuSum / samples : 0,
      // Peak resident memory over the devices it held: what one device costs, start-up included.
      bytesPerDevice: e.devices > 0 ? Math.round(e.rssPeakBytes / e.devices) : null,
    }));
  }
}
