import type { Emulator } from '../../emulator/emulator.ts';
import type { FleetEvent } from '../../sim/events.ts';
import type { ManagementState } from '../../sim/management-state.ts';
import { PLATFORM_IDS, PLATFORMS } from '../../sim/platforms/index.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';

/** What the live view shows, read from the emulator at one instant. */
export interface DemoSnapshot {
  simNowMs: number;
  speed: number | null;
  paused: boolean;
  platforms: {
    id: PlatformId;
    label: string;
    byState: Partial<Record<ManagementState, number>>;
    total: number;
  }[];
  inFlight: { pending: number; active: number };
  propagation: {
    count: number;
    p50Ms: number | null;
    p95Ms: number | null;
    maxMs: number | null;
    lastMs: number[];
  };
  focus: {
    serialNumber: string;
    platform: PlatformId;
    action: string;
    actionState: string;
    power: string;
    boot: string;
    resetProgress: number | null;
    attempts: number;
  } | null;
  selected: PlatformId;
  message: string;
  recent: string[];
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const INTERESTING = new Set([
  'action.requested',
  'action.acknowledged',
  'action.completed',
  'agent.power',
  'device.removed',
  'device.enrolled',
  'push.suppressed',
]);

/** The last `n` events worth showing, found by walking back from the end (the log is long). */
function lastInteresting(events: readonly FleetEvent[], n: number): FleetEvent[] {
  const found: FleetEvent[] = [];
  for (let i = events.length - 1; i >= 0 && found.length < n; i--)
    if (INTERESTING.has(events[i]!.type)) found.unshift(events[i]!);
  return found;
}

export function describeEvent(e: FleetEvent): string {
  const t = new Date(e.atMs).toISOString().slice(11, 19);
  switch (e.type) {
    case 'action.requested':
      return `${t} ${e.initiatedBy} → ${e.action}${Object.keys(e.options).length ? ` ${JSON.stringify(e.options)}` : ''}`;
    case 'action.acknowledged':
      return `${t} ${e.action} reached the device in ${(e.propagationMs / 60_000).toFixed(1)} min`;
    case 'action.completed':
      return `${t} ${e.action} ${e.status}${e.reasonCode ? ` (${e.reasonCode})` : ''}`;
    case 'agent.power':
      return `${t} ${e.serialNumber} power ${e.power}`;
    case 'device.removed':
      return `${t} record removed (${e.why}, ${e.specId})`;
    case 'device.enrolled':
      return `${t} ${e.serialNumber} enrolled${e.automatic ? ' again at setup (ADE)' : ''}`;
    case 'push.suppressed':
      return `${t} push on ${e.channel} is down`;
    default:
      return `${t} ${e.type}`;
  }
}

export function takeSnapshot(
  emulator: Emulator,
  ui: { selected: PlatformId; focusSerial: string | null; focusActionId: string | null; message: string },
): DemoSnapshot {
  const service = emulator.service;
  const platforms = PLATFORM_IDS.map((id) => ({
    id,
    label: PLATFORMS[id].displayName,
    byState: {} as Partial<Record<ManagementState, number>>,
    total: 0,
  }));
  for (const d of service.listDevices()) {
    const row = platforms.find((p) => p.id === d.identity.platform)!;
    row.byState[d.managementState] = (row.byState[d.managementState] ?? 0) + 1;
    row.total++;
  }
  let pending = 0;
  let active = 0;
  for (const a of service.actions.values()) {
    if (a.state === 'pending') pending++;
    else if (a.state === 'active') active++;
  }
  const acks = emulator.log.ofType('action.acknowledged');
  const times = acks.map((e) => e.propagationMs).sort((a, b) => a - b);
  const agent = ui.focusSerial ? emulator.agent(ui.focusSerial) : undefined;
  const action = ui.focusActionId ? service.actions.get(ui.focusActionId) : undefined;
  const job = agent?.device.state.nvram.resetJob;
  const now = emulator.clock.now();
  const info = emulator.clockInfo();
  return {
    simNowMs: now,
    speed: info.speed,
    paused: 'paused' in emulator.clock ? (emulator.clock as { paused: boolean }).paused : false,
    platforms,
    inFlight: { pending, active },
    propagation: {
      count: times.length,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: times.at(-1) ?? null,
      lastMs: acks.slice(-5).map((e) => e.propagationMs),
    },
    focus:
      agent && action
        ? {
            serialNumber: agent.serialNumber,
            platform: agent.device.identity.platform,
            action:
              action.command.type === 'wipe' && action.command.options.useProtectedWipe
                ? 'protected wipe'
                : action.command.type,
            actionState: action.state,
            power: agent.device.state.power,
            boot: agent.device.state.boot,
            resetProgress:
              job && agent.device.state.power === 'on'
                ? Math.min(1, Math.max(0, (now - job.startedAtMs) / job.durationMs))
                : null,
            attempts: job?.attempts ?? 0,
          }
        : null,
    selected: ui.selected,
    message: ui.message,
    recent: lastInteresting(emulator.log.storyEvents(), 8).map(describeEvent),
  };
}
