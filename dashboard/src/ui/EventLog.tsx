import { minutes } from '../logic/event-text.ts';
import { PROPAGATION_LIMIT_MS, propagationHistogram } from '../logic/histogram.ts';
import { PALETTE } from '../logic/palette.ts';
import type { LogLine } from './use-live-fleet.ts';

/** The newest events first; refused and failed ones stand out. */
export function EventLog(props: { lines: LogLine[]; version: number }) {
  const lines = props.lines.slice(-120).reverse();
  return (
    <section class="events" aria-label="Event log">
      <h2>Events</h2>
      <ol role="log" data-testid="event-log">
        {lines.map((l) => (
          <li key={l.seq} class={/refused|failed|rolled back|power off/.test(l.text) ? 'warn' : ''}>
            <time>{new Date(l.atMs).toISOString().slice(11, 19)}</time> {l.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Propagation (request → device acknowledges) in one-minute bins, with the 15-minute line. */
export function PropagationChart(props: { timesMs: number[]; version: number }) {
  const h = propagationHistogram(props.timesMs);
  const w = 300;
  const height = 90;
  const barW = w / h.counts.length;
  const lineX = (PROPAGATION_LIMIT_MS / h.binMs) * barW;
  const within = props.timesMs.filter((t) => t <= PROPAGATION_LIMIT_MS).length;
  return (
    <section class="chart" aria-label="Propagation histogram">
      <h2>Propagation</h2>
      <svg
        viewBox={`0 0 ${w} ${height + 14}`}
        role="img"
        aria-label={`${within} of ${props.timesMs.length} actions reached their device within 15 minutes`}
      >
        {h.counts.map((c, i) => (
          <rect
            x={i * barW + 1}
            y={height - (c / h.maxCount) * height}
            width={barW - 2}
            height={(c / h.maxCount) * height}
            fill={i * h.binMs < PROPAGATION_LIMIT_MS ? PALETTE.ok : PALETTE.bad}
          />
        ))}
        <line x1={lineX} x2={lineX} y1={0} y2={height} stroke={PALETTE.limit} stroke-dasharray="3 2" />
        <text x={lineX + 3} y={10} fill={PALETTE.limit} font-size="9">
          15 min
        </text>
        <text x={0} y={height + 12} fill={PALETTE.chartText} font-size="9">
          0
        </text>
        <text x={w - 24} y={height + 12} fill={PALETTE.chartText} font-size="9">
          30 min
        </text>
      </svg>
      <p>
        {props.timesMs.length} acknowledged, {within} within 15 min
        {h.over ? `, ${h.over} over 30 min` : ''}
        {props.timesMs.length ? `; slowest ${minutes(Math.max(...props.timesMs))}` : ''}
      </p>
    </section>
  );
}
