import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table, tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile, writeFits } from '../../lib/fits/index.js';
import { openStore } from '../../lib/store/index.js';
import { buildSurveyMask, classifySkyGalaxies, readVoidCatalogue, vastDistances } from '../../lib/voids/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { writeVoidFiles } from '../helpers/voids-files.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-voids-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const V = await writeVoidFiles(dir, 3000);
const pq = createRequire(import.meta.url)('parquet-wasm/node') as { readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array } };
const readFlags = (path: string): Table => tableFromIPC(pq.readParquet(readFileSync(path)).intoIPCStream());

/** The expected flags, from the library directly (the CLI must add nothing and lose nothing). */
async function expected() {
  const f = await FitsFile.open(V.galaxies);
  const t = await f.readTable('GALAXIES');
  await f.close();
  const col = (n: string) => t.getChild(n)!.toArray() as Float64Array;
  const cat = await readVoidCatalogue(V.voids);
  return classifySkyGalaxies({ ra: col('ra'), dec: col('dec'), redshift: col('z') }, { ...cat, mask: cat.mask! }, { omegaM: 0.3, h: 1 });
}

describe('skybook voids classify', () => {
  it('writes one row per input row in input order (row, TARGETID, vflag, void); --json counts; NaN rows 9 and named', async () => {
    const out = join(dir, 'flags.parquet');
    const r = await skybookInProcess(['voids', 'classify', V.galaxies, '--voids', V.voids, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    const want = await expected();
    expect(summary.galaxies).toBe(V.rows);
    expect(summary.counts).toEqual(want.counts);
    expect(summary.invalid).toEqual({ count: 2, rows: [3, 7] });
    expect(summary.cosmology).toEqual({ omegaM: 0.3, h: 1, distanceMetric: 'comoving', float32: false });
    expect(Object.keys(summary.seconds)).toEqual(['read', 'classify', 'write', 'total']);
    for (const c of ['wall', 'void', 'edge', 'outside']) expect(summary.counts[c]).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/warning: .*galaxies\.fits: column z: 2 rows without a usable redshift or position \(rows 3, 7\): vflag 9/);
    const flags = readFlags(out);
    expect(flags.schema.fields.map((f) => f.name)).toEqual(['row', 'TARGETID', 'vflag', 'void']);
    expect(flags.numRows).toBe(V.rows);
    expect(Array.from(flags.getChild('row')!.toArray() as BigInt64Array, Number)).toEqual(Array.from({ length: V.rows }, (_, i) => i));
    expect(Array.from(flags.getChild('vflag')!.toArray() as Int8Array)).toEqual(Array.from(want.vflag));
    expect(Array.from(flags.getChild('void')!.toArray() as Int32Array)).toEqual(Array.from(want.void));
    expect((flags.getChild('TARGETID')!.toArray() as BigInt64Array)[2999]).toBe(39627788000000000n + 2999n * 3n + 1n);
  });

  it('reads Parquet galaxies the same way, and writes void_membership into a store keyed by exact TARGETID', async () => {
    const out = join(dir, 'flags-pq.parquet');
    const db = join(dir, 'env.duckdb');
    const r = await skybookInProcess(['voids', 'classify', V.galaxiesParquet, '--voids', V.voids, '--out', out, '--store', `duckdb:${db}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${out}: 3000 galaxies: \\d+ void, \\d+ wall, \\d+ edge, \\d+ outside \\(2 without a usable redshift\\)`),
    );
    const want = await expected();
    expect(Array.from(readFlags(out).getChild('vflag')!.toArray() as Int8Array)).toEqual(Array.from(want.vflag));
    const store = await openStore(`duckdb:${db}`);
    try {
      const t = await store.query('select targetid, vflag, void from void_membership order by targetid');
      expect(t.numRows).toBe(3000);
      expect(t.getChild('targetid')!.get(2999)).toBe(39627788000000000n + 2999n * 3n + 1n);
      expect(Array.from({ length: 3000 }, (_, i) => Number(t.getChild('vflag')!.get(i)))).toEqual(Array.from(want.vflag));
      expect(t.getChild('void')!.get(3)).toBe(null);
    } finally {
      await store.close();
    }
  });

  it('a voids file without a MASK (DESIVAST DR1) is classified against the mask of the galaxies, out to --zmax, and says so', async () => {
    const cat = await readVoidCatalogue(V.voids);
    const desivast = join(dir, 'desivast.fits');
    await writeFits(desivast, [
      { kind: 'image' },
      { kind: 'table', table: cat.maximals, name: 'MAXIMALS' },
      { kind: 'table', table: cat.holes, name: 'HOLES' },
    ]);
    const out = join(dir, 'flags-desivast.parquet');
    const r = await skybookInProcess([
      'voids',
      'classify',
      V.galaxies,
      '--voids',
      desivast,
      '--out',
      out,
      '--zmax',
      '0.1',
      '--omega-m',
      '0.3',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/desivast\.fits: no MASK HDU; classified against the survey mask of .*galaxies\.fits/);
    const summary = JSON.parse(r.stdout);
    expect(summary.mask).toBe('built from the galaxies');
    // the same as classifying with that mask by hand
    const f = await FitsFile.open(V.galaxies);
    const t = await f.readTable('GALAXIES');
    await f.close();
    const col = (n: string) => t.getChild(n)!.toArray() as Float64Array;
    const ok = Array.from(col('z').keys()).filter((i) => col('z')[i]! >= 0);
    const rMax = vastDistances([0.1], { omegaM: 0.3 })[0]!;
    const mask = buildSurveyMask(
      Float64Array.from(ok, (i) => col('ra')[i]!),
      Float64Array.from(ok, (i) => col('dec')[i]!),
      { rMin: 0, rMax },
    );
    const want = classifySkyGalaxies({ ra: col('ra'), dec: col('dec'), redshift: col('z') }, { holes: cat.holes, mask }, { omegaM: 0.3 });
    const z = col('z');
    const flags = Array.from(want.vflag, (v, i) => (z[i]! > 0.1 ? 9 : v));
    expect(Array.from(readFlags(out).getChild('vflag')!.toArray() as Int8Array)).toEqual(flags);
    expect(summary.beyondZmax).toBe(flags.filter((v, i) => v === 9 && want.vflag[i] !== 9).length);
  });
});
