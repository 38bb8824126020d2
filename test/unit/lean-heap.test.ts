import { describe, expect, it } from 'vitest';
import { leanHeap } from '../../cli/lean-heap.ts';

describe('leanHeap', () => {
  it('leaves a flag given to node alone', () => {
    expect(leanHeap('service', ['--heap-growing-percent=20'])).toEqual(['--semi-space-growth-factor=1']);
    expect(leanHeap('agents', ['--semi-space-growth-factor', '2', '--heap-growing-percent=20'])).toEqual([]);
  });

  it("sets the role's flags otherwise: agents, holding the devices' models, collect sooner", () => {
    expect(leanHeap('service', ['--max-semi-space-size=4'])).toEqual([
      '--heap-growing-percent=50',
      '--semi-space-growth-factor=1',
    ]);
    expect(leanHeap('agents', [])).toEqual(['--heap-growing-percent=40', '--semi-space-growth-factor=1']);
  });
});
