/** The admin center's remote actions as the page sends them to the Graph-shaped API. */

export type ActionKind = 'wipe' | 'retire' | 'delete' | 'freshStart' | 'sync';

/** The wipe dialog's two checkboxes, worded as in Intune's admin center. */
export interface WipeChoices {
  /** "Wipe device, but keep enrollment state and user account" */
  keepEnrollmentAndUser: boolean;
  /** "Wipe device, and continue to wipe even if device loses power" */
  continueOnPowerLoss: boolean;
}

export interface GraphCall {
  method: 'POST' | 'DELETE';
  path: string;
  body?: Record<string, unknown>;
}

/** The Graph call for an action on one device (beta: useProtectedWipe is a beta parameter). */
export function actionCall(
  kind: ActionKind,
  deviceId: string,
  wipe: WipeChoices = { keepEnrollmentAndUser: false, continueOnPowerLoss: false },
  freshStartKeepUserData = false,
): GraphCall {
  const base = `/beta/deviceManagement/managedDevices/${encodeURIComponent(deviceId)}`;
  switch (kind) {
    case 'wipe': {
      const body: Record<string, unknown> = {};
      if (wipe.keepEnrollmentAndUser) Object.assign(body, { keepEnrollmentData: true, keepUserData: true });
      if (wipe.continueOnPowerLoss) body.useProtectedWipe = true;
      return { method: 'POST', path: `${base}/wipe`, body };
    }
    case 'retire':
      return { method: 'POST', path: `${base}/retire`, body: {} };
    case 'delete':
      return { method: 'DELETE', path: base };
    case 'freshStart':
      return {
        method: 'POST',
        path: `${base}/cleanWindowsDevice`,
        body: { keepUserData: freshStartKeepUserData },
      };
    case 'sync':
      return { method: 'POST', path: `${base}/syncDevice`, body: {} };
  }
}

export const ACTION_LABELS: Record<ActionKind, string> = {
  wipe: 'Wipe',
  retire: 'Retire',
  delete: 'Delete',
  freshStart: 'Fresh Start',
  sync: 'Sync',
};

/** A refused action as the page shows it: the rule, the reason code and the service's words. */
export interface Refusal {
  status: number;
  rule: string | null;
  reason: string | null;
  message: string;
}

/** Reads a Graph error body; the service writes "… (reason: <code>; rule <id>)" into the message. */
export function readRefusal(status: number, body: unknown): Refusal {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  const reason = /\(reason: (\w+)/.exec(message)?.[1] ?? null;
  const rule =
    /rule ([\w-]+(?:\s*\[\w+\])?)\)/.exec(message)?.[1] ?? /\(([A-Z]+-[\w-]+)\)/.exec(message)?.[1] ?? null;
  return { status, rule, reason, message };
}

/** Why an action cannot be sent at all, before asking the service; null when it can. */
export function notActionable(row: { deviceId: string | null; state: string }): string | null {
  if (row.state === 'enrolling') return 'This device is not enrolled yet: it is still enrolling.';
  if (row.state === 'removed' || row.deviceId === null)
    return 'This device has no Intune record (it was removed from management).';
  return null;
}
