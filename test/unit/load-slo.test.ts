import { describe, expect, it } from 'vitest';
import { evaluateSlo, parseSlo, parseSloFile, type SloSubject } from '../../load/slo.ts';

const subject = (
  figures: Record<string, number>,
  samples: Record<string, number | null> = {},
): SloSubject => ({
  devices: 200,
  figure: (m) => figures[m] ?? 0,
  percentile: (m, p) => samples[`${m}@${p}`] ?? null,
});

describe('SLO parser', () => {
  it('reads the four shapes the issue names', () => {
    expect(parseSlo('p99(wipe.propagation) < 15m')).toMatchObject({
      metric: 'wipe.propagation',
      percentile: 99,
      op: '<',
      value: 900_000,
      percent: false,
    });
    expect(parseSlo('errors == 0')).toMatchObject({ metric: 'errors', percentile: null, op: '==', value: 0 });
    expect(parseSlo('enrolled == 100%')).toMatchObject({ metric: 'enrolled', value: 100, percent: true });
    expect(parseSlo('connect.rate >= 1000/s')).toMatchObject({
      metric: 'connect.rate',
      op: '>=',
      value: 1000,
    });
    expect(parseSlo('max(propagation)<=90s')).toMatchObject({ percentile: 100, op: '<=', value: 90_000 });
  });

  it.each([
    ['p99(wipe.propagation) < 15 parsecs', /write it like/],
    ['p99(wipe.propagation) < 15parsecs', /expected a duration such as 15m/],
    ['p99(wipes.propagation) < 15m', /unknown metric "wipes.propagation"/],
    ['wipe.propagation < 15m', /is a distribution: name a percentile/],
    ['p99(errors) == 0', /is a single figure/],
    ['errors == 10%', /a percentage applies to enrolled or connected/],
    ['connect.rate >= 1000', /expected a rate per second such as 1000\/s/],
    ['enrolled == 120%', /a percentage is from 0% to 100%/],
    ['errors == -1', /expected a whole number/],
  ])('refuses %j, naming what is wrong', (text, why) => {
    expect(() => parseSlo(text)).toThrow(why);
    expect(() => parseSlo(text)).toThrow(`--slo "${text}"`);
  });

  it('a file: one objective a line, comments skipped, an error names file and line', () => {
    expect(parseSloFile('# latency\np99(propagation) < 15m\n\nerrors == 0\n', 'slo.txt')).toHaveLength(2);
    expect(() => parseSloFile('errors == 0\nerrors = 0\n', 'slo.txt')).toThrow(/^slo\.txt:2: "errors = 0"/);
  });
});

describe('SLO evaluator', () => {
  it('holds and fails on the boundary as the operator says', () => {
    const s = subject({ errors: 0, 'connect.rate': 999.5 }, { 'wipe.propagation@99': 900_000 });
    expect(evaluateSlo(parseSlo('errors == 0'), s)).toEqual({ slo: 'errors == 0', holds: true, found: '0' });
    expect(evaluateSlo(parseSlo('p99(wipe.propagation) < 15m'), s)).toEqual({
      slo: 'p99(wipe.propagation) < 15m',
      holds: false,
      found: '15m',
    });
    expect(evaluateSlo(parseSlo('p99(wipe.propagation) <= 15m'), s).holds).toBe(true);
    expect(evaluateSlo(parseSlo('connect.rate >= 1000/s'), s)).toMatchObject({
      holds: false,
      found: '999.5/s',
    });
  });

  it('a percentage is of the devices asked for', () => {
    expect(evaluateSlo(parseSlo('enrolled == 100%'), subject({ enrolled: 200 }))).toMatchObject({
      holds: true,
      found: '100%',
    });
    expect(evaluateSlo(parseSlo('enrolled >= 99%'), subject({ enrolled: 197 }))).toMatchObject({
      holds: false,
      found: '98.5%',
    });
  });

  it('an objective over a distribution with no samples does not hold', () => {
    expect(evaluateSlo(parseSlo('p99(retire.propagation) < 15m'), subject({}))).toEqual({
      slo: 'p99(retire.propagation) < 15m',
      holds: false,
      found: 'no samples',
    });
  });
});
