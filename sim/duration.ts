import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time-units.ts';

/**
 * Durations as people write them: "90s", "15m", "8h", "30d", "250ms", "3h12m", or ISO 8601 ("PT15M",
 * "P30D", "P1DT12H"). Returns milliseconds; throws with the text it could not read.
 */
const UNITS: Record<string, number> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

export function parseDuration(text: string): number {
  const t = text.trim();
  // One or more parts, largest first as people write them: 90s, 3h12m, 1d6h.
  if (/^(\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(t)) {
    let ms = 0;
    for (const part of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(part[1]) * UNITS[part[2]!]!;
    return Math.round(ms);
  }
  const iso =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (iso && text.trim() !== 'P' && !text.trim().endsWith('T')) {
    const [, d, h, m, s] = iso;
    return Math.round(
      Number(d ?? 0) * DAY_MS +
        Number(h ?? 0) * HOUR_MS +
        Number(m ?? 0) * MINUTE_MS +
        Number(s ?? 0) * SECOND_MS,
    );
  }
  throw new RangeError(`"${text}" is not a duration: write it like 90s, 15m, 8h, 30d, 250ms or PT15M`);
}
