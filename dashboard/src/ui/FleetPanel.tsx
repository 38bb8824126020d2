import { useMemo } from 'preact/hooks';
import { PLATFORM_IDS, PLATFORMS } from '../../../sim/platforms/index.ts';
import type { DeviceRow } from '../logic/fleet-store.ts';
import { countByState, type FleetFilter, groupRows, matchesFilter } from '../logic/fleet-view.ts';
import { stateColour, stateLabel, TILE_STATES } from '../logic/states.ts';
import { FleetCanvas } from './FleetCanvas.tsx';

/** Rows listed under the canvas for keyboard and screen-reader use; the canvas shows all. */
const LIST_ROWS_MAX = 40;

const platformName = (id: string) => PLATFORMS[id as keyof typeof PLATFORMS]?.displayName ?? id;

/** The fleet view: filters, counts per state, the tile canvas and an accessible list. */
export function FleetPanel(props: {
  rows: DeviceRow[];
  version: number;
  filter: FleetFilter;
  setFilter: (f: FleetFilter) => void;
  selected: ReadonlySet<string>;
  setSelected: (s: ReadonlySet<string>) => void;
  open: string | null;
  onOpen: (serial: string) => void;
}) {
  const { filter, setFilter, rows } = props;
  const shown = useMemo(() => rows.filter((r) => matchesFilter(r, filter)), [rows, filter, props.version]);
  const groups = useMemo(() => groupRows(shown, platformName), [shown]);
  const counts = useMemo(() => countByState(rows), [rows, props.version]);
  const toggle = (serial: string) => {
    const next = new Set(props.selected);
    if (next.has(serial)) next.delete(serial);
    else next.add(serial);
    props.setSelected(next);
  };
  const field = (name: keyof FleetFilter) => (e: Event) =>
    setFilter({ ...filter, [name]: (e.target as HTMLInputElement).value });
  const summary = `${shown.length} of ${rows.length} devices shown. ${[...counts]
    .map(([s, n]) => `${n} ${stateLabel(s)}`)
    .join(', ')}.`;

  return (
    <section class="fleet" aria-label="Fleet">
      <fieldset class="filters">
        <legend class="sr-only">Filter the fleet</legend>
        <label>
          Search
          <input
            type="search"
            data-testid="search"
            placeholder="name, serial or user"
            value={filter.text}
            onInput={field('text')}
          />
        </label>
        <label>
          Platform
          <select value={filter.platform} onChange={field('platform')}>
            <option value="">all</option>
            {PLATFORM_IDS.map((p) => (
              <option value={p}>{platformName(p)}</option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={filter.state} onChange={field('state')}>
            <option value="">all</option>
            {TILE_STATES.map((s) => (
              <option value={s.state}>{s.label}</option>
            ))}
          </select>
        </label>
        <label>
          User
          <input type="search" value={filter.user} onInput={field('user')} />
        </label>
        <span class="count" data-testid="shown-count">
          {shown.length} of {rows.length}
        </span>
      </fieldset>
      <ul class="legend" aria-label="Devices per state">
        {TILE_STATES.filter((s) => counts.get(s.state)).map((s) => (
          <li>
            <button
              type="button"
              aria-pressed={filter.state === s.state}
              onClick={() => setFilter({ ...filter, state: filter.state === s.state ? '' : s.state })}
            >
              <span class="swatch" style={{ background: stateColour(s.state) }} />
              {s.label} <b>{counts.get(s.state)}</b>
            </button>
          </li>
        ))}
      </ul>
      <FleetCanvas
        groups={groups}
        version={props.version}
        selected={props.selected}
        open={props.open}
        onOpen={props.onOpen}
        onToggle={toggle}
        summary={summary}
      />
      <details class="list">
        <summary>
          List ({Math.min(LIST_ROWS_MAX, shown.length)} of {shown.length} matching){' '}
        </summary>
        <button type="button" onClick={() => props.setSelected(new Set(shown.map((r) => r.serialNumber)))}>
          Select all {shown.length} matching
        </button>
        <ul>
          {shown.slice(0, LIST_ROWS_MAX).map((r) => (
            <li>
              <input
                type="checkbox"
                aria-label={`select ${r.deviceName}`}
                checked={props.selected.has(r.serialNumber)}
                onChange={() => toggle(r.serialNumber)}
              />
              <button type="button" class="link" onClick={() => props.onOpen(r.serialNumber)}>
                {r.deviceName}
              </button>{' '}
              {platformName(r.platform)} · {stateLabel(r.state)} · {r.userPrincipalName || 'no user'}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
