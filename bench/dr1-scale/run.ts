import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { coneSearch, crossMatch, openStore, type Store } from '../../lib/store/index.js';
import { listFiles, redrockFiles, zallPixFile } from './make-files.js';

/**
 * The store at DR1 scale, one run: the `large` mock survey's 10M-row zall-pix zcatalog (~2 GB of FITS) through the real
 * `skybook ingest` CLI into embedded DuckDB (goal: < 120 s, peak RSS < 4 GB) and into PostgreSQL; 1,000 per-healpix
 * redrock files through one glob into both engines (files/s); then a cone search and a 1-arcsec cross-match against the
 * 10M rows in both engines (q3c in PostgreSQL), with their times and answers compared between the engines.
 *
 * Usage: node dist/bench/dr1-scale/run.js [--preset large|medium|small] [--seed S] [--files N] [--pg URL] [--skip-pg]
 *        [--ingest-args "..."] (extra flags for every `skybook ingest`, e.g. "--jobs 4")
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'bench', 'out', 'dr1-scale');
const CLI = join(ROOT, 'dist', 'lib', 'cli', 'main.js');
const RSS_HOOK = join(ROOT, 'dist', 'bench', 'fits-read', 'rss-hook.js');
const GOALS = { seconds: 120, rssBytes: 4 * 1024 ** 3 };
const GIB = 1024 ** 3;

interface Options {
  preset: 'small' | 'medium' | 'large';
  seed: number;
  files: number;
  pg: string;
  skipPg: boolean;
  ingestArgs: string[];
  /** Reuse the tables an earlier run loaded and time the sky queries only. */
  skyOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    preset: 'large',
    seed: 1,
    files: 1000,
    pg: process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    skipPg: false,
    ingestArgs: [],
    skyOnly: false,
  };
  const usage =
    'usage: run.js [--preset large|medium|small] [--seed S] [--files N] [--pg URL] [--skip-pg] [--sky-only] [--ingest-args "..."]';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--preset' && ['small', 'medium', 'large'].includes(argv[i + 1] ?? '')) o.preset = argv[++i] as Options['preset'];
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--files') o.files = Number(argv[++i]);
    else if (a === '--pg') o.pg = argv[++i]!;
    else if (a === '--skip-pg') o.skipPg = true;
    else if (a === '--sky-only') o.skyOnly = true;
    else if (a === '--ingest-args') o.ingestArgs = (argv[++i] ?? '').split(/\s+/).filter(Boolean);
    else throw new Error(`invalid option: ${a} (${usage})`);
  }
  if (!Number.isInteger(o.seed) || !Number.isInteger(o.files) || o.files < 1) throw new Error(`invalid --seed or --files (${usage})`);
  return o;
}

const log = (s: string) => process.stderr.write(s + '\n');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

interface CliRun {
  seconds: number;
  rssBytes: number;
  stdout: string;
}

/** Runs the real CLI as a user would (plus the peak-RSS hook); exit 1 of the benchmark when it fails. */
function skybook(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  log(`  $ skybook ${args.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a)).join(' ')}   (load ${load()})`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const rss = /SKYBOOK_BENCH_MAXRSS=(\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0) {
    log(r.stderr.split('\n').slice(-20).join('\n'));
    throw new Error(`skybook ${args[0]} failed (exit ${r.status})`);
  }
  log(`    ${seconds.toFixed(2)} s, peak RSS ${(Number(rss?.[1] ?? 0) / GIB).toFixed(2)} GiB`);
  return { seconds, rssBytes: Number(rss?.[1] ?? 0), stdout: r.stdout };
}

async function pgSchema(url: string, schema: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.query(`create schema ${schema}`);
  await c.query('create extension if not exists q3c with schema public');
  await c.end();
  return searchPath(url, schema);
}

/** The URL whose connections work in `schema`. */
function searchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { seconds: (performance.now() - t0) / 1000, value };
}

interface SkyFigures {
  coneSeconds: number;
  coneRows: number;
  matchSeconds: number;
  pairs: number;
  pairsKey: string;
}

