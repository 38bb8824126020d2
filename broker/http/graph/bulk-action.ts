import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ActionRequest } from '../../../sim/eligibility.ts';
import type { Initiator, IntuneService } from '../../service/service.ts';

/** Graph's cap on one executeAction call; the schema refuses more with a 400. */
export const BULK_IDS_MAX = 10_000;
/**
 * Longest stretch of bulk work between two yields to the event loop, so other requests and the
 * MQTT side keep being served while a 10,000-device bulk action runs (the bound is ~50 ms).
 * Each slice also queues pushes that the broker delivers after it, so the slice is kept well under
 * the bound: bench/bulk-latency.ts measured an event-loop delay of at most ~36 ms at 10 ms and
 * ~65–105 ms at 20 ms (2,000 devices, 10,000 ids).
 */
export const BULK_SLICE_MS = 10;
/**
 * The part of a slice its requests may take: the slice's one commit and the pushes it releases come
 * after them. With SQLite on disk (`bench/bulk-latency.ts --sqlite`: 2,000 devices, 10,000 ids),
 * requests for the whole 10 ms made an event-loop delay of ~43 ms, half of it ~24–26 ms (a commit
 * for each action had made ~32 ms).
 */
const BULK_WORK_MS = BULK_SLICE_MS / 2;

export interface BulkResult {
  successfulDeviceIds: string[];
  failedDeviceIds: string[];
  notFoundDeviceIds: string[];
  notSupportedDeviceIds: string[];
}

/** Where a refusal's code puts the device in Graph's bulkManagedDeviceActionResult. */
const BUCKET_OF_REFUSAL: Readonly<Record<string, keyof BulkResult>> = {
  notFound: 'notFoundDeviceIds',
  // D-6: the service can no longer act on a deleted user's device; the action failed.
  userDeleted: 'failedDeviceIds',
};

/**
 * Runs one bulk action: each distinct id once (a repeated id is answered once, in the bucket of
 * its first occurrence), yielding to the event loop every BULK_SLICE_MS, each slice one commit.
 */
export async function runBulkAction(
  service: IntuneService,
  deviceIds: readonly string[],
  request: ActionRequest | null,
  by: Initiator,
): Promise<BulkResult> {
  const result: BulkResult = {
    successfulDeviceIds: [],
    failedDeviceIds: [],
    notFoundDeviceIds: [],
    notSupportedDeviceIds: [],
  };
  const ids = [...new Set(deviceIds)];
  let next = 0;
  while (next < ids.length) {
    if (next > 0) await yieldToEventLoop();
    // A slice's actions are committed together: one commit, not one each.
    service.inOneCommit(() => {
      const sliceStart = performance.now();
      do {
        const id = ids[next++]!;
        result[bucketOf(service, id, request, by)].push(id);
      } while (next < ids.length && performance.now() - sliceStart <= BULK_WORK_MS);
    });
  }
  return result;
}

function bucketOf(
  service: IntuneService,
  id: string,
  request: ActionRequest | null,
  by: Initiator,
): keyof BulkResult {
  if (!service.getDevice(id)) return 'notFoundDeviceIds';
  if (!request) return 'notSupportedDeviceIds';
  const r = service.requestAction(id, request, by);
  if (r.ok) return 'successfulDeviceIds';
  return BUCKET_OF_REFUSAL[r.error.code] ?? 'notSupportedDeviceIds';
}
