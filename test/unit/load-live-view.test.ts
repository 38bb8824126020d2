import { describe, expect, it } from 'vitest';
import { type LiveSnapshot, liveLines, plainLine } from '../../load/live-view.ts';

const snapshot = (brokerMessagesPerSecond: number | null): LiveSnapshot => ({
  wallMs: 5_000,
  simMs: 300_000,
  durationMs: 600_000,
  speed: 60,
  devices: 200,
  enrolled: 200,
  connected: 190,
  connectsPerSecond: 0,
  checkInsPerSecond: 12,
  delivered: 20,
  pending: 3,
  platforms: new Map(),
  propagation: { count: 17, p50: 45_000, p95: 60_000, p99: 66_000, max: 66_000 },
  checkInLateness: { count: 400, p50: 300, p95: 840, p99: 1_380, max: 2_161 },
  brokerMessagesPerSecond,
  errors: {},
  processes: [],
});

describe('the live view', () => {
  it('shows broker messages/s and check-in lateness, in the terminal view and the plain lines', () => {
    const lines = liveLines(snapshot(118.9));
    expect(lines[2]).toMatch(/ {2}broker msgs\/s 119$/);
    expect(lines).toContain(
      'check-in lateness (sim) p50 300ms  p95 840ms  p99 1.4s  max 2.2s  (400 check-ins)',
    );
    expect(plainLine(snapshot(118.9))).toMatch(
      /, 12 check-ins\/s, 119 broker msgs\/s, .* check-in lateness p99 1\.4s, 0 errors$/,
    );
  });

  it('leaves broker messages/s out while the service has not reported them', () => {
    expect(liveLines(snapshot(null)).join('\n')).not.toContain('broker msgs/s');
    expect(plainLine(snapshot(null))).not.toContain('broker msgs/s');
  });
});
