import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, skybook } from '../helpers/cli.js';
import { PG_URL, pgUrlFor, tempDir, uniqueSchema, withSchema, writeZcatalog } from './store-helpers.js';

const ROWS = 200_000;
const schema = uniqueSchema(__filename);
const table = `killed_${process.pid}`;
let dropSchema: () => Promise<void>;
const tmp = tempDir();
const file = join(tmp.dir, 'big.fits');

beforeAll(async () => {
  dropSchema = await withSchema(schema);
  await writeZcatalog(file, ROWS, 3);
});
afterAll(async () => {
  await dropSchema();
  tmp.cleanup();
});

/** Polls the server until `probe` returns a value (each poll is a round trip to the server; no timers). */
async function until<T>(db: pg.Client, probe: () => Promise<T | undefined>, what: string, limitMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await db.query('select 1');
  }
}

it('SIGKILL during a PostgreSQL COPY leaves no partial rows; the re-run completes with exact counts; a second re-run is a no-op', async () => {
  const url = pgUrlFor(schema);
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    const child = spawn(process.execPath, [CLI, 'ingest', file, '--into', url, '--table', table], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // The server reports the COPY in progress, with rows already received, before we kill the loader.
    const progress = await until(
      db,
      async () => {
        const r = await db.query(
          `select p.pid, p.tuples_processed from pg_stat_progress_copy p join pg_stat_activity a on a.pid = p.pid
        where a.query like $1 and p.tuples_processed > 0`,
          [`%copy "${table}"%`],
        );
        return r.rows[0] as { pid: number; tuples_processed: string } | undefined;
      },
      'the COPY to start',
    );
    expect(Number(progress.tuples_processed)).toBeGreaterThan(0);
    expect(Number(progress.tuples_processed)).toBeLessThan(ROWS);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The server notices the dropped connection and rolls the transaction back.
    await until(
      db,
      async () => ((await db.query('select 1 from pg_stat_activity where pid = $1', [progress.pid])).rowCount === 0 ? true : undefined),
      'the backend to end',
    );
    const exists = await db.query('select to_regclass($1) as t', [`${schema}.${table}`]);
    expect(exists.rows[0].t).toBeNull(); // the table was created in the killed transaction, so it is gone too
    const ledger = await db.query(`select count(*)::int as n from ${schema}.skybook_loads where table_name = $1`, [table]);
    expect(ledger.rows[0].n).toBe(0);

    const rerun = skybook(['ingest', file, '--into', url, '--table', table, '--json'], { timeoutMs: 120_000 });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).files[0]).toMatchObject({ status: 'loaded', rows: ROWS, loaded: ROWS });
    const counts = await db.query(`select count(*)::int as n, count(distinct targetid)::int as ids from ${schema}.${table}`);
    expect(counts.rows[0]).toEqual({ n: ROWS, ids: ROWS });

    const again = skybook(['ingest', file, '--into', url, '--table', table, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ status: 'unchanged', loaded: ROWS });
    const after = await db.query(`select count(*)::int as n from ${schema}.${table}`);
    expect(after.rows[0].n).toBe(ROWS);
  } finally {
    await db.end();
  }
});
