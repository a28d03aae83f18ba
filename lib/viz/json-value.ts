/**
 * Turns a value into plain JSON data, deterministically: typed arrays and Arrow vectors become arrays, bigints become
 * decimal strings (ids beyond 2^53 stay exact), non-finite numbers become null (as JSON.stringify does), Dates ISO
 * strings, Maps objects; object keys keep their insertion order. Cycles are cut with the string "[Circular]".
 *
 * @example
 * toJsonValue({ x: new Float64Array([1, NaN]), id: 2n ** 60n }); // { x: [1, null], id: '1152921504606846976' }
 */
export function toJsonValue(value: unknown): unknown {
  return convert(value, new Set());
}

function convert(v: unknown, seen: Set<object>): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v !== 'object') return null;
  if (seen.has(v)) return '[Circular]';
  seen.add(v);
  try {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>, (x) => convert(x, seen));
    if (isArrowVector(v)) return Array.from(v.toArray() as ArrayLike<unknown>, (x) => convert(x, seen));
    if (Array.isArray(v)) return v.map((x) => convert(x, seen));
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), convert(x, seen)]));
    if (v instanceof Set) return [...v].map((x) => convert(x, seen));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = convert(x, seen);
    return out;
  } finally {
    seen.delete(v);
  }
}

/** An Arrow `Vector` (duck-typed: the kernel may see vectors from a second copy of apache-arrow). */
export function isArrowVector(v: unknown): v is { toArray(): unknown; length: number; type: unknown } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { toArray?: unknown }).toArray === 'function' &&
    typeof (v as { length?: unknown }).length === 'number' &&
    'type' in v &&
    'data' in v
  );
}
