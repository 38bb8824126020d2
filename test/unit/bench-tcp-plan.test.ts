import { describe, expect, it } from 'vitest';
import { descriptorProblem, splitEvenly } from '../../bench/tcp-plan.ts';

describe('npm run bench -- tcp: the plan', () => {
  it('splits devices over processes exactly, the first ones taking the remainder', () => {
    expect(splitEvenly(20_000, 3)).toEqual([6667, 6667, 6666]);
    expect(splitEvenly(5, 1)).toEqual([5]);
  });

  it('explains before starting when the broker process cannot hold one socket per device', () => {
    expect(descriptorProblem(10_000, 2, 20_000)).toBeNull();
    expect(descriptorProblem(20_000, 2, 20_000)).toBe(
      "20000 devices need 20128 open files in the broker's process and 10128 in each of 2 client processes; the limit is 20000 (ulimit -Hn): raise the hard limit to at least 20128 (ulimit -Hn needs privilege; in a container, the runtime's nofile ulimit) or run fewer devices",
    );
  });
});
