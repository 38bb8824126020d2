import { describe, expect, it } from 'vitest';

/**
 * The model's modules load and a device can be wiped. The import happens inside the test on
 * purpose: a module that throws while loading (a malformed effect table, say) fails the files that
 * import it statically before any test runs, and a test runner that counts only failed tests (the
 * Stryker vitest runner) would see nothing fail. Here the crash is a failed test.
 */
describe('agent/model loads', () => {
  it('imports its effect tables and completes a wipe to factory state', async () => {
    const { makeDevice, wipe, expectDone } = await import('../helpers/devices.ts');
    const device = makeDevice('macos');
    const t = wipe(device);
    expect(expectDone(t)).toEqual(['W-1']);
    expect(t.state.apps).toEqual([]);
    expect(t.state.management.enrolled).toBe(false);
    expect(t.state.boot).toBe('setup');
  });
});
