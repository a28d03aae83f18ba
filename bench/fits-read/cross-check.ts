/** Per-column figures astropy_read.py prints: sums of ints as decimal strings, floats as numbers. */
export interface AnchorColumn {
  count: number;
  sum?: string | number;
  countTrue?: number;
}

/** The part of a `skybook fits stats --json` column the check reads. */
export interface OurColumn {
  name: string;
  count: number;
  sum: number | string | [number, number] | null;
  countTrue: number | null;
}

/** One column whose figures disagree, in words. */
export interface Mismatch {
  column: string;
  what: string;
  ours: string;
  astropy: string;
}

/** Relative tolerance for float sums (ours is compensated, numpy's is pairwise: both far better than this). */
export const FLOAT_RTOL = 1e-9;

/**
 * Compares our per-column statistics with astropy's sums of the same file: integer sums and counts exactly, float sums
 * to a relative 1e-9, logicals by their count of True. Returns the mismatches (none when all agree).
 *
 * @example
 * const bad = crossCheck(doc.hdus[1].table.columns, astropy.columns);
 */
export function crossCheck(ours: OurColumn[], anchor: Record<string, AnchorColumn>): Mismatch[] {
  const bad: Mismatch[] = [];
  const names = new Set([...ours.map((c) => c.name), ...Object.keys(anchor)]);
  for (const name of names) {
    const o = ours.find((c) => c.name === name);
    const a = anchor[name];
    if (!o || !a) {
      bad.push({
        column: name,
        what: 'column present in one tool only',
        ours: o ? 'present' : 'absent',
        astropy: a ? 'present' : 'absent',
      });
      continue;
    }
    if (o.count !== a.count) bad.push({ column: name, what: 'count', ours: String(o.count), astropy: String(a.count) });
    if (a.countTrue !== undefined && o.countTrue !== a.countTrue) {
      bad.push({ column: name, what: 'count of True', ours: String(o.countTrue), astropy: String(a.countTrue) });
    }
    if (typeof a.sum === 'string') {
      const same =
        (typeof o.sum === 'number' || typeof o.sum === 'string') &&
        /^-?\d+$/.test(String(o.sum)) &&
        BigInt(String(o.sum)) === BigInt(a.sum);
      if (!same) bad.push({ column: name, what: 'integer sum', ours: String(o.sum), astropy: a.sum });
    } else if (typeof a.sum === 'number') {
      const v = typeof o.sum === 'number' ? o.sum : NaN;
      const scale = Math.max(Math.abs(v), Math.abs(a.sum));
      if (!(Math.abs(v - a.sum) <= FLOAT_RTOL * scale))
        bad.push({ column: name, what: 'float sum', ours: String(o.sum), astropy: String(a.sum) });
    }
  }
  return bad;
}
