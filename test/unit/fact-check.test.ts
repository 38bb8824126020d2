import { describe, expect, it } from 'vitest';
import { checkFactPath, nearestPaths } from '../../scenarios/engine/fact-check.ts';
import { allPaths } from '../../scenarios/engine/fact-shape.ts';
import { PLATFORMS } from '../../sim/platforms/index.ts';
import { PLATFORM_IDS, type PlatformId } from '../../sim/platforms/types.ts';

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
    ['identity.serialNumber', 'C02XYZ', 'ios'], // free text: any string
    ['state.mail.cachedMessages', 0, 'ios'],
    ['state.apps[installed=false]', 'absent', 'ios'],
    ['state.apps[installed=true].data[sizeBytes=-15]', 'absent', 'ios'],
    ['state.apps.data[sizeBytes=1048576]', { min: 0 }, 'ios'],
    ['state.nvram.resetJob.protectedWipe', 'absent', 'windows10'], // under a nullable object
    ['state.outlook.receivesNewMail', 'absent', 'macos'],
    ['state.certificates[source=user]', { max: 3 }, 'ios'],
    ['state.boot', { not: 'setup' }, 'ios'],
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
    ['state.apps[data=x]', 'absent', 'ios', /have no field 'data' to select by/],
    ['state.apps.data[sizeBytes=big]', 'absent', 'ios', /sizeBytes is a number/],
    ['state.apps.data[sizeBytes=1x]', 'absent', 'ios', /sizeBytes is a number/],
    ['state.apps.data[sizeBytes=x1]', 'absent', 'ios', /sizeBytes is a number/],
    ['state.mail.cachedMessages', 'many', 'ios', /is a number; given "many"/],
    ['state.mail.cachedMessages', 'present', 'ios', /always set/],
    ['state.bitLocker', 'absent', 'windows10', /always set/],
    ['state.boot', 'present', 'ios', /always set/],
    ['identity.serialNumber', 5, 'ios', /is text; given 5/],
    ['state.apps.installed', { everyIfAny: 'yes' }, 'ios', /true or false; given "yes"/],
    ['state.boot', { oneOf: ['normal', 'bogus'] }, 'ios', /given "bogus"/],
  ] as const)('refuses %s = %j on %s', (path, value, platform, message) => {
    expect(checkFactPath(path, value as never, on(platform))).toMatch(message);
  });

  it('says exactly what is wrong and what would be right', () => {
    expect(checkFactPath('state.certificatez[source=intune]', 'absent', on('androidKnox'))).toBe(
      "unknown fact path 'state.certificatez[source=intune]': 'state.certificatez' does not exist; nearest valid paths: state.certificates, state.certificates.id, state.certificates.source",
    );
    expect(checkFactPath('state.apps[kind=win32Oem]', 'absent', on('macos'))).toBe(
      "[kind=win32Oem] in 'state.apps[kind=win32Oem]': kind is one of personal, managedApp on macos",
    );
    expect(checkFactPath('state.boot', 'normale', on('ios', 'macos'))).toBe(
      '\'state.boot\' is one of normal, setup, recoveryEnvironment, needsBootableMedia, unusable; given "normale"',
    );
    expect(checkFactPath('state.workProfile.apps', 'absent', on('androidWorkProfile', 'ios'))).toBe(
      "'state.workProfile' exists only on androidWorkProfile, androidCorporateWorkProfile; the target has ios",
    );
    expect(checkFactPath('state.boot[x=y]', true, on('ios'))).toBe(
      "'state.boot' in 'state.boot[x=y]' is not a list, so [x=…] cannot select from it",
    );
    expect(checkFactPath('state.apps[kund=webLink]', 'absent', on('ios'))).toBe(
      "the items of 'state.apps' have no field 'kund' to select by; they have id, name, kind, installed, keepOnUnenroll, data",
    );
    expect(checkFactPath('state.management', true, on('ios'))).toBe(
      "'state.management' is an object: assert one of its fields (enrolled, managementProfile, deviceAdminPrivilege, sideloadingKeys, policies), or present, absent, {count}",
    );
    expect(checkFactPath('state.boot', { count: 1 }, on('ios'))).toBe(
      "'state.boot' is not a list, so {count/min/max} says nothing about it",
    );
    expect(checkFactPath('state.boot', { everyIfAny: 'normal' }, on('ios'))).toBe(
      "'state.boot' is not a list, so {everyIfAny} says nothing about it; give the value itself",
    );
    expect(checkFactPath('state.management.enrolled', 'absent', on('ios'))).toBe(
      "'state.management.enrolled' is always set, so 'absent' checks nothing; give the value it must have",
    );
  });

  it('suggests paths by edit distance, selectors left out', () => {
    expect(checkFactPath('state.apps[kind=personal].instaled', true, on('ios'))).toMatch(
      /nearest valid paths: state\.apps\.installed, /,
    );
    expect(checkFactPath('stat.boot', 'normal', on('ios'))).toMatch(/nearest valid paths: state\.boot, /);
  });

  it.each([
    ['state.apps.data.status', ['present', 'encryptedUnusable', 'keysRevoked']],
    ['state.accounts.kind', ['azureAd', 'local', 'builtinAdministrator', 'microsoft', 'appleId', 'google']],
    ['state.power', ['on', 'off']],
    ['state.network', ['online', 'offline']],
    ['state.nvram.resetJob.action', ['wipe', 'freshStart']],
    [
      'state.nvram.resetJob.variant',
      ['full', 'keepUserData', 'keepEnrollment', 'freshStartKeepUserData', 'freshStart'],
    ],
  ] as const)('every value the model gives %s is one a scenario may expect', (path, values) => {
    const all = { platforms: Object.values(PLATFORMS), appNames: [] };
    expect(values.map((v) => checkFactPath(path, v, all))).toEqual(values.map(() => null));
    expect(checkFactPath(path, 'bogus', all)).toBe(`'${path}' is one of ${values.join(', ')}; given "bogus"`);
  });

  it('typed leaves: a string that is always set, a nullable number, an iOS-only boolean, a record that goes away', () => {
    // Text, not nullable: 'absent' could never pass.
    expect(checkFactPath('identity.serialNumber', 'absent', on('ios'))).toBe(
      "'identity.serialNumber' is always set, so 'absent' checks nothing; give the value it must have",
    );
    expect(checkFactPath('identity.osBuild', 'x', on('windows10'))).toBe(
      `'identity.osBuild' is a number; given "x"`,
    );
    expect(checkFactPath('state.esimDataPlan', true, on('ios'))).toBeNull();
    expect(checkFactPath('state.esimDataPlan', 'on', on('ios'))).toBe(
      `'state.esimDataPlan' is true or false; given "on"`,
    );
    // The record is gone once the device has no credentials: its fields can be absent.
    expect(checkFactPath('record.id', 'absent', on('ios'))).toBeNull();
    expect(checkFactPath('record.lastSyncAtMs', null, on('ios'))).toBeNull();
    expect(checkFactPath('record.removedAtMs', 'x', on('ios'))).toBe(
      `'record.removedAtMs' is a number; given "x"`,
    );
  });

  it("a data location is checked against the target's platforms, and says which", () => {
    expect(checkFactPath('state.apps.data[location=moon].status', 'present', on('macos'))).toBe(
      "[location=moon] in 'state.apps.data[location=moon].status': location is one of appLocal on macos",
    );
  });

  it('every path suggested for a misspelling is one a scenario can name, on some platform', () => {
    // Each names a list ({count} holds) or a field that is not one, and nothing else.
    const fine = (p: string, id: PlatformId) => {
      const problem = checkFactPath(p, { count: 0 }, on(id));
      return problem === null || problem === `'${p}' is not a list, so {count/min/max} says nothing about it`;
    };
    expect(allPaths().filter((p) => !PLATFORM_IDS.some((id) => fine(p, id as PlatformId)))).toEqual([]);
    expect(allPaths()).toContain('state.nvram.resetJob.variant');
  });

  it.each([
    ['state.powr', ['state.power', 'state.boot', 'state.apps']],
    ['onlinex', ['online', 'state', 'identity']],
    ['x', ['state', 'online', 'record']],
    ['record.idd', ['record.id', 'record', 'record.listed']],
  ])('the three paths nearest %s, by edit distance then name', (path, nearest) => {
    expect(nearestPaths(path)).toEqual(nearest);
  });

  it('lists every platform of the target, comma-separated, in its messages', () => {
    expect(checkFactPath('state.apps[kind=win32Oem]', 'absent', on('ios', 'macos'))).toBe(
      "[kind=win32Oem] in 'state.apps[kind=win32Oem]': kind is one of personal, companyPortal, appStoreTakenOver, mamMicrosoft, managedApp on ios, macos",
    );
    expect(checkFactPath('state.outlook.receivesNewMail', false, on('ios', 'windows10'))).toBe(
      "'state.outlook' exists only on macos; the target has ios, windows10",
    );
  });

  it('a path that goes on past a leaf field is unknown', () => {
    expect(checkFactPath('state.management.enrolled.since', 1, on('ios'))).toBe(
      "unknown fact path 'state.management.enrolled.since': 'state.management.enrolled.since' does not exist; nearest valid paths: state.management.enrolled, state.management.policies.name, state.management.policies",
    );
  });

  it('present or absent on an object that is always set checks nothing, and is refused', () => {
    expect(checkFactPath('state.management', 'present', on('ios'))).toBe(
      "'state.management' is always set, so 'present' checks nothing; give the value it must have",
    );
    expect(checkFactPath('identity', 'absent', on('ios'))).toBe(
      "'identity' is always set, so 'absent' checks nothing; give the value it must have",
    );
  });
});
