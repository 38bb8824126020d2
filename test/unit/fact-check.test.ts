import { describe, expect, it } from 'vitest';
import { checkFactPath } from '../../scenarios/engine/fact-check.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import type { PlatformId } from '../../sim/platforms/types.ts';

const on = (...ids: PlatformId[]) => ({ platforms: ids.map((id) => PLATFORMS[id]), appNames: ['Scanner'] });

describe('fact paths are checked when a scenario loads', () => {
  it.each([
    ['state.management.enrolled', false, 'androidKnox'],
    ['state.certificates[source=intune].revoked', true, 'androidKnox'],
    ['state.apps[kind=webLink]', 'absent', 'androidKnox'],
    ['state.apps[name=Scanner].data[location=sdCard].status', 'present', 'androidKnox'],
    ['state.apps[name=Microsoft Teams]', 'present', 'androidKnox'],
    ['state.workProfile', 'absent', 'androidWorkProfile'],
    ['state.outlook.receivesNewMail', false, 'macos'],
    ['state.nvram.resetJob', 'absent', 'windows10'],
    ['state.boot', { oneOf: ['recoveryEnvironment', 'needsBootableMedia'] }, 'windows10'],
    ['state.apps.installed', { everyIfAny: true }, 'ios'],
    ['record.managementState', 'managed', 'ios'],
    ['identity.osBuild', null, 'ios'],
  ] as const)('accepts %s = %j on %s', (path, value, platform) => {
    expect(checkFactPath(path, value as never, on(platform))).toBeNull();
  });

  it.each([
    [
      'state.certificatez[source=intune]',
      'absent',
      'androidKnox',
      /unknown fact path.*nearest valid paths: state\.certificates/,
    ],
    ['state.management.enroled', 'absent', 'ios', /nearest valid paths: state\.management\.enrolled/],
    ['state.boot[x=y]', true, 'ios', /is not a list/],
    ['state.apps[kund=webLink]', 'absent', 'androidKnox', /have no field 'kund'.*id, name, kind/],
    ['state.apps[kind=win32Oem]', 'absent', 'ios', /kind is one of .*companyPortal.* on ios/],
    ['state.apps[name=Teems]', 'absent', 'androidKnox', /name is one of/],
    ['state.apps[installed=yes]', 'absent', 'ios', /installed is true or false/],
    [
      'state.outlook.receivesNewMail',
      false,
      'ios',
      /'state\.outlook' exists only on macos; the target has ios/,
    ],
    [
      'state.workProfile.apps',
      'absent',
      'androidKnox',
      /exists only on androidWorkProfile, androidCorporateWorkProfile/,
    ],
    ['state.esimDataPlan', true, 'windows10', /exists only on ios/],
    ['state.boot', 'normale', 'ios', /one of normal, setup/],
    ['state.boot', { not: 'normale' }, 'ios', /given "normale"/],
    ['state.management.enrolled', 'absent', 'ios', /always set, so 'absent' checks nothing/],
    ['state.management.enrolled', 'yes', 'ios', /true or false/],
    ['state.management', true, 'ios', /an object: assert one of its fields/],
    ['state.apps', true, 'ios', /a list: assert one of its fields/],
    ['state.boot', { count: 1 }, 'ios', /not a list/],
    ['state.boot', { everyIfAny: 'normal' }, 'ios', /not a list/],
    ['state.management.enrolled', null, 'ios', /never null/],
    ['state.apps[kind', true, 'ios', /not a field name/],
  ] as const)('refuses %s = %j on %s', (path, value, platform, message) => {
    expect(checkFactPath(path, value as never, on(platform))).toMatch(message);
  });
});
