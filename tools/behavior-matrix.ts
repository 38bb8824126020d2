import type { EffectRow, Op } from '../agent/model/effects/ops.ts';
import { RESET_RULES } from '../agent/model/effects/reset-rules.ts';
import { RETIRE_RULES } from '../agent/model/effects/retire-rules.ts';
import { ACTION_KEYS, type ActionKey, ELIGIBILITY, type Verdict } from '../sim/eligibility.ts';
import { PLATFORM_IDS, PLATFORMS } from '../sim/platforms/index.ts';
import type { PlatformId } from '../sim/platforms/types.ts';
import { REASONS } from '../sim/reasons.ts';

/**
 * Renders docs/behavior-matrix.md from the model's own tables, so the document cannot drift from
 * the behaviour: a test regenerates it and fails when the committed copy differs.
 */

const COLUMNS: readonly { title: string; rules: readonly EffectRow[]; gate: ActionKey[] }[] = [
  { title: 'Retire', rules: RETIRE_RULES, gate: ['retire'] },
  { title: 'Wipe', rules: RESET_RULES.full, gate: ['wipe'] },
  { title: 'Wipe, keepUserData', rules: RESET_RULES.keepUserData, gate: ['wipe', 'wipe.keepUserData'] },
  {
    title: 'Wipe, keepEnrollmentData',
    rules: RESET_RULES.keepEnrollment,
    gate: ['wipe', 'wipe.keepEnrollmentData'],
  },
  {
    title: 'Fresh Start, keep user data',
    rules: RESET_RULES.freshStartKeepUserData,
    gate: ['freshStart.keepUserData'],
  },
  { title: 'Fresh Start', rules: RESET_RULES.freshStart, gate: ['freshStart'] },
];

const CONDITION_TEXT: Record<NonNullable<EffectRow['when']>, string> = {
  joinedDuringSetup: 'if joined to Azure AD during setup',
  outlookConditionalAccess: 'with conditional access',
  beforeWindows1709: 'before 1709',
  personal: 'personal devices only',
  esimDataPlanNotKept: 'with persistEsimDataPlan: false',
};

function describeOp(op: Op): string {
  switch (op.op) {
    case 'apps': {
      const app = {
        keep: 'app stays',
        remove: 'app removed',
        removeUnlessKeepOnUnenroll: 'removed unless "do not remove"',
      }[op.app];
      const data = Object.entries(op.data ?? {})
        .filter(([, e]) => op.app === 'keep' || e !== 'remove')
        .map(
          ([loc, e]) =>
            `${loc} ${{ remove: 'removed', lock: 'stays encrypted and unusable, not removed', revokeKeys: 'keys revoked' }[e]}`,
        );
      const everything =
        op.data && Object.values(op.data).length === 5 && Object.values(op.data).every((e) => e === 'remove');
      return everything ? `${app} with all its data` : [app, ...data].join(', ');
    }
    case 'certificates':
      return `${op.source === 'all' ? 'all' : 'Intune'}: ${{ revoke: 'revoked, not removed', removeAndRevoke: 'removed and revoked', remove: 'removed' }[op.effect]}`;
    case 'networkProfiles':
    case 'emailProfiles':
      return op.source === 'all' ? 'all removed' : 'Intune-provisioned removed';
    case 'settings':
      return op.effect === 'unenforce' ? 'no longer enforced' : 'back to defaults';
    case 'accounts':
      return op.effect === 'removeAll' ? 'all removed' : 'built-in administrator only';
    case 'files':
      return `${op.areas.join(' and ')} removed`;
    case 'boot':
      return op.to === 'setup' ? 'boots to setup' : 'boots normally';
    case 'outlookNewMail':
      return 'no new email';
    case 'azureAdAccounts':
      return 'all Azure AD accounts removed; local data via local admin in safe mode';
    case 'deviceAdminPrivilege':
      return 'revoked';
    case 'firmwareUnlockCode':
      return 'set to the macOsUnlockCode given';
    case 'safeModeLocalData':
      return 'ends';
    case 'unchanged':
      return 'unchanged';
    default:
      return 'removed';
  }
}

