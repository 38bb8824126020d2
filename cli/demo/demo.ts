import { emitKeypressEvents } from 'node:readline';
import { dashboardCode } from '../../broker/http/dashboard-session.ts';
import type { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { startServing } from '../serve.ts';
import { actOnPlatform } from './actor.ts';
import { demoFleet } from './demo-fleet.ts';
import { openBrowser } from './open-browser.ts';
import { renderView } from './render.ts';
import { runDemoScript } from './script.ts';
import { takeSnapshot } from './snapshot.ts';
import { demoSummary } from './summary.ts';

export interface DemoOptions {
  port: number;
  mqttPort: number;
  speed: number;
  devices: number;
  seed: string;
  /** Stop after this many wall seconds (for scripted runs); otherwise run until Ctrl-C or q. */
  for?: number;
  /** Force the plain, line-by-line output even on a terminal. */
  plain?: boolean;
  /** Open the dashboard in the default browser. */
  open?: boolean;
}

const REDRAW_MS = 500;

/** Colour when the terminal supports it and NO_COLOR (https://no-color.org) is not set. */
export function useColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

/**
 * `fleetsim demo`: the service, its broker, HTTP APIs and dashboard, and a mixed fleet of every
 * platform on a 60× clock. On a terminal, a live view with keys; elsewhere (or --plain) a script
 * acts by itself and every step is narrated once.
 */
export async function demo(options: DemoOptions): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const serving = await startServing({
    port: options.port,
    mqttPort: options.mqttPort,
    host: '127.0.0.1',
    clock: 'scaled',
    speed: options.speed,
    seed: options.seed,
    db: ':memory:',
    dataDir: '.fleetsim',
    adminUpn: 'admin@contoso.onmicrosoft.com',
  });
  const { emulator } = serving;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  // The one-time code rides in the fragment, which no server or proxy log ever sees.
  const dashboard = `${serving.httpUrl}/dashboard/#code=${dashboardCode(serving.token)}`;
  say(`dashboard: ${dashboard}`);
  if (options.open) {
    const problem = await openBrowser(dashboard);
    if (problem) say(`  (${problem}; open the dashboard link above)`);
  }
  await emulator.enroll(demoFleet(options.devices));
  const clock = emulator.clock as ScaledClock;
  const rng = createRng(options.seed).child('demo-ui');
  const ui = {
    selected: 'windows10' as (typeof PLATFORM_IDS)[number],
    focusSerial: null as string | null,
    focusActionId: null as string | null,
    message: '',
  };
  const urls = { http: serving.httpUrl, mqtt: emulator.server.mqttUrl, token: serving.token };
  const interactive = !options.plain && process.stdout.isTTY === true && process.stdin.isTTY === true;
  const colour = useColour(process.env, process.stdout.isTTY === true);

  const act = (request: ActionRequest, label: string) => {
    const outcome = actOnPlatform(emulator, ui.selected, request, label, rng);
    ui.message = outcome.message;
    if (outcome.ok) {
      ui.focusSerial = outcome.serialNumber;
      ui.focusActionId = outcome.actionId;
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let script: ReturnType<typeof runDemoScript> | null = null;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearInterval(timer);
    script?.stop();
    if (interactive) {
      process.stdin.setRawMode(false);
      process.stdout.write('\x1b[?25h\x1b[?1049l');
    }
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    for (const line of demoSummary(emulator.log, seconds)) say(line);
    await serving.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (interactive) {
    emitKeypressEvents(process.stdin);
    process.stdin.setRawMode(true);
    process.stdin.on(
      'keypress',
      (_text: string, key: { name?: string; sequence?: string; ctrl?: boolean }) => {
        const k = key.sequence ?? '';
        const i = PLATFORM_IDS.indexOf(ui.selected);
        if ((key.ctrl && key.name === 'c') || k === 'q') void stop();
        else if (k === ']' || key.name === 'right')
          ui.selected = PLATFORM_IDS[(i + 1) % PLATFORM_IDS.length]!;
        else if (k === '[' || key.name === 'left')
          ui.selected = PLATFORM_IDS[(i + PLATFORM_IDS.length - 1) % PLATFORM_IDS.length]!;
        else if (k === 'w') act({ action: 'wipe', options: {} }, 'wipe');
        else if (k === 'p') act({ action: 'wipe', options: { useProtectedWipe: true } }, 'protected wipe');
        else if (k === 'r') act({ action: 'retire' }, 'retire');
        else if (k === 'o') {
          if (!ui.focusSerial) ui.message = 'no device is being watched yet: wipe one first (w or p)';
          else {
            const on = emulator.agent(ui.focusSerial)?.device.state.power === 'off';
            emulator.power(ui.focusSerial, on);
            ui.message = `${ui.focusSerial} power ${on ? 'restored' : 'cut'}`;
          }
        } else if (k === ' ') {
          if (clock.paused) clock.resume();
          else clock.pause();
        } else if (k === '+' || k === '=') emulator.setSpeed(Math.min(clock.speed * 2, 100_000));
        else if (k === '-') emulator.setSpeed(Math.max(clock.speed / 2, 1));
      },
    );
    // The alternate screen keeps the shell's scrollback; redraws overwrite in place (no clear, no flicker).
    process.stdout.write('\x1b[?1049h\x1b[?25l\x1b[2J');
    const draw = () => {
      const lines = renderView(takeSnapshot(emulator, ui), urls, {
        width: process.stdout.columns ?? 80,
        colour,
        dashboard,
      });
      process.stdout.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\n\x1b[J`);
    };
    draw();
    timer = setInterval(draw, REDRAW_MS);
  } else {
    say(`fleetsim demo: ${emulator.runner.all().length} devices, clock ×${clock.speed}`);
    say(`  Graph: ${urls.http}/v1.0   control: ${urls.http}/sim   MQTT: ${urls.mqtt}   token: ${urls.token}`);
    script = runDemoScript(emulator, rng, say);
  }
  if (options.for !== undefined) setTimeout(() => void stop(), options.for * 1000).unref();
}
