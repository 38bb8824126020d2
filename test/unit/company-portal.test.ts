import { describe, expect, it } from 'vitest';
import { companyPortalRefusal } from '../../broker/service/company-portal.ts';
import type { CohortSpec } from '../../sim/cohort.ts';
import { serviceCore } from '../helpers/service-core.ts';

const USER = 'pat@contoso.com';

/** One enrolled device of a cohort, its primary user USER. */
function one(cohort: Omit<CohortSpec, 'count' | 'user'>) {
  const core = serviceCore();
  const [d] = core.devices({ ...cohort, count: 1, user: USER });
  const e = core.enroll(d!, 'enroll-d-0');
  return { core, id: e.managedDeviceId, device: d! };
}

describe('S-5: Company Portal actions', () => {
  it('the primary user may retire, wipe and sync their own device (any case of the UPN); the action is theirs', () => {
    const { core, id } = one({ platform: 'ios', enrollmentType: 'companyPortal' });
    const sync = core.service.companyPortalAction(id, 'PAT@contoso.com', 'sync');
    expect(sync).toMatchObject({
      ok: true,
      value: { kind: 'sync', source: 'companyPortal', initiatedBy: 'PAT@contoso.com' },
    });
    const wipe = core.service.companyPortalAction(id, USER, 'wipe');
    expect(wipe).toMatchObject({ ok: true, value: { kind: 'wipe', command: { type: 'wipe', options: {} } } });
    const retire = core.service.companyPortalAction(id, USER, 'retire');
    expect(retire).toMatchObject({ ok: true, value: { kind: 'retire', command: { type: 'retire' } } });
  });

  it('someone else is refused, naming who', () => {
    const { core, id } = one({ platform: 'ios', enrollmentType: 'companyPortal' });
    expect(core.service.companyPortalAction(id, 'sam@contoso.com', 'sync')).toEqual({
      ok: false,
      error: {
        code: 'companyPortalActionNotAllowed',
        message: 'sam@contoso.com is not the primary user of this device.',
        specId: 'S-5',
      },
    });
    expect(core.service.actions.size).toBe(0);
  });

  it('a device without a primary user (a kiosk) has no one who may act on it', () => {
    const core = serviceCore();
    const [d] = core.devices({ platform: 'androidDedicated', count: 1 });
    const e = core.enroll(d!, 'enroll-d-0');
    expect(core.service.companyPortalAction(e.managedDeviceId, USER, 'sync')).toMatchObject({
      ok: false,
      error: {
        code: 'companyPortalActionNotAllowed',
        message: `${USER} is not the primary user of this device.`,
      },
    });
  });

  it('an unknown device is notFound', () => {
    const { core } = one({ platform: 'ios', enrollmentType: 'companyPortal' });
    expect(core.service.companyPortalAction('nope', USER, 'sync')).toEqual({
      ok: false,
      error: { code: 'notFound', message: 'No managed device with id nope.' },
    });
  });

  const refusals: [string, Omit<CohortSpec, 'count' | 'user'>, ('retire' | 'wipe' | 'sync')[], string][] = [
    [
      'Apple ADE',
      { platform: 'ios', enrollmentType: 'automatedDeviceEnrollment' },
      ['retire', 'wipe'],
      'Apple ADE devices cannot be retired or wiped from the Company Portal',
    ],
    [
      'Android Enterprise fully managed',
      { platform: 'androidFullyManaged' },
      ['retire', 'wipe'],
      'Android Enterprise corporate-owned devices cannot be retired or wiped from the Company Portal',
    ],
    [
      'Android Enterprise dedicated',
      { platform: 'androidDedicated' },
      ['retire', 'wipe'],
      'Android Enterprise corporate-owned devices cannot be retired or wiped from the Company Portal',
    ],
    [
      'Android Enterprise corporate work profile',
      { platform: 'androidCorporateWorkProfile' },
      ['retire', 'wipe'],
      'Android Enterprise corporate-owned devices cannot be retired or wiped from the Company Portal',
    ],
    [
      'Azure AD-joined Windows',
      { platform: 'windows10', enrollmentType: 'azureAdJoin', osVersion: '22H2' },
      ['retire'],
      'Azure AD-joined Windows devices cannot be retired from the Company Portal',
    ],
  ];
  for (const [name, cohort, refused, why] of refusals) {
    it(`${name}: ${refused.join(' and ')} refused with the reason; the others allowed`, () => {
      const { core, id } = one(cohort);
      for (const action of ['retire', 'wipe', 'sync'] as const) {
        const r = core.service.companyPortalAction(id, USER, action);
        if (refused.includes(action))
          expect(r, action).toEqual({
            ok: false,
            error: { code: 'companyPortalActionNotAllowed', message: `${why}.`, specId: 'S-5' },
          });
        else expect(r.ok, action).toBe(true);
      }
    });
  }

  it('the Windows rule is about Azure AD join, not Windows: a registered (workplace-joined) PC may be retired', () => {
    const { core, id, device } = one({
      platform: 'windows10',
      enrollmentType: 'workplaceJoin',
      osVersion: '22H2',
    });
    expect(core.service.devices.get(id)!.facts.azureAd).not.toBe('joined');
    expect(core.service.companyPortalAction(id, USER, 'retire').ok).toBe(true);
    // An Azure AD join on another platform is no reason.
    expect(companyPortalRefusal({ ...device.identity, platform: 'macos' }, 'joined', 'retire')).toBeNull();
  });
});
