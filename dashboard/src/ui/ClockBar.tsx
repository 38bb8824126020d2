import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import type { Refusal } from '../logic/actions.ts';

interface ClockInfo {
  mode: 'virtual' | 'scaled';
  nowMs: number;
  speed: number | null;
  paused: boolean;
  /** performance.now() when nowMs was read, to run the display on between reads. */
  readAt: number;
}

export const SPEEDS = [1, 10, 60, 300, 600, 3600] as const;
const STEPS = [
  { by: '1m', label: '+1 min' },
  { by: '15m', label: '+15 min' },
  { by: '1h', label: '+1 h' },
] as const;
const CHANNELS = ['APNs', 'WNS', 'FCM'] as const;
/** Re-read the service's clock this often; the display runs on locally in between. */
const RESYNC_MS = 5000;

/** Sim time, speed, pause (scaled clock) or step (virtual clock), and the push channels. */
export function ClockBar(props: { api: Api; onRefused: (r: Refusal) => void; liveSeq: number }) {
  const { api } = props;
  const [clock, setClock] = useState<ClockInfo | null>(null);
  const [, tick] = useState(0);
  const [down, setDown] = useState<string[]>([]);

  const read = async () => {
    const c = await api.get<{ mode: 'virtual' | 'scaled'; nowMs: number; speed: number | null }>(
      '/sim/clock',
    );
    const paused =
      c.mode === 'scaled' ? (await api.get<{ paused: boolean }>('/sim/clock/paused')).paused : false;
    setClock({ ...c, paused, readAt: performance.now() });
    setDown((await api.get<{ channelsDown: string[] }>('/sim/push')).channelsDown);
  };
  useEffect(() => {
    void read();
    const resync = setInterval(() => void read(), RESYNC_MS);
    const display = setInterval(() => tick((n) => n + 1), 250);
    return () => {
      clearInterval(resync);
      clearInterval(display);
    };
  }, [api]);
  // On the virtual clock every event may mean time moved.
  useEffect(() => {
    if (clock?.mode === 'virtual') void read();
  }, [props.liveSeq]);

  const act = async (method: string, path: string, body: unknown) => {
    const r = await api.call(method, path, body);
    if (!r.ok) props.onRefused(r.refusal);
    await read();
  };
  if (!clock) return <div class="clock">sim clock …</div>;
  const now =
    clock.mode === 'scaled' && !clock.paused
      ? clock.nowMs + (performance.now() - clock.readAt) * (clock.speed ?? 1)
      : clock.nowMs;
  const shown = new Date(now).toISOString().replace('T', ' ').slice(0, 19);
  return (
    <fieldset class="clock">
      <legend class="sr-only">Simulation clock</legend>
      <span class="sim-time" data-testid="sim-time">
        {shown} UTC
      </span>
      <span class="mode">{clock.mode === 'scaled' ? `×${clock.speed}` : 'virtual clock'}</span>
      {clock.mode === 'scaled' ? (
        <>
          <label>
            speed{' '}
            <select
              value={String(clock.speed)}
              onChange={(e) =>
                void act('PUT', '/sim/clock/speed', { speed: Number((e.target as HTMLSelectElement).value) })
              }
            >
              {[...new Set([...SPEEDS, clock.speed ?? 60])]
                .sort((a, b) => a - b)
                .map((s) => (
                  <option value={String(s)}>{s}×</option>
                ))}
            </select>
          </label>
          <button
            type="button"
            aria-pressed={clock.paused}
            onClick={() => void act('PUT', '/sim/clock/paused', { paused: !clock.paused })}
          >
            {clock.paused ? 'Resume' : 'Pause'}
          </button>
        </>
      ) : (
        STEPS.map((s) => (
          <button type="button" onClick={() => void act('POST', '/sim/clock/advance', { by: s.by })}>
            {s.label}
          </button>
        ))
      )}
      <fieldset class="push">
        <legend class="sr-only">Push channels</legend>
        push:
        {CHANNELS.map((c) => {
          const up = !down.includes(c);
          return (
            <button
              type="button"
              class={up ? 'chan up' : 'chan down'}
              aria-pressed={!up}
              title={up ? `Take ${c} down` : `Bring ${c} back up`}
              onClick={() => void act('PUT', `/sim/push/${c}`, { up: !up })}
            >
              {c} {up ? 'up' : 'down'}
            </button>
          );
        })}
      </fieldset>
    </fieldset>
  );
}
