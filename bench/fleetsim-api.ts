import type { FleetEvent } from '../sim/events.ts';
import { type Exposition, parseExposition } from '../tools/prometheus-text.ts';

/** The HTTP side of a running `fleetsim serve`, as the bench drives and observes it. */
export class FleetsimApi {
  /**
   * The longest event-loop delay of the service seen in any scrape since the last take (prom-client
   * resets its delay histogram at every scrape, so each scrape's max covers the time since the last).
   */
  private loopDelayMaxS = 0;

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }

  async metrics(): Promise<Exposition> {
    const m = parseExposition(await (await this.call('/metrics')).text());
    const delay = m.samples.find((s) => s.name === 'nodejs_eventloop_lag_max_seconds')?.value ?? 0;
    this.loopDelayMaxS = Math.max(this.loopDelayMaxS, delay);
    return m;
  }

  /** The longest event-loop delay seen since the last call, seconds. */
  takeLoopDelayMaxS(): number {
    const max = this.loopDelayMaxS;
    this.loopDelayMaxS = 0;
    return max;
  }

  /** The sum of a metric's samples whose labels include `labels`. */
  async total(name: string, labels: Record<string, string> = {}): Promise<number> {
    const m = await this.metrics();
    return m.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((n, s) => n + s.value, 0);
  }

  async simNowMs(): Promise<number> {
    return ((await (await this.call('/sim/clock')).json()) as { nowMs: number }).nowMs;
  }

  async events(type: string): Promise<FleetEvent[]> {
    const text = await (await this.call(`/sim/events?type=${type}`)).text();
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FleetEvent);
  }

  /** Every managed device's id and operating system, page by page. */
  async devices(): Promise<{ id: string; operatingSystem: string }[]> {
    const all: { id: string; operatingSystem: string }[] = [];
    let next: string | undefined =
      '/v1.0/deviceManagement/managedDevices?$select=id,operatingSystem&$top=1000';
    while (next) {
      const page = (await (await this.call(next)).json()) as {
        value: { id: string; operatingSystem: string }[];
        '@odata.nextLink'?: string;
      };
      all.push(...page.value);
      next = page['@odata.nextLink']?.replace(this.base, '');
    }
    return all;
  }

  /** Graph's bulk executeAction, 10,000 ids a request; returns the ids it accepted. */
  async bulk(actionName: string, deviceIds: string[]): Promise<string[]> {
    const accepted: string[] = [];
    for (let i = 0; i < deviceIds.length; i += 10_000) {
      const res = await this.call('/beta/deviceManagement/managedDevices/executeAction', {
        method: 'POST',
        body: JSON.stringify({ actionName, deviceIds: deviceIds.slice(i, i + 10_000) }),
      });
      accepted.push(...((await res.json()) as { successfulDeviceIds: string[] }).successfulDeviceIds);
    }
    return accepted;
  }
}

/**
 * Polls `read` every `everyMs` until `done` holds of its value or `timeoutMs` passes; the last value.
 * Not often: each poll is a scrape the measured service pays for (figures come from event times).
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  everyMs = 1000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
