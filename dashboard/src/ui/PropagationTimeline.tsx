import { type ActionTimes, layoutTimeline } from '../logic/action-timeline.ts';
import { PALETTE } from '../logic/palette.ts';
import { simOffset } from '../logic/scenario-run.ts';

/** Rows shown: the most recent actions. */
export const TIMELINE_ROWS = 8;
const LABEL_W = 120;
const CHART_W = 230;
const ROW_H = 15;

const COMPLETED_FILL: Record<string, string> = { done: PALETTE.ok, failed: PALETTE.bad };

function stages(a: ActionTimes, name: string): string {
  const after = (t: number | null, what: string) =>
    t === null ? '' : `, ${what} after ${simOffset(t - a.requestedAtMs)}`;
  return `${name} ${a.action}: requested ${new Date(a.requestedAtMs).toISOString().slice(11, 19)}${after(a.deliveredAtMs, 'delivered')}${after(a.acknowledgedAtMs, 'acknowledged')}${after(a.completedAtMs, 'completed')}${a.status ? ` (${a.status})` : ''}`;
}

/**
 * Each recent action as a bar from its request (request → delivered → acknowledged → completed, in
 * sim time), so the 15-minute line is one line for all: a bar red past it was late.
 */
export function PropagationTimeline(props: {
  actions: ActionTimes[];
  nowMs: number;
  nameOf: (deviceId: string) => string;
  version: number;
}) {
  const layout = layoutTimeline(props.actions, props.nowMs, CHART_W);
  const height = Math.max(1, layout.rows.length) * ROW_H;
  const late = layout.rows.filter((r) => r.late).length;
  return (
    <section class="chart" aria-label="Propagation timeline">
      <h2>Actions over time</h2>
      <svg
        viewBox={`0 0 ${LABEL_W + CHART_W + 4} ${height + 14}`}
        role="img"
        aria-label={`${layout.rows.length} recent actions, ${late} acknowledged after 15 minutes or still waiting past it`}
        data-testid="propagation-timeline"
      >
        {layout.rows.map((r, i) => {
          const y = i * ROW_H;
          const name = props.nameOf(r.action.deviceId);
          const propagatedTo = r.acknowledgedX ?? r.endX;
          return (
            <g key={r.action.actionId} data-state={r.late ? 'late' : 'ok'}>
              <title>{stages(r.action, name)}</title>
              <text x={0} y={y + 10} fill={PALETTE.chartText} font-size="9">
                {`${name} ${r.action.action}`.slice(0, 22)}
              </text>
              <line
                x1={LABEL_W}
                x2={LABEL_W + r.endX}
                y1={y + 7}
                y2={y + 7}
                stroke={PALETTE.chartText}
                stroke-width="1"
              />
              <rect
                x={LABEL_W}
                y={y + 4}
                width={Math.max(1, propagatedTo)}
                height={6}
                fill={r.late ? PALETTE.bad : PALETTE.ok}
                opacity={r.acknowledgedX === null ? 0.5 : 1}
              />
              {r.deliveredX !== null && (
                <line
                  x1={LABEL_W + r.deliveredX}
                  x2={LABEL_W + r.deliveredX}
                  y1={y + 2}
                  y2={y + 12}
                  stroke={PALETTE.delivered}
                />
              )}
              {r.completedX !== null && (
                <circle
                  cx={LABEL_W + r.completedX}
                  cy={y + 7}
                  r={3}
                  fill={COMPLETED_FILL[r.action.status ?? ''] ?? PALETTE.chartText}
                />
              )}
              {r.clipped && (
                <text x={LABEL_W + CHART_W - 6} y={y + 10} fill={PALETTE.chartText} font-size="9">
                  ›
                </text>
              )}
            </g>
          );
        })}
        <line
          x1={LABEL_W + layout.limitX}
          x2={LABEL_W + layout.limitX}
          y1={0}
          y2={height}
          stroke={PALETTE.limit}
          stroke-dasharray="3 2"
        />
        <text x={LABEL_W + layout.limitX + 3} y={height + 11} fill={PALETTE.limit} font-size="9">
          15 min
        </text>
        <text x={LABEL_W} y={height + 11} fill={PALETTE.chartText} font-size="9">
          0
        </text>
        <text x={LABEL_W + CHART_W - 30} y={height + 11} fill={PALETTE.chartText} font-size="9">
          {simOffset(layout.spanMs)}
        </text>
      </svg>
      {layout.rows.length === 0 && <p>No action requested yet.</p>}
    </section>
  );
}
