import { describe, expect, it } from 'vitest';
import { LEAN_HEAP_FLAGS, leanHeap } from '../../cli/lean-heap.ts';

describe('leanHeap', () => {
  it('leaves a flag given to node alone, however it was spelled', () => {
    expect(leanHeap('service', ['--heap-growing-percent=20'])).toEqual([
      '--semi-space-growth-factor=1',
      '--no-allocation-site-pretenuring',
    ]);
    expect(
      leanHeap('agents', [
        '--semi-space-growth-factor',
        '2',
        '--heap-growing-percent=20',
        '--allocation-site-pretenuring',
      ]),
    ).toEqual([]);
    expect(leanHeap('run', ['--no-allocation-site-pretenuring', '--heap-growing-percent=80'])).toEqual([]);
    expect(leanHeap('run', ['--allocation_site_pretenuring'])).toEqual(['--heap-growing-percent=10']);
    // A flag that only starts the same is another flag.
    expect(leanHeap('run', ['--allocation-site-pretenuring-extra'])).toEqual([
      '--heap-growing-percent=10',
      '--no-allocation-site-pretenuring',
    ]);
  });

  it("sets the role's flags otherwise: agents, holding the devices' models, collect sooner", () => {
    expect(leanHeap('service', ['--max-semi-space-size=4'])).toEqual([
      '--heap-growing-percent=50',
      '--semi-space-growth-factor=1',
      '--no-allocation-site-pretenuring',
    ]);
    expect(leanHeap('agents', [])).toEqual([
      '--heap-growing-percent=30',
      '--semi-space-growth-factor=1',
      '--no-allocation-site-pretenuring',
    ]);
  });

  it('turns pretenuring off for every kind of process, `run` growing by a tenth (its heap is mostly its devices)', () => {
    for (const role of Object.keys(LEAN_HEAP_FLAGS) as (keyof typeof LEAN_HEAP_FLAGS)[])
      expect(leanHeap(role, [])).toContain('--no-allocation-site-pretenuring');
    expect(leanHeap('run', [])).toEqual(['--heap-growing-percent=10', '--no-allocation-site-pretenuring']);
  });
});
