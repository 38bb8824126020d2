import type { ManagementState } from '../../sim/management-state.ts';
import type { DemoSnapshot } from './snapshot.ts';

/** Columns of the platform table: managementState values grouped as a presenter talks about them. */
const COLUMNS: readonly { title: string; states: readonly ManagementState[]; colour: string }[] = [
  { title: 'managed', states: ['managed'], colour: '32' },
  { title: 'enrolling', states: ['discovered'], colour: '34' },
  { title: 'issued', states: ['wipeIssued', 'retireIssued'], colour: '33' },
  { title: 'pending', states: ['wipePending', 'retirePending'], colour: '33' },
  { title: 'failed', states: ['wipeFailed', 'retireFailed'], colour: '31' },
  { title: 'delete…', states: ['deletePending'], colour: '35' },
];
const CELL = 10;
const TOTAL = 7;
/** Narrowest terminal the view is laid out for; narrower ones get lines cut at their width. */
export const WIDTH_MIN = 40;

export interface RenderOptions {
  width: number;
  colour: boolean;
  /** The dashboard's URL, shown first. */
  dashboard: string;
}

const minutes = (ms: number | null) => (ms === null ? '—' : `${(ms / 60_000).toFixed(1)} min`);

function bar(progress: number, width: number): string {
  const filled = Math.round(progress * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(progress * 100)}%`;
}

/** Cuts a plain line to `width` columns, marking the cut. */
export function fit(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * The live view as lines of text that fit `width` columns: pure, so a test can read it. Colour
 * (SGR codes) is added after fitting, so it never changes what fits.
 */
export function renderView(
  s: DemoSnapshot,
  urls: { http: string; mqtt: string | null; token: string },
  options: RenderOptions,
): string[] {
  const width = Math.max(WIDTH_MIN, options.width);
  const paint = (code: string, text: string) =>
    options.colour && text.trim() ? `\x1b[${code}m${text}\x1b[0m` : text;
  // The table drops its rightmost columns before the platform names get too short to read.
  const labelMin = 10;
  const shownColumns = COLUMNS.slice(0, Math.max(2, Math.floor((width - 2 - labelMin - TOTAL) / CELL)));
  const label = Math.max(labelMin, Math.min(34, width - 2 - shownColumns.length * CELL - TOTAL));
  const out: string[] = [];
  const plain = (line: string, code = '') =>
    out.push(code ? paint(code, fit(line, width)) : fit(line, width));

  plain(`dashboard: ${options.dashboard}`, '1;36');
  const clock = `${new Date(s.simNowMs).toISOString().replace('T', ' ').slice(0, 19)} UTC  ×${s.speed ?? '—'}${s.paused ? '  PAUSED' : ''}`;
  plain(`fleetsim demo — sim time ${clock}`, '1');
  plain('');
  plain(
    `  ${'platform'.padEnd(label)}${shownColumns.map((c) => c.title.padStart(CELL)).join('')}${'total'.padStart(TOTAL)}`,
    '2',
  );
  for (const p of s.platforms) {
    const mark = p.id === s.selected ? '▶' : ' ';
    const cells = shownColumns
      .map((c) => {
        const n = c.states.reduce((sum, st) => sum + (p.byState[st] ?? 0), 0);
        return paint(n ? c.colour : '2', String(n || '·').padStart(CELL));
      })
      .join('');
    const name = fit(p.label, label).padEnd(label);
    out.push(
      `${mark} ${p.id === s.selected ? paint('1', name) : name}${cells}${String(p.total).padStart(TOTAL)}`,
    );
  }
  const pr = s.propagation;
  plain('');
  plain(`  in flight: ${s.inFlight.pending} waiting for the device, ${s.inFlight.active} running on it`);
  plain(
    `  propagation, ${pr.count} so far: p50 ${minutes(pr.p50Ms)}, p95 ${minutes(pr.p95Ms)}, max ${minutes(pr.maxMs)}`,
  );
  if (s.focus) {
    const f = s.focus;
    const progress =
      f.resetProgress === null
        ? ''
        : `  ${bar(f.resetProgress, 20)}${f.attempts > 1 ? ` (attempt ${f.attempts})` : ''}`;
    plain(
      `  watching ${f.serialNumber} (${f.platform}): ${f.action} ${f.actionState}, power ${f.power}, boot ${f.boot}${progress}`,
      f.power === 'off' ? '31' : '',
    );
  }
  plain('');
  plain('  recent:', '2');
  for (const r of s.recent) plain(`    ${r}`);
  if (s.message) {
    plain('');
    plain(`  ${s.message}`, /refused|still enrolling|no /.test(s.message) ? '33' : '32');
  }
  plain('');
  plain('  keys: [ ] platform  w wipe  p protected wipe  r retire  o power off/on (watched)', '2');
  plain('        space pause  + - speed  q quit', '2');
  plain(`  Graph: ${urls.http}/v1.0   control: ${urls.http}/sim   token: ${urls.token}`, '2');
  return out;
}
