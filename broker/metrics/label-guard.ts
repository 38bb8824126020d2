/** Distinct values a label may take before further ones are counted under OTHER_LABEL_VALUE. */
export const LABEL_VALUES_MAX = 64;
export const OTHER_LABEL_VALUE = 'other';

/**
 * Keeps a label's cardinality bounded whatever the input: labels here come from enums (platform,
 * action, state), but a value that is not in one (a newer agent's check-in reason, say) must not
 * grow the time-series count without limit. The first LABEL_VALUES_MAX values keep their name.
 */
export class LabelGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly max = LABEL_VALUES_MAX) {}

  value(raw: string | undefined): string {
    const v = raw ?? 'unknown';
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return OTHER_LABEL_VALUE;
    this.seen.add(v);
    return v;
  }
}
