import type { EnrollmentType, PlatformId } from './platforms/types.ts';
import { WINDOWS_10_BUILD } from './platforms/windows-10.ts';
import { type ReasonCode, type Refusal, refusal } from './reasons.ts';

/**
 * The eligibility table: for every platform, action and option, allowed or refused with a stable
 * reason. The service consults it before queuing; the agent's model consults it again, so both
 * sides agree. Each entry is explicit: a test walks every (platform, action, option) pair.
 */

export const ACTION_KEYS = [
  'wipe',
  'wipe.keepUserData',
  'wipe.keepEnrollmentData',
  'wipe.useProtectedWipe',
  'wipe.macOsUnlockCode',
  'wipe.persistEsimDataPlan',
  'retire',
  'freshStart',
  'freshStart.keepUserData',
  'sync',
  'delete',
] as const;
export type ActionKey = (typeof ACTION_KEYS)[number];

export type Verdict =
  | { kind: 'supported' }
  /** Accepted and without effect on this platform. */
  | { kind: 'ignored' }
  | { kind: 'refused'; reason: ReasonCode }
  /** Supported from this Windows build on, refused before it. */
  | { kind: 'fromBuild'; minBuild: number; reason: ReasonCode }
  /** Supported except for these enrollment types. */
  | { kind: 'exceptEnrollment'; enrollmentTypes: readonly EnrollmentType[]; reason: ReasonCode };

const ok: Verdict = { kind: 'supported' };
const ignored: Verdict = { kind: 'ignored' };
const no = (reason: ReasonCode): Verdict => ({ kind: 'refused', reason });

/** Wipe options no platform but Windows 10 knows (W-4, W-PROT-4). */
const NOT_WINDOWS_10 = {
  'wipe.keepUserData': no('keepUserDataNotSupported'), // W-4
  'wipe.keepEnrollmentData': no('keepEnrollmentDataNotSupported'), // [design] Windows 10 only
  'wipe.useProtectedWipe': no('protectedWipeNotSupported'), // W-PROT-4
  freshStart: no('freshStartNotSupported'), // F-4
  'freshStart.keepUserData': no('freshStartNotSupported'), // F-4
} as const;

const ALWAYS = { sync: ok, delete: ok } as const; // S-6, D-1

/** Wipe and retire without any Windows 10 option: the part each of the rows below states alike. */
const WIPE_AND_RETIRE = { wipe: ok, ...NOT_WINDOWS_10, retire: ok, ...ALWAYS } as const;

/** Android device administrator and Knox (R-DA-*): each platform below has its own row. */
const ANDROID_ADMIN: Record<ActionKey, Verdict> = {
  ...WIPE_AND_RETIRE,
  'wipe.macOsUnlockCode': ignored,
  'wipe.persistEsimDataPlan': ignored,
};

/** W-9, R-AE-2, R-AE-3: corporate-owned Android Enterprise modes can only be wiped. */
function androidCorporate(retireReason: ReasonCode): Record<ActionKey, Verdict> {
  return { ...ANDROID_ADMIN, retire: no(retireReason) };
}

/** Windows 8.1, RT 8.1 and RT: wipe and retire; no Windows 10 option (W-4, W-PROT-4, F-4). */
const WINDOWS_8: Record<ActionKey, Verdict> = {
  ...WIPE_AND_RETIRE,
  'wipe.macOsUnlockCode': ignored,
  'wipe.persistEsimDataPlan': ignored,
};

/** macOS: wipe (with its unlock code, [design] six digits) and retire; no Windows 10 option. */
const MACOS: Record<ActionKey, Verdict> = {
  ...WIPE_AND_RETIRE,
  'wipe.macOsUnlockCode': ok,
  'wipe.persistEsimDataPlan': ignored,
};

