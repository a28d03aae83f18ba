import { Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { Rng } from '../../lib/core/index.js';
import { ingestTable } from '../../lib/store/index.js';

/** Faults planted in a redshift catalogue, each at a fixed row so counts are known exactly. */
export interface ZcatFaults {
  /** Rows whose Z is null. */
  nullZ?: number;
  /** Rows whose Z is NaN. */
  nanZ?: number;
  /** Rows whose Z is 9.5 (past any QSO). */
  farZ?: number;
  /** Rows whose SPECTYPE is XSO. */
  badSpectype?: number;
  /** Every k-th row flagged ZWARN = 4 (on top of the 3% flagged anyway). */
  zwarnEvery?: number;
  /** Added to every Z (drift). */
  shift?: number;
}

/**
 * A seeded zcatalog-like table: TARGETID, Z, ZWARN, DELTACHI2, SPECTYPE (70% GALAXY at z < 1.2, 20% QSO at 0.5-3.5,
 * 10% STAR at z ~ 0); about 95% good redshifts. Faults replace whole rows' values from row 0 up, in the order
 * null Z, NaN Z, far Z, bad SPECTYPE, so their counts are exact.
 */
export function zcatTable(rows: number, seed: number, faults: ZcatFaults = {}): Table {
  const rng = Rng.for(seed, 'qa-zcat');
  const targetid: bigint[] = [];
  const z: (number | null)[] = [];
  const zwarn: bigint[] = [];
  const dchi2: number[] = [];
  const spectype: string[] = [];
  for (let i = 0; i < rows; i++) {
    const u = rng.uniform();
    const type = u < 0.7 ? 'GALAXY' : u < 0.9 ? 'QSO' : 'STAR';
    const zi = type === 'GALAXY' ? rng.range(0, 1.2) : type === 'QSO' ? rng.range(0.5, 3.5) : rng.normal() * 0.0005;
    targetid.push(39627000000000000n + BigInt(i));
    z.push(zi + (faults.shift ?? 0));
    zwarn.push(rng.chance(0.03) || (faults.zwarnEvery && i % faults.zwarnEvery === 0) ? 4n : 0n);
    dchi2.push(rng.chance(0.02) ? rng.range(0, 25) : rng.range(25, 500));
    spectype.push(type);
  }
  let at = 0;
  const plant = (count: number | undefined, fn: (i: number) => void) => {
    for (let k = 0; k < (count ?? 0); k++) fn(at++);
  };
  plant(faults.nullZ, (i) => {
    z[i] = null;
  });
  plant(faults.nanZ, (i) => {
    z[i] = NaN;
  });
  plant(faults.farZ, (i) => {
    z[i] = 9.5;
  });
  plant(faults.badSpectype, (i) => {
    spectype[i] = 'XSO';
  });
  return new Table({
    TARGETID: vectorFromArray(targetid, new Int64()),
    Z: vectorFromArray(z, new Float64()),
    ZWARN: vectorFromArray(zwarn, new Int64()),
    DELTACHI2: vectorFromArray(dchi2, new Float64()),
    SPECTYPE: vectorFromArray(spectype, new Utf8()),
  });
}

/** The good table, its bad twin and a reference, as every QA test file uses them. */
export const GOOD = { rows: 2000, seed: 1 };
export const REF = { rows: 2000, seed: 2 };
/** 80 rows (a rows breach), 2 null Z, 3 NaN Z, 2 far Z, 2 XSO, a quarter flagged, Z shifted by 0.5 (drift). */
export const BAD = { rows: 80, seed: 1, faults: { nullZ: 2, nanZ: 3, farZ: 2, badSpectype: 2, zwarnEvery: 4, shift: 0.5 } };

/** Loads zcat (good), zcat_bad and zcat_ref into a store through lib/store's ingest, as a user's tables get there. */
export async function loadZcatTables(into: string): Promise<void> {
  await ingestTable(zcatTable(GOOD.rows, GOOD.seed), { into, table: 'zcat', source: 'test:zcat', progress: false });
  await ingestTable(zcatTable(BAD.rows, BAD.seed, BAD.faults), { into, table: 'zcat_bad', source: 'test:zcat_bad', progress: false });
  await ingestTable(zcatTable(REF.rows, REF.seed), { into, table: 'zcat_ref', source: 'test:zcat_ref', progress: false });
}

/** A checks file using every kind of check on `table`. */
export function everyCheck(table: string): string {
  return `checks:
  - table: ${table}
    rows: { min: 100, max: 1e7 }
    columns:
      Z: { null_rate: { max: 0.0 }, nan_rate: { max: 0.01 }, range: { min: -0.01, max: 7 } }
      SPECTYPE: { enum: [GALAXY, QSO, STAR] }
    good_redshift_fraction: { min: 0.9 }
    drift:
      - column: Z
        reference: { table: zcat_ref }
        ks: { max: 0.1 }
`;
}
