import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { CohortSpec } from '../agent/fleet/cohort.ts';
import { FLEET_PRESETS, FleetFileError, parseFleetFile } from '../agent/fleet/fleet-file.ts';
import { SPEED_MAX } from '../sim/clock/scaled-clock.ts';

/** Scenarios run in parallel by default: one at a time, as the library's scenarios take a fraction of a second, less than a worker takes to start (measured). */
export const DEFAULT_JOBS = 1;

/** Option parsers: each names the option and the value it was given. */
export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

export function speedOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > SPEED_MAX) {
    throw new InvalidArgumentError(
      `--speed must be a number above 0 and at most ${SPEED_MAX}, got "${value}"`,
    );
  }
  return n;
}

export function brokerUrlOption(value: string): string {
  if (!/^mqtts?:\/\/[^/\s]+:\d+$/.test(value)) {
    throw new InvalidArgumentError(`--broker must look like mqtt://host:port, got "${value}"`);
  }
  return value;
}

/** An absolute http(s) base URL without query or fragment; a trailing slash is dropped. */
export function publicUrlOption(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new InvalidArgumentError(
      `--public-url must be an http(s) base URL such as https://fleetsim.example:8443, got "${value}"`,
    );
  }
  return value.replace(/\/+$/, '');
}

/** A preset name or a JSON file of cohorts. */
export function loadFleet(value: string): { seed?: string; cohorts: CohortSpec[] } {
  const preset = FLEET_PRESETS[value];
  if (preset) return { cohorts: preset.cohorts };
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch {
    throw new InvalidArgumentError(
      `--fleet: "${value}" is neither a preset (${Object.keys(FLEET_PRESETS).join(', ')}) nor a readable file`,
    );
  }
  try {
    return parseFleetFile(text, value);
  } catch (e) {
    if (e instanceof FleetFileError) throw new InvalidArgumentError(`--fleet ${e.message}`);
    throw e;
  }
}

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A rate per second above zero: `500` or `500/s`. */
export function rateOption(value: string): number {
  const n = Number(value.replace(/\/s$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`--ramp must be a rate above 0 such as 500/s, got "${value}"`);
  return n;
}

/** A percentage of at least zero: `10` or `10%`. */
export function percentOption(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(
      `--regression-threshold must be a percentage of at least 0 such as 10%, got "${value}"`,
    );
  return n;
}
