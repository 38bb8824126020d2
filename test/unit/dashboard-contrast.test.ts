import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../dashboard/src/logic/palette.ts';
import { TILE_STATES } from '../../dashboard/src/logic/states.ts';

/**
 * WCAG 2.x contrast of the dashboard's colours, read from styles.css and the palette the canvas and
 * charts draw with: text at least 4.5:1 against what it stands on (1.4.3), state colours at least
 * 3:1 (1.4.11). Disabled controls are exempt (they are shown at half opacity on purpose).
 */

const css = readFileSync('dashboard/src/styles.css', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** selector → property → value, later rules winning; selector lists are split. */
const rules = new Map<string, Map<string, string>>();
for (const [, selectors, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
  for (const selector of selectors!.split(',').map((s) => s.trim().replace(/\s+/g, ' '))) {
    const decls = rules.get(selector) ?? new Map<string, string>();
    for (const decl of body!.split(';')) {
      const i = decl.indexOf(':');
      if (i > 0) decls.set(decl.slice(0, i).trim(), decl.slice(i + 1).trim());
    }
    rules.set(selector, decls);
  }
}

/** A colour the stylesheet gives `selector` for `property`, with var(--x) resolved from :root. */
function cssColour(selector: string, property: 'color' | 'background' | 'border-color'): string {
  const value = rules.get(selector)?.get(property);
  if (!value) throw new Error(`styles.css gives '${selector}' no ${property}`);
  const v = /^var\((--[\w-]+)\)$/.exec(value);
  return v ? rules.get(':root')!.get(v[1]!)! : value;
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const page = cssColour('body', 'background');
const panel = cssColour('.drawer', 'background');
const button = cssColour('button', 'background');
const text = cssColour('body', 'color');

/** [what, foreground, background] for text: every text colour on every background it appears on. */
const TEXT: [string, string, string][] = [
  ['body text on the page', text, page],
  ['text on panels', text, panel],
  ['button text', cssColour('button', 'color'), button],
  ['pressed button text', text, cssColour('button[aria-pressed="true"]', 'background')],
  ['danger button text', text, cssColour('button.danger', 'background')],
  ['links on the header', cssColour('button.link', 'color'), cssColour('.top', 'background')],
  ['links on the page', cssColour('button.link', 'color'), page],
  ['muted text on the page (filters, counts, hover)', cssColour('.filters label', 'color'), page],
  ['muted text on panels (facts, notes, times)', cssColour('.facts dt', 'color'), panel],
  ['clock mode on the header', cssColour('.mode', 'color'), cssColour('.top', 'background')],
  ['push channel down', cssColour('.chan.down', 'color'), button],
  ['live', cssColour('.live.on', 'color'), cssColour('.top', 'background')],
  ['reconnecting', cssColour('.live.off', 'color'), cssColour('.top', 'background')],
  ['notice: sent', text, cssColour('.notice.ok', 'background')],
  ['notice: info', text, cssColour('.notice.info', 'background')],
  ['notice: refused', text, cssColour('.notice.refused', 'background')],
  [
    'notice: the refusal reason',
    cssColour('.notice .reason', 'color'),
    cssColour('.notice.refused', 'background'),
  ],
  ['bulk bar', text, cssColour('.bulk', 'background')],
  ['sign-in problem', cssColour('.problem', 'color'), page],
  ['problem on a panel', cssColour('.problem', 'color'), panel],
  ['diff: removed', cssColour('.diff li.removed', 'color'), panel],
  ['diff: added', cssColour('.diff li.added', 'color'), panel],
  ['rules', cssColour('.rules', 'color'), panel],
  ['diff: rule label', cssColour('.diff .rule', 'color'), panel],
  ['diff: not the action', cssColour('.diff .rule.none', 'color'), panel],
  ['event log warning', cssColour('.events li.warn', 'color'), cssColour('.bottom', 'background')],
  ['event times', cssColour('.events time', 'color'), cssColour('.bottom', 'background')],
  ['chart notes', cssColour('.chart p', 'color'), cssColour('.bottom', 'background')],
  ['verdict passed', cssColour('.verdict.passed', 'color'), panel],
  ['verdict failed', cssColour('.verdict.failed', 'color'), panel],
  ['timeline: waiting', cssColour('.timeline li.waiting', 'color'), panel],
  ['timeline: failed', cssColour('.timeline li.failed', 'color'), panel],
  ['timeline: judged text', cssColour('.timeline .judged', 'color'), panel],
  ['dialog text', cssColour('dialog', 'color'), cssColour('dialog', 'background')],
  ['canvas group headings', PALETTE.canvasText, PALETTE.page],
  ['chart axis labels', PALETTE.chartText, PALETTE.panel],
  ['the 15-minute label', PALETTE.limit, PALETTE.panel],
];

/** [what, colour, background] for state colours and marks (non-text: 3:1). */
const STATES: [string, string, string][] = [
  ...TILE_STATES.map((s): [string, string, string] => [`tile: ${s.label}`, s.colour, PALETTE.page]),
  ...TILE_STATES.map((s): [string, string, string] => [`legend swatch: ${s.label}`, s.colour, button]),
  ['tile: offline frame', PALETTE.bad, PALETTE.page],
  ['tile: selected frame', PALETTE.selected, PALETTE.page],
  ['chart: within 15 minutes / done', PALETTE.ok, PALETTE.panel],
  ['chart: late / failed', PALETTE.bad, PALETTE.panel],
  ['chart: the 15-minute line', PALETTE.limit, PALETTE.panel],
  ['chart: delivery tick', PALETTE.delivered, PALETTE.panel],
  ['timeline: passed mark', cssColour('.timeline li.passed .mark', 'color'), panel],
  // :focus-visible draws its outline in --accent (checked below).
  ['focus outline', rules.get(':root')!.get('--accent')!, page],
  ['focus outline on panels', rules.get(':root')!.get('--accent')!, panel],
];

/** The pairs under `min`, with their ratio, so a failure names what to fix. */
const below = (pairs: [string, string, string][], min: number) =>
  pairs
    .map(([what, fg, bg]) => ({ what, fg, bg, ratio: Number(contrast(fg, bg).toFixed(2)) }))
    .filter((p) => p.ratio < min);

describe('dashboard contrast (WCAG 2.x)', () => {
  it('computes the WCAG ratio (black on white 21:1, equal colours 1:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#fff', '#000')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#777777')).toBe(1);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('draws the canvas and charts on the page and panel colours of styles.css; focus is outlined in --accent', () => {
    expect(PALETTE.page).toBe(page);
    expect(PALETTE.panel).toBe(panel);
    expect(rules.get(':focus-visible')?.get('outline')).toBe('2px solid var(--accent)');
  });

  it('text: at least 4.5:1 on what it stands on', () => {
    expect(below(TEXT, 4.5)).toEqual([]);
  });

  it('state colours and marks: at least 3:1 against their background', () => {
    expect(below(STATES, 3)).toEqual([]);
  });
});
