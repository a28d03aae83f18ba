import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTable } from '../fits-read/make-table.js';
import { sha256File } from '../../lib/fits/index.js';
import { ingest, openStore, type Store } from '../../lib/store/index.js';
import { planColumns } from '../../lib/store/column-plan.js';
import { duckTableChecksum } from '../../lib/store/duckdb/table-checksum.js';
import { openFits } from '../../lib/fits/index.js';

/**
 * The ingest benchmark, one run: the 5M-row zcatalog-like FITS file into DuckDB (the default path, Parquet segments
 * inserted by DuckDB's read_parquet, twice, into two databases; and the data-chunk path for the record) against DuckDB's
 * own `read_parquet` of the same rows, and into PostgreSQL (binary COPY) against `psql \copy` of the same rows from CSV.
 * The two default loads must store the same values in the same order (a row-order checksum of each; exit 1 when they
 * differ), and so must the chunk path. The Parquet and CSV files are written once (by DuckDB, from our load) and
 * reused. Every load goes into a fresh table; rows are counted afterwards. CPU seconds (this process, every thread) are
 * printed beside the wall-clock seconds of the in-process steps: on a shared machine they move less than the wall clock.
 *
 * Usage: node dist/bench/ingest/run.js [--rows N] [--seed S] [--pg URL] [--skip-chunks-path]
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'bench', 'out');
const GOALS = { duckdbTimeRatio: 2, pgRowsRatio: 0.8 };

interface Options {
  rows: number;
  seed: number;
  pg: string;
  chunksPath: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    rows: 5_000_000,
    seed: 42,
    pg: process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    chunksPath: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rows') o.rows = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--pg') o.pg = argv[++i]!;
    else if (a === '--skip-chunks-path') o.chunksPath = false;
    else throw new Error(`invalid option: ${a} (usage: run.js [--rows N] [--seed S] [--pg URL] [--skip-chunks-path])`);
  }
  return o;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const log = (s: string) => process.stderr.write(s + '\n');

async function timed<T>(label: string, f: () => Promise<T>): Promise<{ seconds: number; cpu: number; value: T }> {
  log(`  ${label} ... (load ${load()})`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await f();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  log(`  ${label}: ${seconds.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)`);
  return { seconds, cpu, value };
}

async function count(store: Store, table: string): Promise<number> {
  return Number((await store.query(`select count(*) as n from ${table}`)).get(0)!.toJSON().n);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const startLoad = load();
  const made = await ensureTable({ dir: OUT, rows: o.rows, seed: o.seed });
  const file = made.path;
  const size = statSync(file).size;
  const work = join(OUT, `ingest-${o.rows}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const parquet = join(OUT, `zcatalog-${o.rows}-s${o.seed}.parquet`);
  const csv = join(OUT, `zcatalog-${o.rows}-s${o.seed}.csv`);
  log(`ingest benchmark: ${file} (${o.rows} rows, ${(size / 1e6).toFixed(0)} MB); load average at start ${startLoad}`);

  const hash = await timed('sha256 of the file (part of every ingest)', () => sha256File(file));
  const fits = await openFits(file);
  const readAll = await timed('read all columns through lib/fits (part of every ingest)', async () => {
    let n = 0;
    for await (const b of fits.readBatches('ZCATALOG', { batchRows: 65536 })) n += b.numRows;
    return n;
  });
  const plans = planColumns((await fits.readTable('ZCATALOG', { rows: { end: 1 } })).schema);
  await fits.close();
  void hash;

  // DuckDB: our ingest (the default path) twice into two databases, then the anchor from Parquet written once by
  // DuckDB from our table, then the data-chunk path.
  const duckOurs = await timed('skybook ingest -> DuckDB (default: Parquet segments, read_parquet)', () =>
    ingest(file, { into: `duckdb:${join(work, 'ours.duckdb')}`, table: 'zcat' }),
  );
  const duckAgain = await timed('skybook ingest -> DuckDB (default, again, into a second database)', () =>
    ingest(file, { into: `duckdb:${join(work, 'again.duckdb')}`, table: 'zcat' }),
  );
  const checksums: Record<string, string> = {};
  for (const name of ['ours', 'again']) {
    const s = await openStore(`duckdb:${join(work, `${name}.duckdb`)}`);
    checksums[name] = await duckTableChecksum(s, 'zcat');
    await s.close();
  }
  const duck = await openStore(`duckdb:${join(work, 'ours.duckdb')}`);
  const duckRows = await count(duck, 'zcat');
  if (!existsSync(parquet)) {
    await timed('write the Parquet copy once (DuckDB COPY TO, reused)', () =>
      duck.run(`copy (select * exclude (skybook_load) from zcat) to '${parquet}' (format parquet)`),
    );
  }
  if (!existsSync(csv)) {
    // PostgreSQL array literals for the vector column; everything else as DuckDB writes CSV.
    const cols = plans.map((p) => (p.dims.length ? `'{' || array_to_string(${p.name}, ',') || '}' as ${p.name}` : p.name)).join(', ');
    await timed('write the CSV copy once (DuckDB COPY TO, reused)', () =>
      duck.run(`copy (select ${cols} from zcat) to '${csv}' (format csv, header false)`),
    );
  }
  await duck.close();
  const anchorDb = await openStore(`duckdb:${join(work, 'anchor.duckdb')}`);
  const duckAnchor = await timed('DuckDB read_parquet -> table (anchor)', () =>
    anchorDb.run(`create table zcat as select * from read_parquet('${parquet}')`),
  );
  const anchorRows = await count(anchorDb, 'zcat');
  await anchorDb.close();
  let duckChunks: { seconds: number; cpu: number } | undefined;
  if (o.chunksPath) {
    duckChunks = await timed('skybook ingest -> DuckDB (data chunks, the appender)', () =>
      ingest(file, { into: `duckdb:${join(work, 'chunks.duckdb')}`, table: 'zcat', storeOptions: { duckLoadPath: 'chunks' } }),
    );
    const s = await openStore(`duckdb:${join(work, 'chunks.duckdb')}`);
    checksums.chunks = await duckTableChecksum(s, 'zcat');
    await s.close();
  }

  // PostgreSQL: our ingest (binary COPY) against psql \copy of the CSV, each into a fresh table in its own schema.
  const pg = await openStore(o.pg);
  await pg.run('drop schema if exists bench_ingest cascade');
  await pg.run('create schema bench_ingest');
  await pg.run(`create table bench_ingest.zcat_psql (${plans.map((p) => `${p.name} ${p.pgType}`).join(', ')})`);
  await pg.close();
  const pgOurs = await timed('skybook ingest -> PostgreSQL (binary COPY)', () => ingest(file, { into: o.pg, table: 'bench_ingest.zcat' }));
  const psql = await timed('psql \\copy from CSV (anchor)', async () => {
    const r = spawnSync('psql', [o.pg, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench_ingest.zcat_psql from '${csv}' with (format csv)`], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout.trim();
  });
  const pg2 = await openStore(o.pg);
  const pgRows = [await count(pg2, 'bench_ingest.zcat'), await count(pg2, 'bench_ingest.zcat_psql')];
  await pg2.run('drop schema bench_ingest cascade');
  await pg2.close();
  rmSync(work, { recursive: true, force: true });

  const rowsPerSec = (s: number) => Math.round(o.rows / s).toLocaleString('en-US');
  const lines = [
    `rows ${o.rows}, file ${(size / 1e6).toFixed(0)} MB, load average start ${startLoad}, end ${load()}`,
    `row counts: duckdb ours ${duckRows}, read_parquet ${anchorRows}, postgres ours ${pgRows[0]}, psql ${pgRows[1]}`,
    `row-order checksums (md5 of the rows in stored order): ${Object.entries(checksums)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    '| what | seconds | CPU seconds | rows/s |',
    '|---|---:|---:|---:|',
    `| sha256 of the file (inside every ingest) | ${hash.seconds.toFixed(2)} | ${hash.cpu.toFixed(2)} | |`,
    `| lib/fits read of all columns (inside every ingest) | ${readAll.seconds.toFixed(2)} | ${readAll.cpu.toFixed(2)} | ${rowsPerSec(readAll.seconds)} |`,
    `| skybook ingest -> DuckDB, Parquet segments (default) | ${duckOurs.seconds.toFixed(2)} | ${duckOurs.cpu.toFixed(2)} | ${rowsPerSec(duckOurs.seconds)} |`,
    `| the same, again into a second database | ${duckAgain.seconds.toFixed(2)} | ${duckAgain.cpu.toFixed(2)} | ${rowsPerSec(duckAgain.seconds)} |`,
    ...(duckChunks
      ? [
          `| skybook ingest -> DuckDB, data chunks | ${duckChunks.seconds.toFixed(2)} | ${duckChunks.cpu.toFixed(2)} | ${rowsPerSec(duckChunks.seconds)} |`,
        ]
      : []),
    `| DuckDB read_parquet -> table (anchor) | ${duckAnchor.seconds.toFixed(2)} | ${duckAnchor.cpu.toFixed(2)} | ${rowsPerSec(duckAnchor.seconds)} |`,
    `| skybook ingest -> PostgreSQL, binary COPY | ${pgOurs.seconds.toFixed(2)} | | ${rowsPerSec(pgOurs.seconds)} |`,
    `| psql \\copy from CSV (anchor) | ${psql.seconds.toFixed(2)} | | ${rowsPerSec(psql.seconds)} |`,
    '',
    '| goal | value | limit | verdict |',
    '|---|---:|---:|---|',
  ];
  // The better of the two default loads against the anchor: both ran on the same code, minutes apart.
  const dr = Math.min(duckOurs.seconds, duckAgain.seconds) / duckAnchor.seconds;
  const pr = psql.seconds / pgOurs.seconds;
  lines.push(
    `| DuckDB: skybook time / read_parquet time | ${dr.toFixed(2)}x | <= ${GOALS.duckdbTimeRatio}x | ${dr <= GOALS.duckdbTimeRatio ? 'PASS' : 'MISS'} |`,
  );
  lines.push(
    `| PostgreSQL: skybook rows/s / psql rows/s | ${pr.toFixed(2)}x | >= ${GOALS.pgRowsRatio}x | ${pr >= GOALS.pgRowsRatio ? 'PASS' : 'MISS'} |`,
  );
  if (duckChunks)
    lines.push(
      `| DuckDB: data chunks time / default time | ${(duckChunks.seconds / duckOurs.seconds).toFixed(2)}x | > 1 keeps the default | ${duckChunks.seconds > duckOurs.seconds ? 'default faster' : 'chunks faster'} |`,
    );
  const sameOrder = checksums.ours === checksums.again && (checksums.chunks === undefined || checksums.chunks === checksums.ours);
  lines.push(
    `| DuckDB: stored order and values, two loads${duckChunks ? ' and the chunk path' : ''} | ${sameOrder ? 'equal' : 'DIFFER'} | equal | ${sameOrder ? 'PASS' : 'FAIL'} |`,
  );
  process.stdout.write(lines.join('\n') + '\n');
  if (!sameOrder) {
    process.stdout.write('!!! ROW-ORDER CHECKSUM MISMATCH\n');
    process.exitCode = 1;
  }
  if (duckRows !== o.rows || anchorRows !== o.rows || pgRows.some((n) => n !== o.rows)) {
    process.stdout.write('!!! ROW COUNT MISMATCH\n');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
