import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../agent/fleet/generator.ts';
import { runCommand } from '../../agent/model/actions.ts';
import { factsOf } from '../../agent/model/facts.ts';
import { FACT_ROOT, type Shape, type ShapeContext } from '../../scenarios/engine/fact-shape.ts';
import { recordFacts } from '../../scenarios/engine/record-facts.ts';
import { MANAGEMENT_STATES } from '../../sim/management-state.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { ENROLLMENT_TYPES, PLATFORM_IDS, type PlatformId } from '../../sim/platforms/types.ts';
import { createRng } from '../../sim/prng.ts';
import { AZURE_AD_STATES, BOOT_STATES } from '../../sim/wire/schemas.ts';
import { serviceCore } from '../helpers/service-core.ts';

/**
 * The fact shape (what a scenario's fact paths may name, checked when a file loads) against the
 * data the judge really reads: every field a real device, state and record has is in the shape,
 * with its type and (where enumerated) its value; every path of the shape is reached by some real
 * data. A field the shape names that the data lacks would let `absent` pass silently.
 */
function walk(
  shape: Shape,
  value: unknown,
  path: string,
  ctx: ShapeContext,
  seen: Set<string>,
  wrong: string[],
) {
  seen.add(path);
  if (value === null) {
    if (!('nullable' in shape && shape.nullable)) wrong.push(`${path}: null, but the shape says it never is`);
    return;
  }
  switch (shape.t) {
    case 'boolean':
    case 'number':
      if (typeof value !== shape.t) wrong.push(`${path}: ${typeof value}, shape says ${shape.t}`);
      return;
    case 'string':
      if (typeof value !== 'string') wrong.push(`${path}: ${typeof value}, shape says string`);
      else if (shape.values && !shape.values(ctx).includes(value))
        wrong.push(`${path}: ${value} is not among ${shape.values(ctx).join(', ')}`);
      return;
    case 'list':
      if (!Array.isArray(value)) wrong.push(`${path}: not a list`);
      else for (const item of value) walk(shape.item, item, path, ctx, seen, wrong);
      return;
    case 'object':
      if (typeof value !== 'object') {
        wrong.push(`${path}: not an object`);
        return;
      }
      for (const [key, v] of Object.entries(value as object)) {
        const field = shape.fields[key];
        if (field) walk(field, v, `${path}.${key}`, ctx, seen, wrong);
        else wrong.push(`${path}.${key}: in the data, not in the shape`);
      }
      return;
    default:
      // A shape without a known type would check nothing here.
      wrong.push(`${path}: the shape gives no type`);
  }
}

/** Every path of a shape, lists without selectors. */
function pathsOf(shape: Shape, path: string): string[] {
  const fields = shape.t === 'object' ? shape.fields : shape.t === 'list' ? shape.item.fields : null;
  if (!fields) return [path];
  return [path, ...Object.entries(fields).flatMap(([k, s]) => pathsOf(s, `${path}.${k}`))];
}

const env = { nowMs: Date.UTC(2026, 0, 5), rng: createRng('shape') };
const fields = FACT_ROOT.t === 'object' ? FACT_ROOT.fields : {};

describe('the fact shape is the data the judge reads', () => {
  it('identity and state: every field of every platform is in the shape with its type and values, and every path is reached', () => {
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (const id of PLATFORM_IDS) {
      const ctx = { platforms: [PLATFORMS[id as PlatformId]], appNames: [] };
      // Generated devices as a fleet has them, each also with a reset in progress where one can be.
      for (const device of generateFleet({
        seed: 'shape',
        cohorts: [{ platform: id as PlatformId, count: 20 }],
      })) {
        const mid = runCommand(device, { id: 'w-1', type: 'wipe', options: {} }, env);
        for (const state of [device.state, mid.state]) {
          walk(fields.identity!, device.identity, 'identity', ctx, seen, wrong);
          walk(fields.state!, state, 'state', ctx, seen, wrong);
        }
      }
    }
    expect(wrong).toEqual([]);
    const unreached = [...pathsOf(fields.identity!, 'identity'), ...pathsOf(fields.state!, 'state')].filter(
      (p) => !seen.has(p),
    );
    expect(unreached).toEqual([]);
  });

  it("the service's record: every field the judge can name is on it (two are named but missing: a known gap)", () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'windows10', count: 1, osVersion: '22H2' });
    const e = core.enroll(d!, 'enroll-d-0');
    core.up(e.channelId, { type: 'checkIn', reason: 'enrolled', facts: factsOf(d!.state) });
    const record = recordFacts(
      core.service.devices.get(e.managedDeviceId),
      core.service.channels.get(e.channelId),
    )!;
    const seen = new Set<string>();
    const wrong: string[] = [];
    const named = pathsOf(fields.record!, 'record');
    const ctx = { platforms: [PLATFORMS.windows10], appNames: [] };
    // Only the fields the shape names: the record has more (channel, facts, …) that paths cannot reach.
    const shown = Object.fromEntries(Object.entries(record).filter(([k]) => named.includes(`record.${k}`)));
    walk(fields.record!, shown, 'record', ctx, seen, wrong);
    expect(wrong).toEqual([]);
    // Every path a file may name reaches a value on the record the judge reads.
    expect(named.filter((p) => !seen.has(p))).toEqual([]);
    expect(record.deletePending).toBe(false);
    expect(record.certificateExpiresAtMs).toBe(
      core.service.channels.get(e.channelId)!.certificateExpiresAtMs,
    );
  });

  it("the enumerations are the model's own: boot, Azure AD join, platform, enrollment type, management state", () => {
    const at = (path: string): Shape =>
      path.split('.').reduce<Shape>((shape, name) => {
        const f = shape.t === 'object' ? shape.fields : shape.t === 'list' ? shape.item.fields : {};
        return f[name]!;
      }, FACT_ROOT);
    const values = (path: string) => {
      const shape = at(path);
      return shape.t === 'string' && shape.values
        ? [...shape.values({ platforms: [], appNames: [] })].sort()
        : null;
    };
    expect(values('state.boot')).toEqual([...BOOT_STATES].sort());
    expect(values('state.azureAd.join')).toEqual([...AZURE_AD_STATES].sort());
    expect(values('identity.platform')).toEqual([...PLATFORM_IDS].sort());
    expect(values('identity.enrollmentType')).toEqual([...ENROLLMENT_TYPES].sort());
    expect(values('record.managementState')).toEqual(Object.keys(MANAGEMENT_STATES).sort());
  });
});
