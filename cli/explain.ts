import { generateFleet } from '../agent/fleet/generator.ts';
import { completeReset, powerOff, powerOn, runCommand } from '../agent/model/actions.ts';
import type { Command, Device, Outcome } from '../agent/model/commands.ts';
import { runToCompletion } from '../agent/model/run-to-completion.ts';
import { type StateSummary, summarize } from '../agent/model/summary.ts';
import { PLATFORM_IDS, PLATFORMS } from '../sim/platforms/index.ts';
import { createRng } from '../sim/prng.ts';

/**
 * The model demonstration: a seeded fleet, every platform wiped and retired through the pure
 * device model, and a protected wipe that survives a power cut. No broker yet: the runtime
 * (issue 3) puts these devices on the wire.
 */

/** The table's columns: the summary field, its heading, and what the heading means (the legend). */
const COLUMNS: readonly [keyof StateSummary, string, string][] = [
  ['apps', 'apps', 'apps installed'],
  ['appDataPresent', 'data', 'app data stores still present'],
  ['certificatesInstalled', 'certs', 'certificates installed'],
  ['certificatesRevoked', 'revoked', 'certificates revoked'],
  ['networkProfiles', 'wifi/vpn', 'Wi-Fi and VPN profiles'],
  ['emailProfiles', 'email', 'email profiles'],
  ['settingsEnforced', 'enforced', 'settings still enforced'],
  ['policies', 'policies', 'policies applied'],
  ['enrolled', 'managed', 'enrolled in Intune'],
  ['azureAd', 'azureAD', 'Azure AD: joined, registered or none'],
  ['accounts', 'accounts', 'accounts on the device'],
  ['userFiles', 'files', 'user files'],
];

/** Wide enough for the heading and any value ("registered"), and two spaces apart: columns never touch. */
const WIDTHS = COLUMNS.map(([key, heading]) => Math.max(heading.length, key === 'azureAd' ? 10 : 5) + 2);
const LABEL_WIDTH = 16;

function cells(values: readonly string[]): string {
  return values.map((v, i) => v.padStart(WIDTHS[i]!)).join('');
}

function row(label: string, s: StateSummary): string {
  return `    ${label.padEnd(LABEL_WIDTH)}${cells(COLUMNS.map(([k]) => String(s[k])))}`;
}

const LEGEND = [
  'Each row counts what is on the device. The retire and the wipe each start from the "before" state:',
  'the wipe row is the device wiped as it was, not after the retire.',
  ...COLUMNS.map(([, heading, means]) => `  ${heading.padEnd(10)}${means}`),
];

function describe(outcome: Outcome | undefined): string {
  if (!outcome) return 'no outcome';
  switch (outcome.status) {
    case 'done':
      return `done (${outcome.rules.join(', ')})`;
    case 'failed':
    case 'notSupported':
      return `${outcome.status}: ${outcome.reason.code} [${outcome.reason.specId}]`;
    case 'inProgress':
      return 'in progress';
    case 'unbootable':
      return `unbootable: ${outcome.boot} [${outcome.specId}]`;
  }
}

function runToEnd(
  device: Device,
  command: Command,
  seed: string,
): { device: Device; outcome: Outcome | undefined } {
  const t = runToCompletion(device, command, { nowMs: 0, rng: createRng(seed) });
  return { device: { ...device, state: t.state }, outcome: t.outcome };
}

export function runExplain(options: { seed: string; perPlatform: number }): string {
  const fleet = generateFleet({
    seed: options.seed,
    cohorts: PLATFORM_IDS.map((platform) => ({ name: platform, platform, count: options.perPlatform })),
  });
  const out: string[] = [
    `fleetsim explain — seed "${options.seed}", ${fleet.length} devices`,
    '',
    ...LEGEND,
    '',
    `    ${''.padEnd(LABEL_WIDTH)}${cells(COLUMNS.map(([, h]) => h))}`,
  ];
  for (const device of fleet) {
    const { identity } = device;
    out.push(
      '',
      `${PLATFORMS[identity.platform].displayName} — ${identity.deviceName} (${identity.enrollmentType}, ${identity.ownership}, ${identity.osVersion})`,
    );
    out.push(row('before', summarize(device.state)));
    const retire = runToEnd(device, { id: 'retire', type: 'retire' }, `${options.seed}/retire`);
    out.push(
      row('after retire', summarize(retire.device.state)),
      `      retire: ${describe(retire.outcome)}`,
    );
    const wipe = runToEnd(device, { id: 'wipe', type: 'wipe', options: {} }, `${options.seed}/wipe`);
    out.push(row('after wipe', summarize(wipe.device.state)), `      wipe: ${describe(wipe.outcome)}`);
    if (identity.platform === 'windows10') out.push(...powerCutDemo(device, options.seed));
  }
  return `${out.join('\n')}\n`;
}

/** W-PROT-1 and W-PROT-2 side by side: pull the power halfway through each kind of wipe. */
function powerCutDemo(device: Device, seed: string): string[] {
  const lines: string[] = [];
  for (const useProtectedWipe of [false, true]) {
    const rng = createRng(`${seed}/power/${useProtectedWipe}`);
    const command: Command = { id: 'wipe-power', type: 'wipe', options: { useProtectedWipe } };
    const started = runCommand(device, command, { nowMs: 0, rng });
    if (started.outcome?.status !== 'inProgress') {
      lines.push(
        `      ${useProtectedWipe ? 'protected' : 'unprotected'} wipe: ${describe(started.outcome)}`,
      );
      continue;
    }
    const half = started.outcome.completesAtMs / 2;
    const off = powerOff({ ...device, state: started.state });
    const on = powerOn({ ...device, state: off.state }, { nowMs: half, rng });
    let end = describe(off.outcome);
    if (on.outcome?.status === 'inProgress') {
      end = `resumed at power-on, ${describe(completeReset({ ...device, state: on.state }, { nowMs: on.outcome.completesAtMs, rng }).outcome)}`;
    }
    lines.push(`      ${useProtectedWipe ? 'protected' : 'unprotected'} wipe, power cut halfway: ${end}`);
  }
  return lines;
}