/**
 * A cone of 1 degree and a 1-arcsec cross-match of 10,000 probes (every n-th zcat row moved by 0.5 arcsec in a fixed
 * direction, plus 1,000 positions moved 30 arcsec, which should match nothing) against the whole table.
 */
async function skyQueries(store: Store, ra: number, dec: number): Promise<SkyFigures> {
  const cols = { table: 'zcat', ra: 'target_ra', dec: 'target_dec' };
  await store.run('drop table if exists probe');
  const n = (await store.query('select count(*) as n from zcat')).getChild('n')!.get(0) as bigint;
  const every = Math.max(1, Math.floor(Number(n) / 11_000));
  // 0.5 arcsec north: inside 1 arcsec of its own row; 30 arcsec north for every eleventh: outside.
  await store.run(`create table probe as select targetid as probe_id, target_ra as ra,
      target_dec + (case when (row_number() over (order by targetid)) % 11 = 0 then 30.0 else 0.5 end) / 3600.0 as dec
    from (select targetid, target_ra, target_dec from zcat where targetid % ${every} = 0 order by targetid limit 11000) s`);
  if (store.engine === 'postgres') {
    await store.run('create index on probe (q3c_ang2ipix(ra, dec))');
    await store.run('analyze probe');
  }
  const cone = await timed(() => coneSearch(store, cols, ra, dec, 3600));
  const match = await timed(() =>
    crossMatch(store, {
      left: { table: 'probe', ra: 'ra', dec: 'dec', id: 'probe_id' },
      right: { ...cols, id: 'targetid' },
      radiusArcsec: 1,
    }),
  );
  const left = match.value.getChild('left_id')!.toArray() as BigInt64Array;
  const right = match.value.getChild('right_id')!.toArray() as BigInt64Array;
  let key = 0n;
  for (let i = 0; i < left.length; i++) key = (key * 1_000_003n + left[i]! * 31n + right[i]!) % (1n << 61n);
  return {
    coneSeconds: cone.seconds,
    coneRows: cone.value.numRows,
    matchSeconds: match.seconds,
    pairs: match.value.numRows,
    pairsKey: key.toString(16),
  };
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  if (!existsSync(CLI) || !existsSync(RSS_HOOK)) throw new Error('build first: npm run build');
  mkdirSync(OUT, { recursive: true });
  log(
    `bench/dr1-scale: preset ${o.preset}, seed ${o.seed}, ${o.files} redrock files; ${cpus().length} cores, ${(totalmem() / GIB).toFixed(0)} GiB`,
  );
  const zall = await zallPixFile(OUT, o.preset, o.seed, log);
  const rrRoot = await redrockFiles(OUT, o.preset, o.seed, o.files, log);
  const rrFiles = listFiles(rrRoot, /^redrock-.*\.fits$/);
  const rrGlob = `${relative(process.cwd(), rrRoot) || '.'}/**/redrock-*.fits`;
  const zallBytes = statSync(zall).size;
  log(`  zall-pix: ${(zallBytes / GIB).toFixed(2)} GiB; redrock files: ${rrFiles.length}`);

  const results: string[][] = [];
  const sky: Record<string, SkyFigures> = {};

  const duckFile = join(OUT, 'zall.duckdb');
  let zd: CliRun | undefined;
  let pgUrl = o.skipPg ? '' : searchPath(o.pg, 'bench_dr1');
  if (!o.skyOnly) {
    // 1. zall-pix into embedded DuckDB.
    rmSync(duckFile, { force: true });
    rmSync(`${duckFile}.wal`, { force: true });
    zd = skybook(['ingest', zall, '--into', `duckdb:${duckFile}`, '--table', 'zcat', '--schema', 'zcatalog', '--json', ...o.ingestArgs]);
    const zdRows = JSON.parse(zd.stdout) as { rows: number }[] | { files: { rows: number }[] } as unknown;
    const rowsOf = (x: unknown): number => {
      const files = Array.isArray(x) ? x : ((x as { files?: unknown[] }).files ?? []);
      return (files as { rows: number }[]).reduce((s, f) => s + f.rows, 0);
    };
    const rows = rowsOf(zdRows);
    results.push([
      'zall-pix -> DuckDB',
      rows.toLocaleString('en'),
      zd.seconds.toFixed(1),
      Math.round(rows / zd.seconds).toLocaleString('en'),
      (zd.rssBytes / GIB).toFixed(2),
    ]);

    // 2. zall-pix into PostgreSQL.
    if (!o.skipPg) {
      pgUrl = await pgSchema(o.pg, 'bench_dr1');
      const zp = skybook(['ingest', zall, '--into', pgUrl, '--table', 'zcat', '--schema', 'zcatalog', '--json', ...o.ingestArgs]);
      results.push([
        'zall-pix -> PostgreSQL',
        rowsOf(JSON.parse(zp.stdout)).toLocaleString('en'),
        zp.seconds.toFixed(1),
        Math.round(rows / zp.seconds).toLocaleString('en'),
        (zp.rssBytes / GIB).toFixed(2),
      ]);
    }

    // 3. 1,000 redrock files, one glob, into both engines.
    const rrDuck = join(OUT, 'redrock.duckdb');
    rmSync(rrDuck, { force: true });
    rmSync(`${rrDuck}.wal`, { force: true });
    const fileRuns: [string, string][] = [[`${rrFiles.length} redrock files -> DuckDB`, `duckdb:${rrDuck}`]];
    if (!o.skipPg) fileRuns.push([`${rrFiles.length} redrock files -> PostgreSQL`, await pgSchema(o.pg, 'bench_dr1_rr')]);
    for (const [label, url] of fileRuns) {
      const r = skybook(['ingest', rrGlob, '--into', url, '--table', 'redrock', '--schema', 'redrock', '--json', ...o.ingestArgs]);
      const n = rowsOf(JSON.parse(r.stdout));
      results.push([
        label,
        n.toLocaleString('en'),
        r.seconds.toFixed(1),
        `${(rrFiles.length / r.seconds).toFixed(1)} files/s`,
        (r.rssBytes / GIB).toFixed(2),
      ]);
    }
  }

  // 4. Sky queries at full size in both engines, at the footprint's centre.
  const duck = await openStore(`duckdb:${duckFile}`);
  try {
    sky.duckdb = await skyQueries(duck, 180, 12);
  } finally {
    await duck.close();
  }
  if (!o.skipPg) {
    const pgs = await openStore(pgUrl);
    try {
      sky.postgres = await skyQueries(pgs, 180, 12);
    } finally {
      await pgs.close();
    }
  }

  const table = (head: string[], body: string[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...body.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  console.log(`\nbench/dr1-scale (${o.preset}, seed ${o.seed}; load at the end ${load()})\n`);
  console.log(table(['load', 'rows', 'seconds', 'rows/s', 'peak RSS GiB'], results));
  console.log();
  console.log(
    table(
      ['engine', 'cone 1 deg: rows', 'seconds', 'cross-match 1": pairs', 'seconds'],
      Object.entries(sky).map(([e, s]) => [e, String(s.coneRows), s.coneSeconds.toFixed(3), String(s.pairs), s.matchSeconds.toFixed(3)]),
    ),
  );
  let exit = 0;
  if (zd) {
    const duckOk = zd.seconds < GOALS.seconds && zd.rssBytes < GOALS.rssBytes;
    console.log(
      `\nzall-pix -> DuckDB: ${zd.seconds.toFixed(1)} s (goal < ${GOALS.seconds} s), peak RSS ${(zd.rssBytes / GIB).toFixed(2)} GiB (goal < 4 GiB): ${duckOk ? 'PASS' : 'MISS'}`,
    );
  }
  if (sky.postgres) {
    const same =
      sky.postgres.pairs === sky.duckdb!.pairs &&
      sky.postgres.pairsKey === sky.duckdb!.pairsKey &&
      sky.postgres.coneRows === sky.duckdb!.coneRows;
    console.log(`engines agree on the cone and the cross-match: ${same ? 'yes' : 'NO'}`);
    if (!same) exit = 1;
  }
  return exit;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`bench/dr1-scale: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
