/**
 * Colours drawn outside the stylesheet — on the fleet canvas and in the SVG charts — in one place,
 * so the contrast test (test/unit/dashboard-contrast.test.ts) checks what is drawn.
 */
export const PALETTE = {
  /** The page (styles.css --bg): the fleet canvas is drawn on it. */
  page: '#0d1117',
  /** The panels (styles.css --panel): the charts sit on it. */
  panel: '#161b22',
  /** Group headings on the canvas. */
  canvasText: '#c9d1d9',
  /** Axis labels and device names in the charts. */
  chartText: '#8b949e',
  /** The 15-minute line and its label. */
  limit: '#f0883e',
  /** Within 15 minutes; completed done. */
  ok: '#3fb950',
  /** Late; completed failed; a tile's offline frame. */
  bad: '#f85149',
  /** The tick at an action's first delivery. */
  delivered: '#e6edf3',
  /** The mark inside a tile whose reset is running, and the open tile's frame. */
  mark: '#ffffff',
  /** A selected tile's frame. */
  selected: '#79c0ff',
} as const;
