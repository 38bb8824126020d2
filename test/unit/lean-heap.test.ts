import { describe, expect, it } from 'vitest';
import { leanHeap } from '../../cli/lean-heap.ts';

describe('leanHeap', () => {
  it('leaves a heap growth given to node alone', () => {
    expect(leanHeap(['--heap-growing-percent=20'])).toBe(false);
    expect(leanHeap(['--max-semi-space-size=4', '--heap-growing-percent', '20'])).toBe(false);
  });

  it('sets it otherwise', () => {
    expect(leanHeap([])).toBe(true);
    expect(leanHeap(['--max-semi-space-size=4'])).toBe(true);
  });
});
