/** What a scenario run produces: verdicts per expectation, and the per-device timeline. */
export interface ExpectationResult {
  index: number;
  kind: string;
  id: string | null;
  specIds: string[];
  description: string;
  passed: boolean;
  expected: string;
  found: string;
  /** Serial numbers of the devices for which it did not hold. */
  failingDevices: string[];
  /** Sim time it was judged at (ISO). */
  at: string;
}

export interface DeviceTimelineEntry {
  at: string;
  event: string;
}

export interface ScenarioResult {
  file: string;
  name: string;
  tags: string[];
  specIds: string[];
  seed: string;
  passed: boolean;
  /** Problems running the timeline (an action refused that was not expected to be). */
  stepErrors: string[];
  expectations: ExpectationResult[];
  /** Propagation times (request → acknowledged), sim ms, per action step id. */
  propagationMs: Record<string, number[]>;
  cohorts: { name: string; platform: string; serialNumbers: string[] }[];
  timeline: Record<string, DeviceTimelineEntry[]>;
  /**
   * Events of the devices' stories the run's log dropped from memory, oldest first (it keeps the
   * last 200,000, routine check-ins apart): the timelines then start later than the run did. No
   * verdict reads the log.
   */
  eventsDropped: number;
  replay: string;
  /** Wall-clock time the run took: the only field that differs between two runs of the same seed. */
  wallMs: number;
}

/** How many devices the scenario's fleet had. */
export function fleetSize(result: ScenarioResult): number {
  return result.cohorts.reduce((n, c) => n + c.serialNumbers.length, 0);
}
