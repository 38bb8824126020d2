import { useMemo, useState } from 'preact/hooks';
import type { DeviceState } from '../../../sim/device-state.ts';
import type { FleetEvent } from '../../../sim/events.ts';
import type { Api } from '../api.ts';
import { ACTION_LABELS, type ActionKind, actionCall, notActionable, type Refusal } from '../logic/actions.ts';
import type { DeviceRow } from '../logic/fleet-store.ts';
import { type FleetFilter, NO_FILTER } from '../logic/fleet-view.ts';
import { type ActionChoice, ActionDialog } from './ActionDialog.tsx';
import { ClockBar } from './ClockBar.tsx';
import { DeviceDrawer, type LastAction } from './DeviceDrawer.tsx';
import { EventLog, PropagationChart } from './EventLog.tsx';
import { FleetPanel } from './FleetPanel.tsx';
import { PropagationTimeline, TIMELINE_ROWS } from './PropagationTimeline.tsx';
import { ScenarioPanel } from './ScenarioPanel.tsx';
import { useLiveFleet } from './use-live-fleet.ts';

type Notice = { kind: 'ok' | 'info'; text: string } | { kind: 'refused'; text: string; refusal: Refusal };

const BULK_FAULTS = [
  { what: 'power', on: false, label: 'Power off' },
  { what: 'power', on: true, label: 'Power on' },
  { what: 'network', on: false, label: 'Network off' },
  { what: 'network', on: true, label: 'Network on' },
] as const;

/** Bulk actions run this many requests at a time. */
const BULK_PARALLEL = 8;
/** Record the state before an action (for the drawer's diff) for selections up to this size. */
const BEFORE_STATES_MAX = 50;

