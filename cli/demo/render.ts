import type { ManagementState } from '../../sim/management-state.ts';
import type { DemoSnapshot } from './snapshot.ts';

/** Columns of the platform table: managementState values grouped as a presenter talks about them. */
const COLUMNS: readonly { title: string; states: readonly ManagementState[] }[] = [
  { title: 'managed', states: ['managed'] },
  { title: 'discovered', states: ['discovered'] },
  { title: 'issued', states: ['wipeIssued', 'retireIssued'] },
  { title: 'pending', states: ['wipePending', 'retirePending'] },
  { title: 'failed', states: ['wipeFailed', 'retireFailed'] },
  { title: 'delete…', states: ['deletePending'] },
];

const minutes = (ms: number | null) => (ms === null ? '—' : `${(ms / 60_000).toFixed(1)} min`);

function bar(progress: number, width: number): string {
  const filled = Math.round(progress * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(progress * 100)}%`;
}

/** The live view as lines of text: pure, so a test can read it. */
export function renderView(
  s: DemoSnapshot,
  urls: { http: string; mqtt: string | null; token: string },
): string[] {
  const clock = `${new Date(s.simNowMs).toISOString().replace('T', ' ').slice(0, 19)} UTC  ×${s.speed ?? '—'}${s.paused ? '  PAUSED' : ''}`;
  const lines = [`fleetsim demo — sim time ${clock}`, ''];
  lines.push(
    `  ${'platform'.padEnd(48)}${COLUMNS.map((c) => c.title.padStart(11)).join('')}${'total'.padStart(8)}`,
  );
  for (const p of s.platforms) {
    const mark = p.id === s.selected ? '▶' : ' ';
    const cells = COLUMNS.map((c) =>
      String(c.states.reduce((n, st) => n + (p.byState[st] ?? 0), 0) || '·').padStart(11),
    ).join('');
    lines.push(`${mark} ${p.label.padEnd(48)}${cells}${String(p.total).padStart(8)}`);
  }
  const pr = s.propagation;
  lines.push(
    '',
    `  actions in flight: ${s.inFlight.pending} waiting for the device, ${s.inFlight.active} running on it`,
    `  propagation (request → device acknowledges), ${pr.count} so far: p50 ${minutes(pr.p50Ms)}, p95 ${minutes(pr.p95Ms)}, max ${minutes(pr.maxMs)}` +
      (pr.lastMs.length ? `; last: ${pr.lastMs.map((m) => minutes(m)).join(', ')}` : ''),
  );
  if (s.focus) {
    const f = s.focus;
    const progress =
      f.resetProgress === null
        ? ''
        : `  ${bar(f.resetProgress, 20)}${f.attempts > 1 ? ` (attempt ${f.attempts})` : ''}`;
    lines.push(
      `  watching ${f.serialNumber} (${f.platform}): ${f.action} ${f.actionState}, power ${f.power}, boot ${f.boot}${progress}`,
    );
  }
  lines.push('', '  recent:', ...s.recent.map((r) => `    ${r}`));
  if (s.message) lines.push('', `  ${s.message}`);
  lines.push(
    '',
    '  keys: [ ] platform   w wipe   p protected wipe   r retire   o power off/on the watched device',
    '        space pause   + - speed   q quit',
    `  Graph: ${urls.http}/v1.0   control: ${urls.http}/sim   MQTT: ${urls.mqtt ?? '—'}   token: ${urls.token}`,
  );
  return lines;
}
