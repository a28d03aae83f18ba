/**
 * The main job (`npm run pipelines`): runs the curated pipelines on generated data, with no server, into runs/.
 * Until the notebook runner exists (issue 5) the one pipeline is the FITS round trip: a seeded DESI-like catalogue is
 * written with skybook's writer, then verified, summarised and exported with the `skybook` CLI exactly as a user would,
 * and ingested into embedded DuckDB and queried there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bool, Field, FixedSizeList, Float32, Float64, Int16, Int64, makeData, RecordBatch, Schema, Struct, Table, Uint32, Utf8 } from 'apache-arrow';
import { writeFits } from '../lib/fits/writer/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'runs', 'demo');
const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');

/** mulberry32: a small seeded generator, so the demo data are the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function utf8(values: string[]) {
  const enc = new TextEncoder();
  const parts = values.map((v) => enc.encode(v));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const data = new Uint8Array(offsets[values.length]!);
  parts.forEach((p, i) => data.set(p, offsets[i]!));
  return makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data });
}

function demoCatalogue(n: number, seed: number): Table {
  const r = rng(seed);
  const targetid = new BigInt64Array(n).map((_, i) => 39627000000000000n + BigInt(i) * 7919n);
  const ra = new Float64Array(n).map(() => r() * 360);
  const dec = new Float64Array(n).map(() => Math.asin(2 * r() - 1) * (180 / Math.PI));
  const z = new Float64Array(n).map(() => r() * 3.5);
  const flux = new Float32Array(n).map(() => 10 ** (r() * 3 - 1));
  const coeff = new Float64Array(n * 10).map(() => r() - 0.5);
  const primary = new Uint8Array(Math.ceil(n / 8)).map(() => Math.floor(r() * 256));
  const status = new Uint32Array(n).map(() => (r() < 0.95 ? 0 : 2 ** 31 + 8));
  const nspec = new Int16Array(n).map(() => 1 + Math.floor(r() * 3));
  const spectype = Array.from({ length: n }, () => ['GALAXY', 'QSO', 'STAR'][Math.floor(r() * 3)]!);
  const fields = [
    new Field('TARGETID', new Int64()), new Field('TARGET_RA', new Float64()), new Field('TARGET_DEC', new Float64()), new Field('Z', new Float64()),
    new Field('SPECTYPE', new Utf8()), new Field('FLUX_R', new Float32()), new Field('COEFF', new FixedSizeList(10, new Field('item', new Float64()))),
    new Field('ZCAT_PRIMARY', new Bool()), new Field('COADD_FIBERSTATUS', new Uint32()), new Field('ZCAT_NSPEC', new Int16()),
  ];
  const children = [
    makeData({ type: new Int64(), length: n, data: targetid }), makeData({ type: new Float64(), length: n, data: ra }),
    makeData({ type: new Float64(), length: n, data: dec }), makeData({ type: new Float64(), length: n, data: z }), utf8(spectype),
    makeData({ type: new Float32(), length: n, data: flux }),
    makeData({ type: new FixedSizeList(10, new Field('item', new Float64())), length: n, child: makeData({ type: new Float64(), length: n * 10, data: coeff }) }),
    makeData({ type: new Bool(), length: n, data: primary }), makeData({ type: new Uint32(), length: n, data: status }),
    makeData({ type: new Int16(), length: n, data: nspec }),
  ];
  const schema = new Schema(fields, new Map([['fits.EXTNAME', 'ZCATALOG']]));
  return new Table(schema, [new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, children }))]);
}

function skybook(args: string[], outFile?: string): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 512 << 20 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`skybook ${args.join(' ')} exited ${r.status}`);
  }
  if (outFile) writeFileSync(outFile, r.stdout);
  return r.stdout;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const fits = join(OUT, 'demo-zcatalog.fits');
  const n = 20000;
  await writeFits(fits, [{ kind: 'image' }, { kind: 'table', table: demoCatalogue(n, 27247), name: 'ZCATALOG' }], { overwrite: true });
  process.stdout.write(skybook(['fits', 'info', fits]));
  process.stdout.write(skybook(['fits', 'verify', fits]));
  const stats = JSON.parse(skybook(['fits', 'stats', fits, '--json'], join(OUT, 'stats.json')));
  skybook(['fits', 'export', fits, '--hdu', 'ZCATALOG', '--format', 'parquet', '-o', join(OUT, 'demo-zcatalog.parquet')]);
  const rows = stats.hdus[1].table.rows;
  if (rows !== n) throw new Error(`expected ${n} rows, stats says ${rows}`);
  // Into embedded DuckDB, no server: a re-run of the job finds the same bytes in the ledger and writes nothing.
  const db = `duckdb:${join(OUT, 'demo.duckdb')}`;
  process.stdout.write(skybook(['ingest', fits, '--into', db, '--table', 'zcat']));
  const counts = skybook(['query', '--db', db, 'select spectype, count(*) as n from zcat group by spectype order by spectype', '--format', 'csv'], join(OUT, 'spectype-counts.csv'));
  process.stdout.write(counts);
  process.stdout.write(`pipelines: ok; ${rows} rows written, verified and summarised into ${OUT}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`pipelines failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
