import type { DeviceState } from '../../../sim/device-state.ts';

/** One change between two modeled states, as the drawer lists it. */
export interface StateChange {
  /** What changed, by identity (a list item's id, or a scalar's section), not by its label. */
  key: string;
  section: string;
  item: string;
  change: 'removed' | 'added' | 'changed';
  detail?: string;
}

type Keyed = Record<string, unknown>;

/** The list sections of DeviceState and what names an item in each. */
type ListSection =
  | 'apps'
  | 'certificates'
  | 'networkProfiles'
  | 'emailProfiles'
  | 'accounts'
  | 'files'
  | 'settings';
const LISTS: readonly { section: ListSection; key: string; label: string }[] = [
  { section: 'apps', key: 'id', label: 'name' },
  { section: 'certificates', key: 'id', label: 'subject' },
  { section: 'networkProfiles', key: 'id', label: 'name' },
  { section: 'emailProfiles', key: 'id', label: 'account' },
  { section: 'accounts', key: 'id', label: 'name' },
  { section: 'files', key: 'path', label: 'path' },
  { section: 'settings', key: 'key', label: 'key' },
];

const SCALARS: readonly { section: string; read: (s: DeviceState) => unknown }[] = [
  { section: 'enrollment', read: (s) => (s.management.enrolled ? 'enrolled' : 'not enrolled') },
  { section: 'policies', read: (s) => s.management.policies.length },
  { section: 'Azure AD', read: (s) => s.azureAd.join },
  { section: 'domain join', read: (s) => s.domainJoined },
  { section: 'work profile', read: (s) => (s.workProfile ? 'present' : 'none') },
  { section: 'cached mail', read: (s) => s.mail.cachedMessages },
  { section: 'EFS mail', read: (s) => s.mail.efsProtectedMessages },
  { section: 'autologon user', read: (s) => s.autologonUser },
  { section: 'eSIM plan', read: (s) => s.esimDataPlan },
  { section: 'boot', read: (s) => s.boot },
  { section: 'power', read: (s) => s.power },
  { section: 'NVRAM reset job', read: (s) => (s.nvram.resetJob ? s.nvram.resetJob.action : 'none') },
];

/** What an action changed on the device, item by item. */
export function diffStates(before: DeviceState, after: DeviceState): StateChange[] {
  const changes: StateChange[] = [];
  for (const { section, key, label } of LISTS) {
    const a = new Map((before[section] as unknown as Keyed[]).map((x) => [String(x[key]), x]));
    const b = new Map((after[section] as unknown as Keyed[]).map((x) => [String(x[key]), x]));
    for (const [k, x] of a) {
      const y = b.get(k);
      if (!y) changes.push({ key: `${section}/${k}`, section, item: String(x[label]), change: 'removed' });
      else if (JSON.stringify(x) !== JSON.stringify(y))
        changes.push({
          key: `${section}/${k}`,
          section,
          item: String(x[label]),
          change: 'changed',
          detail: fieldsChanged(x, y),
        });
    }
    for (const [k, y] of b)
      if (!a.has(k))
        changes.push({ key: `${section}/${k}`, section, item: String(y[label]), change: 'added' });
  }
  for (const { section, read } of SCALARS) {
    const x = read(before);
    const y = read(after);
    if (x !== y)
      changes.push({ key: section, section, item: `${String(x)} → ${String(y)}`, change: 'changed' });
  }
  return changes;
}

function fieldsChanged(x: Keyed, y: Keyed): string {
  return Object.keys(y)
    .filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
    .map((k) => (typeof y[k] === 'object' ? k : `${k}: ${String(x[k])} → ${String(y[k])}`))
    .join(', ');
}
