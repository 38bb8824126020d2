import { describe, expect, it } from 'vitest';
import { LabelGuard, OTHER_LABEL_VALUE } from '../../broker/metrics/label-guard.ts';

describe('LabelGuard', () => {
  it('keeps the first values by name and counts every later new one as "other"', () => {
    const guard = new LabelGuard(2);
    expect(['a', 'b', 'a', 'c', 'b', 'd'].map((v) => guard.value(v))).toEqual([
      'a',
      'b',
      'a',
      OTHER_LABEL_VALUE,
      'b',
      OTHER_LABEL_VALUE,
    ]);
  });

  it('names a missing value "unknown"', () => {
    expect(new LabelGuard().value(undefined)).toBe('unknown');
  });
});
