import { emitKeypressEvents } from 'node:readline';
import type { ScaledClock } from '../../sim/clock/scaled-clock.ts';
import type { ActionRequest } from '../../sim/eligibility.ts';
import { PLATFORM_IDS } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { startServing } from '../serve.ts';
import { demoFleet } from './demo-fleet.ts';
import { renderView } from './render.ts';
import { takeSnapshot } from './snapshot.ts';

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
}

const REDRAW_MS = 500;
const PLAIN_EVERY_MS = 5_000;

/**
 * `fleetsim demo`: the service, its broker and HTTP APIs, and a mixed fleet of every platform on a
 * 60× clock, with a live terminal view. On a terminal, keys let a presenter act without another tool;
 * elsewhere (CI, a pipe) it prints a summary every few seconds.
 */
export async function demo(options: DemoOptions): Promise<void> {
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

  /** Wipes or retires a managed device of the selected platform, and watches it. */
  const act = (request: ActionRequest, label: string) => {
    const candidates = emulator.service
      .listDevices()
      .filter((d) => d.identity.platform === ui.selected && d.managementState === 'managed');
    if (candidates.length === 0) {
      ui.message = `no managed ${ui.selected} device left to ${label}`;
      return;
    }
    const device = rng.pick(candidates);
    const result = emulator.service.requestAction(device.id, request, {
      userPrincipalName: 'admin@contoso.onmicrosoft.com',
      source: 'admin',
    });
    if (!result.ok) {
      ui.message = `refused: ${result.error.message} (${result.error.code}${result.error.specId ? `, ${result.error.specId}` : ''})`;
      return;
    }
    ui.focusSerial = device.identity.serialNumber;
    ui.focusActionId = result.value?.id ?? null;
    ui.message = `${label} sent to ${device.identity.deviceName}`;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearInterval(timer);
    if (interactive) {
      process.stdin.setRawMode(false);
      process.stdout.write('\x1b[?25h\n');
    }
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
        else if (k === 'o' && ui.focusSerial) {
          const on = emulator.agent(ui.focusSerial)?.device.state.power === 'off';
          emulator.power(ui.focusSerial, on);
          ui.message = `${ui.focusSerial} power ${on ? 'restored' : 'cut'}`;
        } else if (k === ' ') {
          if (clock.paused) clock.resume();
          else clock.pause();
        } else if (k === '+' || k === '=') emulator.setSpeed(Math.min(clock.speed * 2, 100_000));
        else if (k === '-') emulator.setSpeed(Math.max(clock.speed / 2, 1));
      },
    );
    process.stdout.write('\x1b[?25l');
    const draw = () => {
      const lines = renderView(takeSnapshot(emulator, ui), urls);
      process.stdout.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
    };
    draw();
    timer = setInterval(draw, REDRAW_MS);
  } else {
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say(`fleetsim demo: ${emulator.runner.all().length} devices, clock ×${clock.speed}`);
    say(`  Graph: ${urls.http}/v1.0   control: ${urls.http}/sim   MQTT: ${urls.mqtt}   token: ${urls.token}`);
    // Without a presenter, the demo acts by itself: a wipe, a protected wipe cut by a power loss, a retire.
    const script: [number, () => void][] = [
      [1, () => act({ action: 'wipe', options: {} }, 'wipe')],
      [2, () => act({ action: 'wipe', options: { useProtectedWipe: true } }, 'protected wipe')],
      [3, () => ui.focusSerial && emulator.power(ui.focusSerial, false)],
      [4, () => ui.focusSerial && emulator.power(ui.focusSerial, true)],
      [
        5,
        () => {
          ui.selected = 'ios';
          act({ action: 'retire' }, 'retire');
        },
      ],
    ];
    let tick = 0;
    const step = () => {
      tick++;
      for (const [at, run] of script) if (at === tick) run();
      const s = takeSnapshot(emulator, ui);
      const states = s.platforms.reduce((n, p) => n + p.total, 0);
      say(
        `${new Date(s.simNowMs).toISOString()}  listed ${states}  in flight ${s.inFlight.pending}+${s.inFlight.active}  ` +
          `propagation p50 ${s.propagation.p50Ms === null ? '—' : `${(s.propagation.p50Ms / 60_000).toFixed(1)} min`}` +
          `  ${s.message}`,
      );
    };
    timer = setInterval(step, PLAIN_EVERY_MS / 5);
  }
  if (options.for !== undefined) setTimeout(() => void stop(), options.for * 1000).unref();
}