export function App(props: { api: Api; onSignOut: () => void }) {
  const { api } = props;
  const [lastActions] = useState(() => new Map<string, LastAction>());
  const live = useLiveFleet(api, (e: FleetEvent) => noteCompletion(e));
  const { store, version } = live;
  const rows = useMemo(() => store.all(), [version]);
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [opened, setOpen] = useState<string | null>(null);
  const [scenarios, setScenarios] = useState(false);
  // The side column holds one thing: the device drawer or scenario playback.
  const open = scenarios ? null : opened;
  const openDevice = (serial: string | null) => {
    setScenarios(false);
    setOpen(serial);
  };
  const [dialog, setDialog] = useState<{ kind: ActionKind; serials: string[] } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  function noteCompletion(e: FleetEvent) {
    const serial =
      'deviceId' in e && typeof e.deviceId === 'string'
        ? store.serialOf(e.deviceId)
        : 'serialNumber' in e
          ? e.serialNumber
          : undefined;
    const last = serial ? lastActions.get(serial) : undefined;
    if (!last) return;
    if (e.type === 'action.completed') {
      last.status = e.status;
      last.rules = [...new Set([...last.rules, ...e.rules])];
    } else if (e.type === 'device.removed') {
      last.status = `record removed (${e.specId})`;
      last.rules = [...new Set([...last.rules, e.specId])];
    } else if (e.type === 'agent.model' && e.event.type === 'resetRolledBack')
      last.status = 'rolled back (W-PROT-2)';
  }

  const refused = (refusal: Refusal, what: string) =>
    setNotice({
      kind: 'refused',
      text: `${what} refused${refusal.rule ? ` — rule ${refusal.rule}` : ''}`,
      refusal,
    });

  const perform = async (choice: ActionChoice, serials: string[]) => {
    const targets = serials.map((s) => store.get(s)).filter((r): r is DeviceRow => r !== undefined);
    const blocked = targets.filter((r) => notActionable(r) !== null);
    const enrolling = blocked.filter((r) => r.state === 'enrolling').length;
    const sendable = targets.filter((r) => notActionable(r) === null);
    const label = ACTION_LABELS[choice.kind];
    if (targets.length === 1 && blocked.length === 1) {
      setNotice({
        kind: 'info',
        text: `${label}: ${targets[0]!.deviceName} — ${notActionable(targets[0]!)}`,
      });
      return;
    }
    const refusals: { row: DeviceRow; refusal: Refusal }[] = [];
    let sent = 0;
    const one = async (row: DeviceRow) => {
      const before =
        sendable.length <= BEFORE_STATES_MAX
          ? (await api.get<{ state: DeviceState }>(`/sim/devices/${encodeURIComponent(row.serialNumber)}`))
              .state
          : null;
      const call = actionCall(choice.kind, row.deviceId!, choice.wipe, choice.freshStartKeepUserData);
      const r = await api.call(call.method, call.path, call.body);
      if (!r.ok) refusals.push({ row, refusal: r.refusal });
      else {
        sent++;
        if (before) lastActions.set(row.serialNumber, { sent: choice, before, status: null, rules: [] });
      }
    };
    for (let i = 0; i < sendable.length; i += BULK_PARALLEL)
      await Promise.all(sendable.slice(i, i + BULK_PARALLEL).map(one));
    if (targets.length === 1 && refusals.length === 1) return refused(refusals[0]!.refusal, label);
    const options = [
      choice.kind === 'wipe' && choice.wipe.keepEnrollmentAndUser ? 'keeping enrollment and user' : '',
      choice.kind === 'wipe' && choice.wipe.continueOnPowerLoss ? 'protected against power loss' : '',
    ].filter(Boolean);
    const what = `${label}${options.length ? ` (${options.join(', ')})` : ''}`;
    const parts = [
      targets.length === 1 && sent === 1
        ? `${what} sent to ${targets[0]!.deviceName}`
        : `${what} sent to ${sent} of ${targets.length}`,
    ];
    if (enrolling) parts.push(`still enrolling: ${enrolling} of ${targets.length}`);
    if (blocked.length - enrolling) parts.push(`${blocked.length - enrolling} without a record`);
    if (refusals.length) {
      const byRule = new Map<string, number>();
      for (const r of refusals) {
        const key = r.refusal.rule ?? r.refusal.reason ?? 'refused';
        byRule.set(key, (byRule.get(key) ?? 0) + 1);
      }
      parts.push(`refused: ${[...byRule].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      setNotice({ kind: 'refused', text: parts.join('; '), refusal: refusals[0]!.refusal });
    } else setNotice({ kind: 'ok', text: parts.join('; ') });
  };

  const fault = async (serials: string[], what: 'power' | 'network', on: boolean) => {
    for (const s of serials) {
      const r = await api.call(
        'POST',
        `/sim/devices/${encodeURIComponent(s)}/${what}`,
        what === 'power' ? { on } : { online: on },
      );
      if (!r.ok) return refused(r.refusal, what);
    }
    const name =
      serials.length === 1 ? (store.get(serials[0]!)?.deviceName ?? serials[0]) : `${serials.length} devices`;
    setNotice({
      kind: 'ok',
      text: `${what === 'power' ? (on ? 'Power restored to' : 'Power cut on') : on ? 'Network back on' : 'Network off on'} ${name}`,
    });
  };

  const ask = (kind: ActionKind, serials: string[]) => {
    if (kind === 'sync')
      void perform(
        {
          kind,
          wipe: { keepEnrollmentAndUser: false, continueOnPowerLoss: false },
          freshStartKeepUserData: false,
        },
        serials,
      );
    else setDialog({ kind, serials });
  };
  const openRow = open ? store.get(open) : undefined;
  const selection = [...selected];

  return (
    <div class="app">
      <header class="top">
        <h1>fleetsim</h1>
        <ClockBar api={api} onRefused={(r) => refused(r, 'clock')} liveSeq={live.lastEvent?.seq ?? 0} />
        <button type="button" aria-pressed={scenarios} onClick={() => setScenarios(!scenarios)}>
          Scenarios
        </button>
        <span class={live.connected ? 'live on' : 'live off'} data-testid="live">
          {live.connected ? '● live' : '○ reconnecting'}
        </span>
        <button type="button" class="link" onClick={props.onSignOut}>
          sign out
        </button>
      </header>
      {notice && (
        <div
          class={`notice ${notice.kind}`}
          role={notice.kind === 'refused' ? 'alert' : 'status'}
          data-testid="notice"
        >
          <span>{notice.text}</span>
          {notice.kind === 'refused' && (
            <span class="reason">
              {notice.refusal.message}
              {notice.refusal.reason ? ` [${notice.refusal.reason}]` : ''}
            </span>
          )}
          <button type="button" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ✕
          </button>
        </div>
      )}
      {selection.length > 0 && (
        <fieldset class="bulk">
          <legend class="sr-only">Actions on the selection</legend>
          <b>{selection.length} selected</b>
          {(['wipe', 'retire', 'delete', 'sync'] as const).map((k) => (
            <button type="button" onClick={() => ask(k, selection)}>
              {ACTION_LABELS[k]}
            </button>
          ))}
          {BULK_FAULTS.map((f) => (
            <button type="button" onClick={() => void fault(selection, f.what, f.on)}>
              {f.label}
            </button>
          ))}
          <button type="button" class="link" onClick={() => setSelected(new Set())}>
            clear
          </button>
        </fieldset>
      )}
      <main class={openRow || scenarios ? 'body with-drawer' : 'body'}>
        <FleetPanel
          rows={rows}
          version={version}
          filter={filter}
          setFilter={setFilter}
          selected={selected}
          setSelected={setSelected}
          open={open}
          onOpen={openDevice}
        />
        {scenarios && <ScenarioPanel api={api} onClose={() => setScenarios(false)} />}
        {openRow && (
          <DeviceDrawer
            api={api}
            row={openRow}
            touchedSeq={live.touched.get(openRow.serialNumber) ?? 0}
            lastAction={lastActions.get(openRow.serialNumber)}
            onAction={(k) => ask(k, [openRow.serialNumber])}
            onPower={(on) => void fault([openRow.serialNumber], 'power', on)}
            onNetwork={(on) => void fault([openRow.serialNumber], 'network', on)}
            onClose={() => setOpen(null)}
          />
        )}
      </main>
      <footer class="bottom">
        <EventLog lines={live.log} version={version} />
        <PropagationChart timesMs={live.propagationMs} version={version} />
        <PropagationTimeline
          actions={live.actions.recent(TIMELINE_ROWS)}
          nowMs={live.lastEvent?.atMs ?? 0}
          nameOf={(id) => store.get(store.serialOf(id) ?? '')?.deviceName ?? id.slice(0, 8)}
          version={version}
        />
      </footer>
      {dialog && (
        <ActionDialog
          kind={dialog.kind}
          target={
            dialog.serials.length === 1
              ? (store.get(dialog.serials[0]!)?.deviceName ?? '')
              : `${dialog.serials.length} devices`
          }
          onCancel={() => setDialog(null)}
          onConfirm={(c) => {
            const serials = dialog.serials;
            setDialog(null);
            void perform(c, serials);
          }}
        />
      )}
    </div>
  );
}
