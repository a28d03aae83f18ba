import { describe, expect, it } from 'vitest';
import { makeVector, Table } from 'apache-arrow';
import { Rng } from '../../bench/fits-read/rng.js';
import { coneSearch, createSkyIndex, crossMatch, openStore, sql, type Store } from '../../lib/store/index.js';
import { planColumns } from '../../lib/store/column-plan.js';
import { allRows } from '../../lib/store/postgres/copy-binary.js';
import { storeTestFile } from './store-helpers.js';

const N = 1_000_000;
const D2R = Math.PI / 180;

/** Haversine distance in arcsec: the brute-force reference, written independently of the SQL. */
function distArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const a = Math.sin(((dec2 - dec1) * D2R) / 2) ** 2 + Math.cos(dec1 * D2R) * Math.cos(dec2 * D2R) * Math.sin(((ra2 - ra1) * D2R) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a))) * 3600) / D2R;
}

const rng = new Rng(2026);
const ra = new Float64Array(N),
  dec = new Float64Array(N),
  id = new BigInt64Array(N);
for (let i = 0; i < N; i++) {
  ra[i] = rng.float() * 360;
  dec[i] = Math.asin(2 * rng.float() - 1) / D2R;
  id[i] = BigInt(i) + 10_000_000_000_000_000n;
}
// Left side of the cross-match: 120 rows of the big table moved by up to ~8 arcsec (some across RA 0/360), 60 random points.
const M = 180;
const lra = new Float64Array(M),
  ldec = new Float64Array(M),
  lid = new BigInt64Array(M);
for (let k = 0; k < M; k++) {
  lid[k] = BigInt(k);
  if (k < 120) {
    const j = rng.int(N);
    const src = k < 10 ? { r: 359.999 + 0.0005 * k, d: dec[j]! } : { r: ra[j]!, d: dec[j]! };
    lra[k] = (src.r + (rng.float() - 0.5) * 0.004 + 360) % 360;
    ldec[k] = Math.max(-90, Math.min(90, src.d + (rng.float() - 0.5) * 0.004));
  } else {
    lra[k] = rng.float() * 360;
    ldec[k] = Math.asin(2 * rng.float() - 1) / D2R;
  }
}

const CONES: [number, number, number][] = [
  [10, 20, 1800],
  [0.05, -30, 1800],
  [359.97, 45, 1800],
  [123.4, 89.9, 1800],
  [200, -89.95, 3600],
  [300, 0, 20],
  [77.7, -12.3, 7200],
];

function bruteCone(r0: number, d0: number, rad: number): bigint[] {
  const out: bigint[] = [];
  const rdeg = rad / 3600;
  for (let i = 0; i < N; i++) {
    if (Math.abs(dec[i]! - d0) > rdeg) continue; // exact: the distance is at least the declination difference
    if (distArcsec(r0, d0, ra[i]!, dec[i]!) <= rad) out.push(id[i]!);
  }
  return out.sort((a, b) => (a < b ? -1 : 1));
}

function bruteMatch(rad: number): string[] {
  const out: string[] = [];
  const rdeg = rad / 3600;
  for (let k = 0; k < M; k++) {
    for (let i = 0; i < N; i++) {
      if (Math.abs(dec[i]! - ldec[k]!) > rdeg) continue;
      if (distArcsec(lra[k]!, ldec[k]!, ra[i]!, dec[i]!) <= rad) out.push(`${lid[k]}:${id[i]}`);
    }
  }
  return out.sort();
}

const { engines } = storeTestFile(__filename, 'sky.duckdb');

async function loadTable(store: Store, name: string, t: Table): Promise<void> {
  const plans = planColumns(t.schema);
  await store.transaction(async (tx) => {
    const cols = plans.map((p) => sql`${sql.id(p.name)} ${sql.raw(store.engine === 'duckdb' ? p.duckType : p.pgType)}`);
    await tx.run(sql`create table ${sql.id(name)} (${sql.join([...cols, sql`skybook_load integer`])})`);
    await tx.load(
      { name },
      plans,
      (async function* () {
        for (const b of t.batches) yield { batch: b, rows: allRows(b.numRows) };
      })(),
      1,
    );
  });
}

const results: Record<string, { cones: string[][]; pairs: string[] }> = {};

describe.each(engines)('sky queries on 10^6 random rows in $name', ({ name, url }) => {
  it('cone searches and a cross-match equal brute force', async () => {
    const store = await openStore(url());
    try {
      await loadTable(store, 'big', new Table({ id: makeVector(id), ra: makeVector(ra), dec: makeVector(dec) }));
      await loadTable(store, 'small', new Table({ id: makeVector(lid), ra: makeVector(lra), dec: makeVector(ldec) }));
      await createSkyIndex(store, { table: 'big', ra: 'ra', dec: 'dec' });
      const cones: string[][] = [];
      for (const [r0, d0, rad] of CONES) {
        const got = await coneSearch(store, { table: 'big', ra: 'ra', dec: 'dec' }, r0, d0, rad);
        const ids = Array.from(got.getChild('id')!.toArray() as BigInt64Array).sort((a, b) => (a < b ? -1 : 1));
        expect(ids, `cone (${r0}, ${d0}, ${rad}")`).toEqual(bruteCone(r0, d0, rad));
        const dists = Array.from(got.getChild('dist_arcsec')!.toArray() as Float64Array);
        expect(dists.every((d, i) => d <= rad && (i === 0 || d >= dists[i - 1]!))).toBe(true);
        cones.push(ids.map(String));
      }
      expect(cones.reduce((a, c) => a + c.length, 0)).toBeGreaterThan(200);
      const pairs = await crossMatch(store, {
        left: { table: 'small', ra: 'ra', dec: 'dec', id: 'id' },
        right: { table: 'big', ra: 'ra', dec: 'dec', id: 'id' },
        radiusArcsec: 10,
      });
      const got = Array.from(
        { length: pairs.numRows },
        (_, i) => `${pairs.getChild('left_id')!.get(i)}:${pairs.getChild('right_id')!.get(i)}`,
      ).sort();
      const want = bruteMatch(10);
      expect(want.length).toBeGreaterThanOrEqual(100);
      expect(got).toEqual(want);
      if (name === 'postgres') {
        // The join goes through the q3c index (sequential scans off for it alone): from a read-only store too, and
        // inside a caller's transaction, which gets its setting back.
        const ro = await openStore(url(), { readOnly: true });
        try {
          const again = await crossMatch(ro, {
            left: { table: 'small', ra: 'ra', dec: 'dec', id: 'id' },
            right: { table: 'big', ra: 'ra', dec: 'dec', id: 'id' },
            radiusArcsec: 10,
          });
          expect(again.numRows).toBe(want.length);
        } finally {
          await ro.close();
        }
        const setting = await store.transaction(async (tx) => {
          await crossMatch(tx, {
            left: { table: 'small', ra: 'ra', dec: 'dec', id: 'id' },
            right: { table: 'big', ra: 'ra', dec: 'dec', id: 'id' },
            radiusArcsec: 10,
          });
          return String((await tx.query("select current_setting('enable_seqscan') as v")).get(0)?.toJSON().v);
        });
        expect(setting).toBe('on');
      }
      results[name] = { cones, pairs: got };
      if (results.duckdb && results.postgres) expect(results.duckdb).toEqual(results.postgres);
    } finally {
      await store.close();
    }
  });
});
