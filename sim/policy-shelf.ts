import type { PolicyItem } from './device-state.ts';

/**
 * One frozen copy of each distinct policy, shared by every record assigned it. A tenant's devices
 * carry the same few policies; a copy per record was ~1.5 KB of a 10,000-device fleet's memory per
 * device. Frozen, because a record that changed a shared policy would change it for all.
 */
export class PolicyShelf {
  private readonly kept = new Map<string, PolicyItem>();

  share(policy: PolicyItem): PolicyItem {
    const key = JSON.stringify(policy);
    let kept = this.kept.get(key);
    if (kept === undefined) {
      const settings = Object.freeze(policy.settings.map((s) => Object.freeze({ ...s })));
      kept = Object.freeze({ ...policy, settings }) as PolicyItem;
      this.kept.set(key, kept);
    }
    return kept;
  }
}
