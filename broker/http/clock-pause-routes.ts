import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import { GraphError } from './graph/errors.ts';
import type { SimControl } from './sim-control.ts';
import { parseBody } from './validate.ts';

const pauseBody = z.strictObject({ paused: z.boolean() });

/**
 * GET/PUT /sim/clock/paused: a presenter's pause of the scaled clock (the terminal demo's space bar,
 * for the dashboard). SimControl has no pause, so this reaches the emulator's clock when it has a
 * scaled one; a virtual clock stands still anyway between advances.
 */
export function registerClockPauseRoutes(app: FastifyInstance, control: SimControl): void {
  const scaled = (): ScaledClock => {
    const clock = (control as { clock?: unknown }).clock;
    if (clock instanceof ScaledClock) return clock;
    throw GraphError.badRequest(
      'The clock is virtual: it moves only when POST /sim/clock/advance moves it, so there is nothing to pause.',
    );
  };
  const view = (clock: ScaledClock) => ({ paused: clock.paused, nowMs: clock.now(), speed: clock.speed });
  app.get('/sim/clock/paused', async () => view(scaled()));
  app.put('/sim/clock/paused', async (req) => {
    const { paused } = parseBody(pauseBody, req.body, 'sim.clockPaused');
    const clock = scaled();
    if (paused) clock.pause();
    else clock.resume();
    return view(clock);
  });
}
