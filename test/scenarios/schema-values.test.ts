import { afterAll, describe, expect, it } from 'vitest';
import { scenarioFiles } from '../helpers/scenario-files.ts';

/** Values the scenario schema takes, and the ones it refuses with what it expected. */
const { write, problemsOf, remove } = scenarioFiles('fleetsim-schema-values-');
afterAll(remove);
const short = (path: string) =>
  problemsOf(path).map((p) => `${p.line}:${p.column} ${p.field} | ${p.message}`);

describe('the scenario schema', () => {
  it('takes every enumerated value a step or expectation may have, shares with decimals, a virtual or scaled clock', () => {
    const path = write(
      'takes.yaml',
      `name: takes
clock: { mode: virtual }
fleet:
  - { name: phones_1-a, platform: ios, count: 1, enrollmentType: companyPortal }
timeline:
  - { at: 1h, id: cp-wipe_1, do: companyPortal, action: wipe, target: all }
  - { at: 1h, id: cp2, do: companyPortal, action: retire, target: all }
expect:
  - { expect: completed, of: cp-wipe_1, within: 1h, status: failed, devices: 99.55% }
  - { expect: completed, of: cp2, within: 1h, status: notSupported, devices: any }
  - { expect: pending, of: cp2, at: 1h, actionState: active }
  - { expect: pending, of: cp2, at: 1h, actionState: canceled }
`,
    );
    expect(short(path)).toEqual([]);
    expect(
      short(write('scaled.yaml', `${'name: scaled\nclock: { mode: scaled, speed: 600 }\n'}${TAIL}`)),
    ).toEqual([]);
  });

  it('refuses a cohort name or step id with other characters, a share that is not one, a speed over the maximum', () => {
    const path = write(
      'refuses.yaml',
      `name: refuses
specIds: [X-1]
clock: { mode: scaled, speed: 100001 }
fleet:
  - { name: my phones, platform: ios, count: 1 }
timeline:
  - { at: 1h, id: a b, do: sync, target: all }
expect:
  - { expect: acknowledged, of: x, within: 1h, devices: x95% }
  - { expect: acknowledged, of: x, within: 1h, devices: 9.5%% }
  - { expect: acknowledged, of: x, within: 1h, specIds: [W-1, Q-2] }
`,
    );
    expect(short(path)).toEqual([
      '2:11 specIds.0 | expected a behaviour-spec rule id; given "X-1"',
      '3:31 clock.speed | expected number to be <=100000; given 100001',
      '5:13 fleet.0.name | expected a name of letters, digits, _ and -; given "my phones"',
      '7:19 timeline.0.id | expected a name of letters, digits, _ and -; given "a b"',
      '9:57 expect.0.devices | expected all, any, or a share such as 95%; given "x95%"',
      '10:57 expect.1.devices | expected all, any, or a share such as 95%; given "9.5%%"',
      '11:63 expect.2.specIds.1 | expected a behaviour-spec rule id; given "Q-2"',
    ]);
  });
});

const TAIL = `fleet:
  - { name: a, platform: ios, count: 1 }
expect:
  - { expect: state, at: 1h, target: all, facts: { online: true } }
`;
