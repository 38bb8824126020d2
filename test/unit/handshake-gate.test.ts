import { describe, expect, it } from 'vitest';
import { gate } from '../../transport/handshake-gate.ts';

/** A task that runs until `finish` is called, noting when it started. */
function task(name: string, started: string[]) {
  let finish = () => {};
  const run = () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finish = () => resolve(name);
    });
  return { run, finish: () => finish() };
}

describe('the handshake gate', () => {
  it('runs at most max at once, then the waiting ones in order, urgent ones (a channel) before the others (enrollments)', async () => {
    const started: string[] = [];
    const turn = gate(1);
    const [a, e1, e2, c1, c2] = ['a', 'enroll-1', 'enroll-2', 'channel-1', 'channel-2'].map((n) =>
      task(n, started),
    );
    const done = [turn(a!.run), turn(e1!.run), turn(e2!.run), turn(c1!.run, true), turn(c2!.run, true)];
    expect(started).toEqual(['a']); // the others wait for the one running
    for (const t of [a, c1, c2, e1, e2]) {
      t!.finish();
      await new Promise((r) => setImmediate(r));
    }
    expect(started).toEqual(['a', 'channel-1', 'channel-2', 'enroll-1', 'enroll-2']);
    expect(await Promise.all(done)).toEqual(['a', 'enroll-1', 'enroll-2', 'channel-1', 'channel-2']);
  });
});
