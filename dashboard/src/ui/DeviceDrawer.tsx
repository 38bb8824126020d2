import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DeviceIdentity } from '../../../sim/device-identity.ts';
import type { DeviceState } from '../../../sim/device-state.ts';
import type { Api } from '../api.ts';
import { ACTION_LABELS, type ActionKind, notActionable } from '../logic/actions.ts';
import type { DeviceRow } from '../logic/fleet-store.ts';
import { labelChanges, type SentAction } from '../logic/rule-attribution.ts';
import { stateLabel } from '../logic/states.ts';
import { StateSections } from './StateSections.tsx';

export interface LastAction {
  sent: SentAction;
  before: DeviceState;
  status: string | null;
  rules: string[];
}

interface SimDevice {
  serialNumber: string;
  managedDeviceId: string | null;
  online: boolean;
  identity: DeviceIdentity;
  state: DeviceState;
}

/** Wait this long after a device's last event before reading it again (events come in bursts). */
const REFRESH_DELAY_MS = 150;

/** One device: identity, its managedDevice record, its modeled state, actions and faults. */
export function DeviceDrawer(props: {
  api: Api;
  row: DeviceRow;
  touchedSeq: number;
  lastAction: LastAction | undefined;
  onAction: (kind: ActionKind) => void;
  onPower: (on: boolean) => void;
  onNetwork: (online: boolean) => void;
  onClose: () => void;
}) {
  const { api, row } = props;
  const [loaded, setSim] = useState<SimDevice | null>(null);
  const [recordLoaded, setRecord] = useState<Record<string, unknown> | null>(null);
  // What was read for the device shown before stays hidden until this one's arrives.
  const sim = loaded?.serialNumber === row.serialNumber ? loaded : null;
  const record = recordLoaded?.serialNumber === row.serialNumber ? recordLoaded : null;
  useEffect(() => {
    const timer = setTimeout(async () => {
      setSim(await api.get<SimDevice>(`/sim/devices/${encodeURIComponent(row.serialNumber)}`));
      if (row.deviceId) {
        const r = await api.call<Record<string, unknown>>(
          'GET',
          `/beta/deviceManagement/managedDevices/${encodeURIComponent(row.deviceId)}`,
        );
        setRecord(r.ok ? r.value : null);
      } else setRecord(null);
    }, REFRESH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [row.serialNumber, props.touchedSeq]);

  const blocked = notActionable(row);
  const windows10 = row.platform === 'windows10';
  const actions: ActionKind[] = [
    'wipe',
    'retire',
    'delete',
    ...(windows10 ? ['freshStart' as const] : []),
    'sync',
  ];
  const results =
    (record?.deviceActionResults as { actionName: string; actionState: string }[] | undefined) ?? [];
  const job = sim?.state.nvram.resetJob ?? null;
  const last = props.lastAction;
  const changes = useMemo(
    () => (last && sim ? labelChanges(last.sent, sim.identity, last.before, sim.state, last.rules) : []),
    [last, last?.rules.length, sim],
  );

  return (
    <aside class="drawer" aria-labelledby="drawer-title" data-testid="drawer">
      <header>
        <h2 id="drawer-title">{row.deviceName}</h2>
        <button type="button" aria-label="Close the device" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <dl class="facts">
        <dt>state</dt>
        <dd data-testid="drawer-state">{stateLabel(row.state)}</dd>
        <dt>serial</dt>
        <dd>{row.serialNumber}</dd>
        <dt>platform</dt>
        <dd>
          {sim ? `${sim.identity.platform} ${sim.identity.osVersion}` : row.platform} · {row.enrollmentType}
        </dd>
        <dt>user</dt>
        <dd>{row.userPrincipalName || '—'}</dd>
        <dt>power</dt>
        <dd data-testid="drawer-power">{row.power}</dd>
        <dt>network</dt>
        <dd>{row.network}</dd>
        <dt>boot</dt>
        <dd>{sim?.state.boot ?? '…'}</dd>
        <dt>reset</dt>
        <dd data-testid="drawer-reset">
          {job
            ? `${job.protectedWipe ? 'protected ' : ''}${job.action} in progress, attempt ${job.attempts}, started ${new Date(job.startedAtMs).toISOString().slice(11, 19)}, takes ${Math.round(job.durationMs / 60_000)} min`
            : 'none'}
        </dd>
      </dl>
      <fieldset class="actions">
        <legend class="sr-only">Device actions</legend>
        {actions.map((k) => (
          <button type="button" disabled={blocked !== null} onClick={() => props.onAction(k)}>
            {ACTION_LABELS[k]}
            {k === 'wipe' || k === 'freshStart' || k === 'retire' || k === 'delete' ? '…' : ''}
          </button>
        ))}
      </fieldset>
      {blocked && <p class="note">{blocked}</p>}
      <fieldset class="actions">
        <legend class="sr-only">Faults</legend>
        <button type="button" onClick={() => props.onPower(row.power === 'off')}>
          {row.power === 'off' ? 'Power on' : 'Cut the power'}
        </button>
        <button type="button" onClick={() => props.onNetwork(row.network === 'offline')}>
          {row.network === 'offline' ? 'Network on' : 'Network off'}
        </button>
      </fieldset>
      {results.length > 0 && (
        <table class="results" aria-label="deviceActionResults">
          <thead>
            <tr>
              <th>action</th>
              <th>actionState</th>
            </tr>
          </thead>
          <tbody>
            {results.map((a) => (
              <tr>
                <td>{a.actionName}</td>
                <td data-testid="action-state">{a.actionState}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {last && (
        <section class="diff" aria-label="What the last action changed">
          <h3>
            {ACTION_LABELS[last.sent.kind]}: {last.status ?? 'in progress'}
            {last.rules.length > 0 && <span class="rules"> rules {last.rules.join(', ')}</span>}
          </h3>
          {changes.length === 0 ? (
            <p class="note">No change on the device yet.</p>
          ) : (
            <ul data-testid="diff">
              {changes.map((c) => (
                <li class={c.change}>
                  <b>{c.section}</b> {c.change}: {c.item}
                  {c.detail ? ` (${c.detail})` : ''}{' '}
                  <span
                    class={c.rules.length ? 'rule' : 'rule none'}
                    title={
                      c.rules.length
                        ? 'The spec rule that made this change'
                        : 'No rule of the action made this change'
                    }
                  >
                    {c.rules.length ? c.rules.join(', ') : 'not the action'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {sim && <StateSections state={sim.state} />}
      {record && (
        <details>
          <summary>managedDevice record</summary>
          <pre>{JSON.stringify(record, null, 2)}</pre>
        </details>
      )}
    </aside>
  );
}
