import type { Emulator } from '../../emulator/emulator.ts';
import type { FleetEvent } from '../../sim/events.ts';
import type { Rng } from '../../sim/prng.ts';
import { type ActOutcome, actOnPlatform, enrollmentProgress } from './actor.ts';
import { Narrator } from './narrator.ts';

/** Sim time from a reset's start to the power cut, and from the cut to the power's return. */
export const CUT_AFTER_MS = 2 * 60_000;
export const RESTORE_AFTER_MS = 5 * 60_000;

type Sent = Extract<ActOutcome, { ok: true }>;

/**
 * The demo without a presenter (`--plain`, CI): once the Windows 10 and iOS devices have enrolled,
 * a wipe and a protected wipe (both cut by a power loss mid-reset, so one rolls back and one
 * resumes) and a retire. Driven by events and sim-clock timers, so it runs the same on the scaled
 * and the virtual clock; every line comes from the narrator, once per event.
 */
export function runDemoScript(
  emulator: Emulator,
  rng: Rng,
  tell: (line: string) => void,
  onSent: (sent: Sent) => void = () => {},
): { stop: () => void; sent: Sent[] } {
  const narrator = new Narrator();
  const sent: Sent[] = [];
  let started = false;
  let lastQuarter = -1;
  const cut = new Set<string>();

  const later = (ms: number, key: string, fn: () => void) =>
    emulator.clock.schedule(emulator.clock.now() + ms, key, fn);
  const act = (outcome: ActOutcome) => {
    if (!outcome.ok) return tell(outcome.message);
    narrator.watch(outcome.deviceId, outcome.serialNumber, outcome.deviceName);
    // Its action.requested event went by before the watch began: say it here, once.
    tell(`${new Date(emulator.clock.now()).toISOString().slice(11, 19)}  ${outcome.message}`);
    sent.push(outcome);
    onSent(outcome);
  };
  const progress = () => {
    const all = enrollmentProgress(emulator, null);
    if (all.total === 0) return;
    const quarter = Math.floor((4 * all.managed) / Math.max(1, all.total));
    if (quarter > lastQuarter) {
      lastQuarter = quarter;
      tell(`enrolled: ${all.managed} of ${all.total} devices managed`);
    }
    const ready = (['windows10', 'ios'] as const).every((p) => {
      const e = enrollmentProgress(emulator, p);
      return e.total > 0 && e.managed === e.total;
    });
    if (!ready || started) return;
    started = true;
    // Timers, not calls from inside the event listener: the log is mid-append here.
    later(0, 'demo-script', () => {
      act(actOnPlatform(emulator, 'windows10', { action: 'wipe', options: {} }, 'wipe', rng));
      act(
        actOnPlatform(
          emulator,
          'windows10',
          { action: 'wipe', options: { useProtectedWipe: true } },
          'protected wipe',
          rng,
        ),
      );
      act(actOnPlatform(emulator, 'ios', { action: 'retire' }, 'retire', rng));
    });
  };
  const onEvent = (e: FleetEvent) => {
    const line = narrator.line(e);
    if (line) tell(line);
    if (e.type === 'device.managementState' || e.type === 'device.enrolled') progress();
    if (
      e.type === 'agent.model' &&
      e.event.type === 'resetStarted' &&
      e.event.attempt === 1 &&
      !cut.has(e.serialNumber)
    ) {
      if (!sent.some((s) => s.serialNumber === e.serialNumber)) return;
      const serial = e.serialNumber;
      cut.add(serial);
      later(CUT_AFTER_MS, `demo-cut:${serial}`, () => {
        emulator.power(serial, false);
        later(RESTORE_AFTER_MS, `demo-restore:${serial}`, () => emulator.power(serial, true));
      });
    }
  };
  const off = emulator.log.on(onEvent);
  progress();
  return { stop: off, sent };
}
