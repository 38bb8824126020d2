import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_KINDS } from '../../sim/device-state.ts';
import { fastCheckIn } from '../../sim/wire/fast-check-in.ts';
import { deviceUpSchema } from '../../sim/wire/schemas.ts';

/** Values a field may take: valid ones of every kind and the near misses zod must refuse. */
const anyValue = fc.constantFrom<unknown>(
  0,
  7,
  -1,
  1.5,
  2 ** 53,
  '7',
  '',
  'x'.repeat(129),
  'policy-1',
  true,
  null,
  [],
  {},
  'schedule',
  'more',
  'nope',
  'normal',
  'unusable',
  'joined',
  APP_KINDS[0],
  [APP_KINDS[0], APP_KINDS[1]],
  ['policy-1', ''],
  ['policy-1'],
  Array.from({ length: 257 }, (_, i) => `p${i}`),
);

const validFacts = () => ({
  enrolled: true,
  boot: 'normal',
  policyIds: ['policy-1', 'policy-2'],
  apps: 12,
  appKinds: [APP_KINDS[0]],
  certificatesInstalled: 3,
  azureAd: 'joined',
  accounts: 1,
  userFiles: 40,
  workProfile: false,
});
const validCheckIn = () => ({
  v: 2,
  seq: 4,
  sentAtMs: 1_700_000_000_000,
  type: 'checkIn',
  reason: 'schedule',
  facts: validFacts(),
});

/** A check-in with some fields replaced, removed or added, in the message or its facts. */
const mutated = fc
  .record({
    top: fc.array(
      fc.tuple(
        fc.constantFrom('v', 'seq', 'sentAtMs', 'type', 'reason', 'dueAtMs', 'extra'),
        anyValue,
        fc.boolean(),
      ),
    ),
    facts: fc.array(fc.tuple(fc.constantFrom(...Object.keys(validFacts()), 'extra'), anyValue, fc.boolean())),
  })
  .map(({ top, facts }) => {
    const message: Record<string, unknown> = validCheckIn();
    const f: Record<string, unknown> = message.facts as Record<string, unknown>;
    const change = (o: Record<string, unknown>, [key, value, remove]: [string, unknown, boolean]) => {
      if (remove) delete o[key];
      else o[key] = value;
    };
    for (const c of top) change(message, c);
    for (const c of facts) change(f, c);
    return message;
  });

describe('the check-in fast path', () => {
  it('accepts exactly what deviceUpSchema accepts, and gives what zod gives (same keys in the same order)', () => {
    fc.assert(
      fc.property(mutated, (message) => {
        const json = JSON.parse(JSON.stringify(message));
        const zod = deviceUpSchema.safeParse(json);
        const fast = fastCheckIn(json);
        expect(fast !== null, JSON.stringify(json)).toBe(zod.success);
        if (fast) expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('takes the valid check-in a device sends, so zod is not run on it', () => {
    const json = JSON.parse(JSON.stringify(validCheckIn()));
    expect(fastCheckIn(json)).toEqual(deviceUpSchema.parse(json));
    // Its keys in the order agents write them: the parse's own object, not a copy.
    expect(fastCheckIn(json)).toBe(json);
    // Other messages and near misses go to zod.
    expect(fastCheckIn({ ...json, type: 'ack' })).toBeNull();
    expect(fastCheckIn({ ...json, facts: { ...json.facts, apps: -1 } })).toBeNull();
    expect(fastCheckIn({ ...json, extra: 1 })).toBeNull();
  });

  it('takes a check-in whose keys come in another order, as zod does, and still refuses a missing or extra one', () => {
    const { facts, ...head } = validCheckIn();
    const reversed = Object.fromEntries(Object.entries(facts).reverse());
    const json = JSON.parse(
      JSON.stringify({ facts: reversed, ...Object.fromEntries(Object.entries(head).reverse()) }),
    );
    const fast = fastCheckIn(json);
    expect(fast).not.toBeNull();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(deviceUpSchema.parse(json)));
    expect(fast).not.toBe(json);
    // Only the facts out of order: rebuilt too.
    const factsReversed = JSON.parse(JSON.stringify({ ...head, facts: reversed }));
    expect(JSON.stringify(fastCheckIn(factsReversed))).toBe(
      JSON.stringify(deviceUpSchema.parse(factsReversed)),
    );
    // The same number of keys, one of them not the schema's: refused, whatever the order.
    const { reason: _reason, ...noReason } = json;
    expect(fastCheckIn({ ...noReason, extra: 'schedule' })).toBeNull();
    const { apps: _apps, ...noApps } = json.facts;
    expect(fastCheckIn({ ...json, facts: { extra: 12, ...noApps } })).toBeNull();
  });

  it('takes a late check-in with its due time, as zod does', () => {
    const { facts, ...head } = validCheckIn();
    const json = JSON.parse(JSON.stringify({ ...head, dueAtMs: 1_699_999_940_000, facts }));
    const fast = fastCheckIn(json);
    expect(fast).not.toBeNull();
    expect(JSON.stringify(fast)).toBe(JSON.stringify(deviceUpSchema.parse(json)));
    expect(fastCheckIn({ ...json, dueAtMs: -1 })).toBeNull();
  });
});
