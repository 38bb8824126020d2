import { describe, expect, it } from 'vitest';
import { devicesFor, parseActionStep, syncWaves } from '../../load/action-script.ts';
import { pick } from '../../load/scheduler.ts';

describe('the action script', () => {
  it('reads a share, a count and all, each at a sim time', () => {
    expect(parseActionStep('wipe 10% at 5m')).toEqual({
      text: 'wipe 10% at 5m',
      action: 'wipe',
      amount: { kind: 'percent', percent: 10 },
      atMs: 300_000,
    });
    expect(parseActionStep(' retire 500 at 8m ')).toMatchObject({
      action: 'retire',
      amount: { kind: 'count', count: 500 },
      atMs: 480_000,
    });
    expect(parseActionStep('SYNC all at 90s')).toMatchObject({
      action: 'sync',
      amount: { kind: 'percent', percent: 100 },
      atMs: 90_000,
    });
  });

  it.each([
    ['wipe ten at 5m', /write it like "wipe 10% at 5m"/],
    ['wipe 10%', /write it like/],
    ['reboot 10% at 5m', /unknown action "reboot"; one of wipe, retire, sync/],
    ['wipe 0% at 5m', /a share must be above 0% and at most 100%, got 0%/],
    ['wipe 150% at 5m', /at most 100%, got 150%/],
    ['retire 0 at 5m', /a count must be a whole number of at least 1, got 0/],
    ['wipe 10% at soon', /"soon" is not a duration/],
  ])('refuses %j, naming the part that is wrong', (text, why) => {
    expect(() => parseActionStep(text)).toThrow(why);
    expect(() => parseActionStep(text)).toThrow(`--action "${text}"`);
  });

  it('a share is of the devices available then; a count is capped by them', () => {
    expect(devicesFor({ kind: 'percent', percent: 10 }, 2000)).toBe(200);
    expect(devicesFor({ kind: 'count', count: 500 }, 300)).toBe(300);
    // A scenario cohort's share is of every managed device, taken from those still available.
    expect(devicesFor({ kind: 'percent', percent: 25, ofFleet: true }, 700, 1000)).toBe(250);
    expect(devicesFor({ kind: 'percent', percent: 25, ofFleet: true }, 100, 1000)).toBe(100);
  });

  it('--sync-every makes a sync to all at each multiple before the end', () => {
    expect(syncWaves(60_000, 200_000).map((s) => s.atMs)).toEqual([60_000, 120_000, 180_000]);
  });

  it('the devices an action takes are drawn by the seed: the same seed, the same devices, no repeats', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `d${i}`);
    const a = pick(ids, 10, 'seed/action:0');
    expect(pick(ids, 10, 'seed/action:0')).toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(pick(ids, 10, 'seed/action:1')).not.toEqual(a);
    expect(pick(ids, 500, 's')).toHaveLength(100);
  });
});