export const ELIGIBILITY: Readonly<Record<PlatformId, Readonly<Record<ActionKey, Verdict>>>> = {
  ios: {
    // W-3: User Enrollment devices cannot be wiped.
    wipe: {
      kind: 'exceptEnrollment',
      enrollmentTypes: ['appleUserEnrollment'],
      reason: 'wipeNotSupportedForUserEnrollment',
    },
    ...NOT_WINDOWS_10,
    'wipe.macOsUnlockCode': ignored,
    'wipe.persistEsimDataPlan': ok, // [later: devices-wipe 2022]
    retire: ok,
    ...ALWAYS,
  },
  macos: MACOS,
  androidDeviceAdmin: ANDROID_ADMIN,
  androidKnox: ANDROID_ADMIN,
  androidWorkProfile: { ...ANDROID_ADMIN, wipe: no('wipeNotSupportedForWorkProfile') }, // W-8, R-AE-1
  androidDedicated: androidCorporate('retireNotSupportedForDedicated'), // W-9, R-AE-2
  androidFullyManaged: androidCorporate('retireNotSupportedForCorporateOwnedAndroid'), // R-AE-3
  androidCorporateWorkProfile: androidCorporate('retireNotSupportedForCorporateOwnedAndroid'), // R-AE-3
  windows81: WINDOWS_8,
  windowsRT81: WINDOWS_8,
  windowsRT: WINDOWS_8,
  windows10: {
    wipe: ok,
    'wipe.keepUserData': {
      kind: 'fromBuild',
      minBuild: WINDOWS_10_BUILD.v1709,
      reason: 'keepUserDataNotSupported',
    }, // W-4
    'wipe.keepEnrollmentData': ok, // [design] doWipePersistProvisionedData
    'wipe.useProtectedWipe': {
      kind: 'fromBuild',
      minBuild: WINDOWS_10_BUILD.v1703,
      reason: 'protectedWipeNotSupported',
    }, // W-PROT-4
    'wipe.macOsUnlockCode': ignored,
    'wipe.persistEsimDataPlan': ignored,
    retire: ok,
    freshStart: { kind: 'fromBuild', minBuild: WINDOWS_10_BUILD.v1709, reason: 'freshStartNotSupported' }, // F-4
    // F-2: the option itself has no floor of its own; Fresh Start's (F-4), checked first, decides.
    'freshStart.keepUserData': ok,
    ...ALWAYS,
  },
};

export interface WipeOptions {
  keepEnrollmentData?: boolean;
  keepUserData?: boolean;
  useProtectedWipe?: boolean;
  macOsUnlockCode?: string;
  persistEsimDataPlan?: boolean;
}

export type ActionRequest =
  | { action: 'wipe'; options: WipeOptions }
  | { action: 'retire' }
  | { action: 'freshStart'; keepUserData: boolean }
  | { action: 'sync' }
  | { action: 'delete' };

export interface EligibilitySubject {
  platform: PlatformId;
  enrollmentType: EnrollmentType;
  osBuild: number | null;
}

/** The table entries a request touches: the action, then each option it sets. */
export function actionKeysOf(request: ActionRequest): ActionKey[] {
  switch (request.action) {
    case 'wipe': {
      const o = request.options;
      const keys: ActionKey[] = ['wipe'];
      if (o.keepUserData) keys.push('wipe.keepUserData');
      if (o.keepEnrollmentData) keys.push('wipe.keepEnrollmentData');
      if (o.useProtectedWipe) keys.push('wipe.useProtectedWipe');
      if (o.macOsUnlockCode !== undefined) keys.push('wipe.macOsUnlockCode');
      if (o.persistEsimDataPlan !== undefined) keys.push('wipe.persistEsimDataPlan');
      return keys;
    }
    case 'freshStart':
      return request.keepUserData ? ['freshStart', 'freshStart.keepUserData'] : ['freshStart'];
    default:
      return [request.action];
  }
}

export function verdictAllows(verdict: Verdict, subject: EligibilitySubject): Refusal | null {
  switch (verdict.kind) {
    case 'supported':
    case 'ignored':
      return null;
    // Stryker disable next-line ConditionalExpression: a refused verdict has no minBuild, so falling into fromBuild (build >= undefined is false) refuses with the same reason
    case 'refused':
      return refusal(verdict.reason);
    case 'fromBuild':
      return subject.osBuild !== null && subject.osBuild >= verdict.minBuild ? null : refusal(verdict.reason);
    case 'exceptEnrollment':
      return verdict.enrollmentTypes.includes(subject.enrollmentType) ? refusal(verdict.reason) : null;
  }
}

/** Rules across options, which no single table cell can state. */
const COMBINATION_RULES: readonly {
  applies: (o: WipeOptions, s: EligibilitySubject) => boolean;
  reason: ReasonCode;
}[] = [
  // W-PROT-4: the CSP has no node for a protected wipe that keeps enrollment or user data.
  {
    applies: (o) => !!o.useProtectedWipe && (!!o.keepUserData || !!o.keepEnrollmentData),
    reason: 'protectedWipeWithKeepEnrollment',
  },
  // [design] six digits, checked where the option means something.
  {
    applies: (o, s) =>
      s.platform === 'macos' && o.macOsUnlockCode !== undefined && !/^\d{6}$/.test(o.macOsUnlockCode),
    reason: 'invalidMacOsUnlockCode',
  },
];

/** Null when the platform allows the request; otherwise the first refusal. */
export function checkEligibility(subject: EligibilitySubject, request: ActionRequest): Refusal | null {
  const row = ELIGIBILITY[subject.platform];
  for (const key of actionKeysOf(request)) {
    const refused = verdictAllows(row[key], subject);
    if (refused) return refused;
  }
  if (request.action === 'wipe') {
    const broken = COMBINATION_RULES.find((rule) => rule.applies(request.options, subject));
    if (broken) return refusal(broken.reason);
  }
  return null;
}
