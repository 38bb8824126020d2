/**
 * A deep copy of plain data (objects, arrays, strings, numbers, booleans, null, undefined) that
 * shares its strings, and its frozen parts, with the original. `structuredClone` copies every
 * string, so a fleet built from the same literals ('userFolders', 'intune', 'present' …) held tens
 * of thousands of equal copies of each; strings are immutable, so sharing them is safe.
 */
export function cloneData<T>(value: T): T {
  // Frozen data cannot change, so it is its own copy: shared items (policies and settings every
  // device of a tenant holds alike) stay one object for the fleet instead of one per device.
  // Whoever freezes plain data freezes all of it: what hangs off a frozen object is not copied.
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneData(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`cloneData copies plain data only, got a ${proto?.constructor?.name ?? 'value'}`);
  // A spread copies the original's shape, properties inside the object; adding them one by one to
  // {} spilled every item with more than four into a separate property array.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const v = out[key];
    if (typeof v === 'object' && v !== null) out[key] = cloneData(v);
  }
  return out as T;
}
