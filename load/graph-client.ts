/**
 * The admin side of a load run, over HTTP as an admin's script would: Graph's bulk executeAction
 * and the simulation control API's clock and stats.
 */
export interface BulkAnswer {
  successfulDeviceIds: string[];
  failedDeviceIds: string[];
  notFoundDeviceIds: string[];
  notSupportedDeviceIds: string[];
}

/** Graph's cap on one executeAction call. */
export const BULK_IDS_MAX = 10_000;
/** A request that takes longer than this is counted as an error, not waited for. */
const REQUEST_TIMEOUT_MS = 30_000;

export class ApiClient {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, path: string, body?: object): Promise<T> {
    const r = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!r.ok) throw new Error(`HTTP ${r.status} from ${method} ${path}`);
    return (await r.json()) as T;
  }

  clock(): Promise<{ mode: string; nowMs: number; speed: number | null }> {
    return this.call('GET', '/sim/clock');
  }

  stats(): Promise<Record<string, unknown>> {
    return this.call('GET', '/sim/stats');
  }

  executeAction(actionName: string, deviceIds: string[], options: object = {}): Promise<BulkAnswer> {
    return this.call('POST', '/beta/deviceManagement/managedDevices/executeAction', {
      actionName,
      deviceIds,
      ...options,
    });
  }
}