function cell(row: EffectRow): string {
  const parts = [describeOp(row.op)];
  if (row.when) parts.push(`(${CONDITION_TEXT[row.when]})`);
  if (row.note) parts.push(`— ${row.note}`);
  return `${parts.join(' ')} [${row.specId}]`;
}

function verdictText(v: Verdict): string {
  switch (v.kind) {
    case 'supported':
      return 'yes';
    case 'ignored':
      return 'ignored';
    case 'refused':
      return `refused: \`${v.reason}\``;
    case 'fromBuild':
      return `from build ${v.minBuild}, else \`${v.reason}\``;
    case 'exceptEnrollment':
      return `yes, except ${v.enrollmentTypes.join(', ')}: \`${v.reason}\``;
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function platformSection(platform: PlatformId): string[] {
  const row = ELIGIBILITY[platform];
  const columns = COLUMNS.filter((c) => c.gate.every((k) => row[k].kind !== 'refused'));
  const refused = COLUMNS.filter((c) => !columns.includes(c)).map((c) => {
    const v = c.gate.map((k) => row[k]).find((x) => x.kind === 'refused');
    return `${c.title} (\`${v && 'reason' in v ? v.reason : ''}\`)`;
  });
  const cells = new Map<string, Map<string, string[]>>();
  for (const column of columns) {
    for (const r of column.rules) {
      if (r.platforms !== 'all' && !r.platforms.includes(platform)) continue;
      const byColumn = cells.get(r.dataType) ?? new Map<string, string[]>();
      byColumn.set(column.title, [...(byColumn.get(column.title) ?? []), cell(r)]);
      cells.set(r.dataType, byColumn);
    }
  }
  const lines = [`### ${PLATFORMS[platform].displayName} (\`${platform}\`)`, ''];
  if (refused.length > 0) lines.push(`Refused: ${refused.join('; ')}.`, '');
  lines.push(
    `| data type | ${columns.map((c) => c.title).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  );
  for (const [dataType, byColumn] of cells) {
    lines.push(
      `| ${dataType} | ${columns.map((c) => escapeCell(byColumn.get(c.title)?.join('; ') ?? '—')).join(' | ')} |`,
    );
  }
  return [...lines, ''];
}

export function renderBehaviorMatrix(): string {
  const lines = [
    '# Behaviour matrix',
    '',
    '<!-- Generated by `npm run docs` from agent/model/effects and sim/eligibility.ts. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'What each action does to each data type on each platform, as the device model implements it. Each cell names the',
    'behaviour-spec rule it implements. Conditions in parentheses are read from the state before the action. "—" means',
    'the column has no row of its own for that data type: under a wipe or Fresh Start the app kinds fall under "All apps";',
    'anything else is not touched.',
    '',
    '## Effects per platform',
    '',
    ...PLATFORM_IDS.flatMap(platformSection),
    '## Eligibility: actions and options per platform',
    '',
    `| platform | ${ACTION_KEYS.join(' | ')} |`,
    `|---|${ACTION_KEYS.map(() => '---').join('|')}|`,
    ...PLATFORM_IDS.map(
      (p) => `| ${p} | ${ACTION_KEYS.map((k) => escapeCell(verdictText(ELIGIBILITY[p][k]))).join(' | ')} |`,
    ),
    '',
    'Across options: `useProtectedWipe` with `keepUserData` or `keepEnrollmentData` is refused (`protectedWipeWithKeepEnrollment`, W-PROT-4);',
    'on macOS a `macOsUnlockCode` that is not six digits is refused (`invalidMacOsUnlockCode`).',
    '',
    '## Reason codes',
    '',
    '| code | rule | message |',
    '|---|---|---|',
    ...Object.entries(REASONS).map(([code, r]) => `| \`${code}\` | ${r.specId} | ${escapeCell(r.message)} |`),
    '',
  ];
  return lines.join('\n');
}
