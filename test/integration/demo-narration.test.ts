import { afterEach, describe, expect, it } from 'vitest';
import { actOnPlatform } from '../../cli/demo/actor.ts';
import { demoFleet } from '../../cli/demo/demo-fleet.ts';
import { runDemoScript } from '../../cli/demo/script.ts';
import { Emulator } from '../../emulator/emulator.ts';
import { createRng } from '../../sim/prng.ts';

/** The terminal demo's script and narration on the virtual clock (issue 14: a demo that never misleads). */

let emulator: Emulator | null = null;
afterEach(async () => {
  await emulator?.close();
  emulator = null;
});

const start = () =>
  Emulator.start({
    clock: 'virtual',
    speed: 60,
    seed: 'demo',
    db: ':memory:',
    agentDb: null,
    mqttPort: null,
    startMs: Date.UTC(2026, 0, 5, 9),
  });

describe('the terminal demo', () => {
  it('answers "still enrolling: N of M" instead of acting on a device that has not finished enrolling', async () => {
    emulator = await start();
    emulator.runner.addFleet({ cohorts: demoFleet(40), seed: 'demo', epochMs: emulator.clock.now() });
    const rng = createRng('demo').child('demo-ui');
    const total = emulator.runner.all().filter((a) => a.device.identity.platform === 'windows10').length;
    const early = actOnPlatform(emulator, 'windows10', { action: 'wipe', options: {} }, 'wipe', rng);
    expect(early).toEqual({
      ok: false,
      message: `still enrolling: 0 of ${total} Windows 10 devices managed so far`,
    });
    expect(emulator.log.ofType('action.requested')).toHaveLength(0);
    await emulator.advance(60 * 60_000);
    const later = actOnPlatform(emulator, 'windows10', { action: 'wipe', options: {} }, 'wipe', rng);
    expect(later.ok, later.message).toBe(true);
  });

  it('--plain script: waits for enrollment, then narrates each step once — sent, delivered, power cut, rolled back (W-PROT-2), resumed (W-PROT-1), done, failed', async () => {
    emulator = await start();
    const lines: string[] = [];
    const script = runDemoScript(emulator, createRng('demo').child('demo-ui'), (l) => lines.push(l));
    await emulator.enroll(demoFleet(40));
    for (let i = 0; i < 12 && script.sent.length < 3; i++) await emulator.advance(5 * 60_000);
    expect(script.sent.map((s) => s.message.split(' sent to ')[0])).toEqual([
      'wipe',
      'protected wipe',
      'retire',
    ]);
    await emulator.advance(4 * 60 * 60_000);
    script.stop();

    const [wipe, prot, retire] = script.sent.map((s) => s.deviceName);
    const said = lines.map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    // Enrollment progress is said before the first action, which waits for it.
    expect(said.findIndex((l) => l.startsWith('enrolled: '))).toBeLessThan(
      said.indexOf(`wipe sent to ${wipe}`),
    );
    expect(said.some((l) => l.startsWith('still enrolling'))).toBe(false);
    const inOrder = (device: string, steps: string[]) => {
      const mine = said.filter((l) => l.includes(device!));
      let at = -1;
      for (const step of steps) {
        const next = mine.findIndex((l, i) => i > at && l === step);
        expect(next, `"${step}" after line ${at} of:\n${mine.join('\n')}`).toBeGreaterThan(at);
        at = next;
      }
    };
    inOrder(wipe!, [
      `wipe sent to ${wipe}`,
      `wipe delivered to ${wipe}`,
      `${wipe}: reset started`,
      `power cut on ${wipe}`,
      `${wipe}: power lost during an unprotected wipe: rolled back (W-PROT-2)`,
      `power restored on ${wipe}`,
      `wipe on ${wipe}: failed (powerLostDuringWipe)`,
    ]);
    inOrder(prot!, [
      `protected wipe sent to ${prot}`,
      `wipe delivered to ${prot}`,
      `${prot}: protected reset started`,
      `power cut on ${prot}`,
      `power restored on ${prot}`,
      `${prot}: reset resumed after the power came back (attempt 2, W-PROT-1)`,
      `wipe on ${prot}: done`,
    ]);
    inOrder(retire!, [
      `retire sent to ${retire}`,
      `retire delivered to ${retire}`,
      `retire on ${retire}: done`,
    ]);
    // Once per event: no line is said twice.
    expect(lines.length).toBe(new Set(lines).size);
  });
});
