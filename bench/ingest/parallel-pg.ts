import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { RecordBatch } from 'apache-arrow';
import { ensureTable } from '../fits-read/make-table.js';
import { openFits } from '../../lib/fits/index.js';
import { ingest } from '../../lib/store/index.js';
import { type ColumnPlan, planColumns } from '../../lib/store/column-plan.js';
import { allRows, encodeRows } from '../../lib/store/postgres/copy-binary.js';
import { openCopy } from '../../lib/store/postgres/copy-stream.js';

/**
 * Parallel PostgreSQL COPY against today's one-connection COPY, phase by phase, on the same rows (decoded from the
 * bench FITS file once, held in memory, so the figures are PostgreSQL's and the encoder's):
 *   1. one connection: COPY into a logged table inside a transaction (what ingest does for a small file);
 *   a. N connections COPY into an UNLOGGED staging table, then one `insert into target select * from staging`;
 *   b. N connections COPY into a LOGGED table, then `alter table ... attach partition` to a target partitioned by load;
 * then end to end, `ingest()` of the file with connections 1 and N, into a plain table and one partitioned by load
 * (FITS decode, sha256, validation included), and a checksum of every table (equal rows). Everything goes into schema
 * bench_pgpar, dropped at the end.
 *
 * Usage: node dist/bench/ingest/parallel-pg.js [--rows N] [--connections 2,4] [--pg URL]
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const S = 'bench_pgpar';
const log = (s: string) => process.stderr.write(s + '\n');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function timed(label: string, f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  const s = (performance.now() - t0) / 1000;
  log(`  ${label}: ${s.toFixed(2)} s (load ${load()})`);
  return s;
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** COPYs the batches into `table` over `n` connections (round robin to whichever can take bytes), each autocommitted. */
async function copyOver(url: string, n: number, table: string, plans: ColumnPlan[], batches: RecordBatch[]): Promise<void> {
  const cs = await Promise.all(Array.from({ length: n }, () => client(url)));
  const copies = cs.map((c) => openCopy(c, { schema: S, name: table }, plans));
  let k = 0;
  for (const b of batches) {
    let c = copies.find((x) => !x.busy);
    if (!c) {
      await Promise.race(copies.map((x) => x.drained()));
      c = copies.find((x) => !x.busy) ?? copies[k++ % n]!;
    }
    c.push(encodeRows(b, plans, allRows(b.numRows), [1]));
  }
  await Promise.all(copies.map((c) => c.end()));
  await Promise.all(cs.map((c) => c.end()));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : dflt);
  const rows = Number(opt('--rows', '1000000'));
  const ns = opt('--connections', '2,4').split(',').map(Number);
  const url = opt('--pg', process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const made = await ensureTable({ dir: join(ROOT, 'bench', 'out'), rows, seed: 42 });
  log(`parallel PostgreSQL COPY: ${made.path} (${rows} rows); load average at start ${load()}`);
  const fits = await openFits(made.path);
  const batches: RecordBatch[] = [];
  for await (const b of fits.readBatches('ZCATALOG', { batchRows: 65536 })) batches.push(b);
  await fits.close();
  const plans = planColumns(batches[0]!.schema);
  const cols = plans.map((p) => `${p.name} ${p.pgType}`).join(', ') + ', skybook_load integer not null';
  const admin = await client(url);
  const q = (text: string) => admin.query(text);
  await q(`drop schema if exists ${S} cascade`);
  await q(`create schema ${S}`);
  const lines: string[] = ['| path | connections | COPY s | make visible s | total s | rows/s |', '|---|---:|---:|---:|---:|---:|'];
  const row = (path: string, n: number, copy: number, vis: number) =>
    lines.push(
      `| ${path} | ${n} | ${copy.toFixed(2)} | ${vis.toFixed(2)} | ${(copy + vis).toFixed(2)} | ${Math.round(rows / (copy + vis)).toLocaleString('en-US')} |`,
    );

  // 1. today's path: one connection, logged table, one transaction
  await q(`create table ${S}.one (${cols})`);
  const one = await timed('one connection COPY (in a transaction)', async () => {
    const c = await client(url);
    await c.query('begin');
    const copy = openCopy(c, { schema: S, name: 'one' }, plans);
    for (const b of batches) await copy.write(encodeRows(b, plans, allRows(b.numRows), [1]));
    await copy.end();
    await c.query('commit');
    await c.end();
  });
  row('one connection, COPY into the table (today)', 1, one, 0);

  for (const n of ns) {
    // a. UNLOGGED staging, then insert ... select in one transaction
    await q(`create table ${S}.target_a${n} (${cols})`);
    await q(`create unlogged table ${S}.stage_a${n} (${cols}) with (autovacuum_enabled = false)`);
    const ca = await timed(`(a) ${n} connections COPY into UNLOGGED staging`, () => copyOver(url, n, `stage_a${n}`, plans, batches));
    const va = await timed('(a) insert into target select * from staging; drop staging', async () => {
      await q('begin');
      await q(`insert into ${S}.target_a${n} select * from ${S}.stage_a${n}`);
      await q(`drop table ${S}.stage_a${n}`);
      await q('commit');
    });
    row('(a) UNLOGGED staging + insert-select', n, ca, va);
    // b. LOGGED staging attached as a partition of a table partitioned by load
    await q(`create table ${S}.target_b${n} (${cols}) partition by list (skybook_load)`);
    await q(`create table ${S}.stage_b${n} (${cols}, check (skybook_load = 1))`);
    const cb = await timed(`(b) ${n} connections COPY into LOGGED staging`, () => copyOver(url, n, `stage_b${n}`, plans, batches));
    const vb = await timed('(b) alter table target attach partition staging', () =>
      q(`alter table ${S}.target_b${n} attach partition ${S}.stage_b${n} for values in (1)`),
    );
    row('(b) LOGGED staging + attach partition', n, cb, vb);
  }

  // end to end, through ingest()
  const e2e: string[] = ['| ingest() end to end | seconds | rows/s |', '|---|---:|---:|'];
  const pgUrl = new URL(url);
  pgUrl.searchParams.set('options', `-c search_path=${S},public`);
  const runs: [string, number, string | undefined][] = [
    ['ingest_c1', 1, undefined],
    [`ingest_c${Math.max(...ns)}`, Math.max(...ns), undefined],
    ['ingest_load1', 1, 'load'],
    [`ingest_load${Math.max(...ns)}`, Math.max(...ns), 'load'],
  ];
  for (const [table, n, partitionBy] of runs) {
    const what = `--connections ${n}${partitionBy ? ` --partition-by ${partitionBy}` : ''}`;
    const s = await timed(`ingest() ${what}`, () =>
      ingest(made.path, { into: pgUrl.toString(), table, connections: n, partitionBy, progress: false }),
    );
    e2e.push(`| ${what} | ${s.toFixed(2)} | ${Math.round(rows / s).toLocaleString('en-US')} |`);
  }
  const sum = async (t: string) =>
    (await q(`select count(*) as n, sum(hashtext(targetid::text || z::text || desiname || coeff::text)) as h from ${S}.${t}`)).rows[0];
  const sums: unknown[] = [];
  for (const [t] of runs) sums.push(await sum(t));
  const a = sums[0];
  await q(`drop schema ${S} cascade`);
  await admin.end();
  process.stdout.write(
    [
      `rows ${rows}, load average at end ${load()}`,
      '',
      ...lines,
      '',
      ...e2e,
      '',
      `checksums (count, sum of row hashes) of the ${runs.length} ingested tables: ${sums.map((x) => JSON.stringify(x)).join(' ')}`,
    ].join('\n') + '\n',
  );
  if (sums.some((x) => JSON.stringify(x) !== JSON.stringify(a))) {
    process.stdout.write('!!! CHECKSUM MISMATCH\n');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
