/**
 * One registry of refusal and failure reasons: a stable code, the spec rule behind it ('[design]'
 * where the spec is silent and the choice is ours), and the message an admin reads. The service refuses with these before queuing; the agent's model
 * answers with the same codes; Graph errors and scenario expectations name them.
 */
export const REASONS = {
  wipeNotSupportedForUserEnrollment: {
    specId: 'W-3',
    message: 'Wipe is not available for iOS/iPadOS devices enrolled with User Enrollment.',
  },
  keepUserDataNotSupported: {
    specId: 'W-4',
    message:
      'keepUserData (keep enrollment state and user account) requires Windows 10 version 1709 or later.',
  },
  keepEnrollmentDataNotSupported: {
    specId: 'W-4',
    message: 'keepEnrollmentData requires Windows 10.',
  },
  wipeNotSupportedForWorkProfile: {
    specId: 'W-8',
    message:
      'Wipe is not supported for Android Enterprise personally-owned work profile devices; use retire (remove company data).',
  },
  retireNotSupportedForDedicated: {
    specId: 'R-AE-2',
    message: 'Android Enterprise dedicated devices can only be wiped, not retired (W-9).',
  },
  retireNotSupportedForCorporateOwnedAndroid: {
    specId: 'R-AE-3',
    message:
      'Android Enterprise fully managed and corporate-owned work profile devices can only be wiped, not retired.',
  },
  protectedWipeNotSupported: {
    specId: 'W-PROT-4',
    message: 'useProtectedWipe requires Windows 10 version 1703 or later.',
  },
  protectedWipeWithKeepEnrollment: {
    specId: 'W-PROT-4',
    message: 'useProtectedWipe cannot be combined with keepEnrollmentData or keepUserData.',
  },
  invalidMacOsUnlockCode: {
    specId: 'W-1',
    message: 'macOsUnlockCode must be exactly six digits.',
  },
  freshStartNotSupported: {
    specId: 'F-4',
    message: 'Fresh Start requires Windows 10 version 1709 or later.',
  },
  userDeleted: {
    specId: 'D-6',
    message:
      "The device's primary user was deleted from Azure AD; Intune can no longer retire or wipe the device.",
  },
  companyPortalActionNotAllowed: {
    specId: 'S-5',
    message: 'This action is not available from the Company Portal for this device.',
  },
  recoveryEnvironmentUnavailable: {
    specId: '[design]',
    message: 'The reset could not start: the Windows Recovery Environment is missing or unhealthy.',
  },
  powerLostDuringWipe: {
    specId: 'W-PROT-2',
    message: 'The device lost power during an unprotected wipe and rolled back to its state before the wipe.',
  },
  canceledDeviceLeftManagement: {
    specId: '[design]',
    message:
      'Canceled: the device left management (wiped, retired or its company data removed) before it ran this action.',
  },
  canceledDeviceDeleted: {
    specId: 'D-1',
    message: 'Canceled: the device was deleted from Intune before this action reached it.',
  },
  canceledRecordRemoved: {
    specId: '[design]',
    message:
      'Canceled: the device record was removed (inactive-device cleanup D-2, or an expired management certificate D-8).',
  },
  deviceBusy: {
    specId: '[design]',
    message: 'A reset is already under way on this device.',
  },
} as const satisfies Record<string, { specId: string; message: string }>;

export type ReasonCode = keyof typeof REASONS;

export interface Refusal {
  code: ReasonCode;
  specId: string;
  message: string;
}

export function refusal(code: ReasonCode): Refusal {
  const { specId, message } = REASONS[code];
  return { code, specId, message };
}
