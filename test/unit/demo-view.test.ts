import { describe, expect, it } from 'vitest';
import { useColour } from '../../cli/demo/demo.ts';
import { DEMO_FLEET, demoFleet } from '../../cli/demo/demo-fleet.ts';
import { renderView } from '../../cli/demo/render.ts';
import type { DemoSnapshot } from '../../cli/demo/snapshot.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';

const snapshot: DemoSnapshot = {
  simNowMs: Date.UTC(2026, 0, 5, 9, 30),
  speed: 60,
  paused: true,
  platforms: PLATFORM_IDS.map((id) => ({
    id,
    label: PLATFORMS[id].displayName,
    byState:
      id === 'windows10' ? { managed: 40, wipeIssued: 1, wipePending: 2, wipeFailed: 1 } : { managed: 3 },
    total: id === 'windows10' ? 44 : 3,
  })),
  inFlight: { pending: 1, active: 2 },
  propagation: { count: 3, p50Ms: 30_000, p95Ms: 90_000, maxMs: 90_000, lastMs: [30_000, 90_000] },
  focus: {
    serialNumber: 'ABC',
    platform: 'windows10',
    action: 'protected wipe',
    actionState: 'active',
    power: 'on',
    boot: 'normal',
    resetProgress: 0.5,
    attempts: 2,
  },
  selected: 'windows10',
  message: 'protected wipe sent to DESKTOP-ABC',
  recent: ['09:29:00 wipe reached the device in 0.5 min'],
};

describe('the demo', () => {
  const urls = { http: 'http://127.0.0.1:8080', mqtt: 'mqtt://127.0.0.1:1883', token: 't' };
  const dashboard = 'http://127.0.0.1:8080/dashboard/#code=abc';

  it('renders the dashboard link first, the platform table, propagation, the watched device and the keys', () => {
    const lines = renderView(snapshot, urls, { width: 120, colour: false, dashboard });
    const text = lines.join('\n');
    expect(lines[0]).toBe(`dashboard: ${dashboard}`);
    expect(text).toContain('sim time 2026-01-05 09:30:00 UTC  ×60  PAUSED');
    expect(text).toMatch(/▶ Windows 10 +40 +· +1 +2 +1 +· +44/);
    expect(text).toContain('p50 0.5 min, p95 1.5 min, max 1.5 min');
    expect(text).toContain(
      'watching ABC (windows10): protected wipe active, power on, boot normal  [##########..........] 50% (attempt 2)',
    );
    expect(text).toContain('w wipe  p protected wipe  r retire');
    expect(text).toContain('Graph: http://127.0.0.1:8080/v1.0');
  });

  it('fits the terminal width: no line is wider, and narrow terminals lose table columns, not rows', () => {
    for (const width of [40, 60, 80, 100, 160]) {
      const lines = renderView(snapshot, urls, { width, colour: false, dashboard });
      const widest = Math.max(...lines.map((l) => [...l].length));
      expect(widest, `width ${width}`).toBeLessThanOrEqual(width);
      // Every platform keeps its row, ending in its total.
      expect(lines.filter((l) => / (3|44)$/.test(l))).toHaveLength(PLATFORM_IDS.length);
    }
    const narrow = renderView(snapshot, urls, { width: 60, colour: false, dashboard }).join('\n');
    expect(narrow).toContain('managed');
    expect(narrow).not.toContain('delete…');
  });

  it('colours with SGR codes only when asked, without changing what fits; NO_COLOR turns it off', () => {
    const plain = renderView(snapshot, urls, { width: 80, colour: false, dashboard });
    const coloured = renderView(snapshot, urls, { width: 80, colour: true, dashboard });
    expect(plain.join('')).not.toContain('\x1b[');
    expect(coloured.join('')).toContain('\x1b[32m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the colour codes
    expect(coloured.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))).toEqual(plain);
    expect(useColour({}, true)).toBe(true);
    expect(useColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(useColour({}, false)).toBe(false);
  });

  it('has a default fleet of 300 devices covering every platform, and scales it', () => {
    expect(DEMO_FLEET.reduce((n, c) => n + c.count, 0)).toBe(300);
    expect(new Set(DEMO_FLEET.map((c) => c.platform))).toEqual(new Set(PLATFORM_IDS));
    const small = demoFleet(30);
    expect(small.every((c) => c.count >= 1)).toBe(true);
    expect(small.reduce((n, c) => n + c.count, 0)).toBeLessThan(40);
  });
});
