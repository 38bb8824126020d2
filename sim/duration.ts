import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time-units.ts';

/**
 * Durations as people write them: "90s", "15m", "8h", "30d", "250ms", or ISO 8601 ("PT15M",
 * "P30D", "P1DT12H"). Returns milliseconds; throws with the text it could not read.
 */
const UNITS: Record<string, number> = { ms: 1, s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

export function parseDuration(text: string): number {
  const simple = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (simple) return Math.round(Number(simple[1]) * UNITS[simple[2]!]!);
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
