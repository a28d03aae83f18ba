/**
 * A threshold as a checks file writes it: a lower bound, an upper bound or both.
 *
 * @example
 * const b: Bounds = { min: 0.9 };
 */
export interface Bounds {
  min?: number;
  max?: number;
}

/**
 * Whether a measured number lies within the bounds (inclusive); a value that could not be measured never does.
 *
 * @example
 * withinBounds(0.95, { min: 0.9 }); // true
 */
export function withinBounds(v: number | null, b: Bounds): boolean {
  if (v === null || Number.isNaN(v)) return false;
  return (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
}

/**
 * Whether an exact count lies within the bounds, compared as integers (a count past 2^53 is not rounded first).
 *
 * @example
 * countWithinBounds(9007199254740993n, { max: 1e7 }); // false
 */
export function countWithinBounds(n: bigint, b: Bounds): boolean {
  return (b.min === undefined || n >= BigInt(Math.ceil(b.min))) && (b.max === undefined || n <= BigInt(Math.floor(b.max)));
}

/**
 * The bounds as words: `>= 0.9`, `<= 0.01`, `in [-0.01, 7]`.
 *
 * @example
 * boundsText({ min: -0.01, max: 7 }); // 'in [-0.01, 7]'
 */
export function boundsText(b: Bounds): string {
  if (b.min !== undefined && b.max !== undefined) return `in [${num(b.min)}, ${num(b.max)}]`;
  return b.min !== undefined ? `>= ${num(b.min)}` : `<= ${num(b.max!)}`;
}

/**
 * A number as a message shows it: up to six significant digits, no trailing zeros.
 *
 * @example
 * num(0.123456789); // '0.123457'
 */
export function num(v: number | null): string {
  if (v === null) return 'n/a';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

/**
 * A fraction of a count, 0 when the count is 0 (no rows have nothing wrong with them).
 *
 * @example
 * fraction(3n, 1000n); // 0.003
 */
export function fraction(part: bigint, whole: bigint): number {
  return whole === 0n ? 0 : Number(part) / Number(whole);
}
