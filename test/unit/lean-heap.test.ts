import { describe, expect, it } from 'vitest';
import { leanHeap } from '../../cli/lean-heap.ts';

describe('leanHeap', () => {
  it('leaves a flag given to node alone', () => {
    expect(leanHeap(['--heap-growing-percent=20'])).toEqual(['--semi-space-growth-factor']);
    expect(leanHeap(['--semi-space-growth-factor', '2', '--heap-growing-percent=20'])).toEqual([]);
  });

  it('sets both otherwise', () => {
    expect(leanHeap(['--max-semi-space-size=4'])).toEqual([
      '--heap-growing-percent',
      '--semi-space-growth-factor',
    ]);
  });
});
