import { hostname, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { processAlive, Redactor, skybookVersion } from '../core/index.js';
import { StoreError } from '../errors/index.js';
import { openStore } from './open-store.js';
import { sql, tableId } from './sql.js';
import { utcTimestamp } from './utc-timestamp.js';
import type { Store, StoreSession, TableRef } from './store.js';

/**
 * The run ledger's table: one row per run of anything skybook does for a user (a notebook run, an ingest, a pipeline
 * and each of its stages, a Cloudy grid, a Ray job, a QA check), written when the run starts and updated when it ends.
 *
 * @example
 * await store.query(`select kind, name, status from ${RUNS_TABLE}`)
 */
export const RUNS_TABLE = 'skybook_runs';

/** Where `SKYBOOK_LEDGER` names the ledger store for every command that records its runs. */
export const LEDGER_ENV = 'SKYBOOK_LEDGER';

/** The embedded ledger's file under a project folder, when no URL is given. */
export const DEFAULT_LEDGER_FILE = '.skybook/ledger.duckdb';

/** What ran. */
export type RunKind = 'pipeline' | 'stage' | 'notebook' | 'ingest' | 'cloudy-grid' | 'ray-job' | 'qa';
/**
 * How it ended: `running` until it does; `interrupted` when it was stopped (a signal, a kill of its process: a row left
 * `running` by a process that is gone reads as `interrupted`); `skipped` when it was up to date.
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'skipped';

/** A file a run read or wrote, as it was then. Sizes fit a double (files below 8 PiB). */
export interface FileRecord {
  path: string;
  sha256: string;
  size: number;
}

/** What is known when a run starts. `params` are redacted before they are written. */
export interface RunStart {
  kind: RunKind;
  name: string;
  /** The run this one is part of (a pipeline's stage names the pipeline's run). */
  parent?: string;
  params?: Record<string, unknown>;
  inputs?: readonly FileRecord[];
  manifest?: string;
  /** The folder relative paths in `inputs`, `outputs` and `manifest` are relative to (default: the working directory). */
  workdir?: string;
}

/** What is known when it ends. */
export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  outputs?: readonly FileRecord[];
  /** Inputs found while running (replaces the start's list when given). */
  inputs?: readonly FileRecord[];
  error?: string;
  manifest?: string;
  rows?: bigint;
  quarantined?: bigint;
}

/** One ledger row as read back. Times are UTC ISO strings. */
export interface RunRow {
  runId: string;
  parent: string | null;
  kind: RunKind;
  name: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  user: string;
  host: string;
  pid: number;
  params: Record<string, unknown>;
  inputs: FileRecord[];
  outputs: FileRecord[];
  manifest: string | null;
  error: string | null;
  rows: bigint | null;
  quarantined: bigint | null;
  software: Record<string, string>;
  /** The folder the row's relative paths are relative to (`path.resolve(workdir, p)` finds the file). */
  workdir: string;
}

/** Filters for `RunLedger.runs`. */
export interface RunQuery {
  kind?: RunKind;
  since?: string;
  parent?: string;
}

const CREATE = (t: TableRef) => sql`create table if not exists ${tableId(t)} (
  run_id text not null primary key, parent_id text, kind text not null, name text not null, status text not null,
  started_at timestamp not null, finished_at timestamp, seconds double precision, os_user text not null, host text not null,
  pid integer not null, params_json text not null, inputs_json text not null, outputs_json text not null, manifest text,
  error text, rows_written bigint, rows_quarantined bigint, software_json text not null, workdir text not null)`;

/** DuckDB holds one writer per file across processes: a busy ledger is retried, not an error. */
const LOCKED = /Could not set lock|Conflicting lock|database is locked/i;

/**
 * The run ledger: `skybook_runs` in a store (embedded DuckDB by default, PostgreSQL when its URL says so). Every write is
 * its own transaction, and a DuckDB ledger is opened only for the moment of each write, so the processes of one
 * pipeline (the runner, each stage's `skybook run`) share one file. A run's row is written `running` when it starts,
 * so a run that is killed leaves a row that reads `interrupted`, never a missing one.
 *
 * @example
 * const ledger = new RunLedger('duckdb:.skybook/ledger.duckdb');
 * const id = await ledger.begin({ kind: 'notebook', name: '01-quickstart', params: { seed: 1 } });
 * await ledger.end(id, { status: 'completed', outputs: [{ path: 'runs/01.ipynb', sha256: '...', size: 1234 }] });
 * (await ledger.runs({ kind: 'notebook' }))[0]?.status // 'completed'
 */
export class RunLedger {
  private queue: Promise<unknown> = Promise.resolve();
  private pg: Store | undefined;
  private readonly table: TableRef;
  /** Each run's secrets (its parameters'), so its error text is redacted by the same rule as its parameters. */
  private readonly redactors = new Map<string, Redactor>();

  constructor(
    readonly url: string,
    opts: { schema?: string } = {},
  ) {
    this.table = opts.schema ? { schema: opts.schema, name: RUNS_TABLE } : { name: RUNS_TABLE };
  }

  /**
   * The ledger `SKYBOOK_LEDGER` names, or `fallback`, or none.
   *
   * @example
   * RunLedger.fromEnv()?.url // process.env.SKYBOOK_LEDGER
   */
  /**
   * The ledger a command uses: its `--ledger URL`, else `SKYBOOK_LEDGER`, else the embedded DuckDB file
   * `.skybook/ledger.duckdb` under `dir` (the pipeline file's folder, or the working directory).
   *
   * @example
   * RunLedger.resolve(undefined, '/work/proj').url // 'duckdb:/work/proj/.skybook/ledger.duckdb' (SKYBOOK_LEDGER unset)
   */
  static resolve(flag: string | undefined, dir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): RunLedger {
    return new RunLedger(flag || env[LEDGER_ENV] || `duckdb:${join(resolvePath(dir), DEFAULT_LEDGER_FILE)}`);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env, fallback?: string): RunLedger | undefined {
    const url = env[LEDGER_ENV] || fallback;
    return url ? new RunLedger(url) : undefined;
  }

  /** Writes a `running` row and returns its id. */
  async begin(start: RunStart): Promise<string> {
    const runId = randomUUID();
    const redactor = new Redactor({ values: start.params ?? {}, env: process.env });
    const params = start.params ? redactor.named(start.params).values : {};
    this.redactors.set(runId, redactor);
    const software = { node: process.versions.node, skybook: skybookVersion() };
    await this.write(async (s) => {
      await markGone(s, this.table);
      await s.run(sql`insert into ${tableId(this.table)} (run_id, parent_id, kind, name, status, started_at, os_user, host, pid,
        params_json, inputs_json, outputs_json, manifest, software_json, workdir) values (${runId}, ${start.parent ?? null}, ${start.kind},
        ${start.name}, 'running', cast(${utcTimestamp()} as timestamp), ${osUser()}, ${hostname()}, ${process.pid},
        ${JSON.stringify(params)}, ${JSON.stringify(start.inputs ?? [])}, '[]', ${start.manifest ?? null}, ${JSON.stringify(software)},
        ${resolvePath(start.workdir ?? process.cwd())})`);
    });
    return runId;
  }

  /** Marks a run ended: status, outputs, error (redacted), rows. */
  async end(runId: string, end: RunEnd): Promise<void> {
    const redactor = this.redactors.get(runId) ?? new Redactor({ env: process.env });
    this.redactors.delete(runId);
    const error = end.error === undefined ? null : redactor.text(end.error).slice(0, 4000);
    const now = utcTimestamp();
    await this.write(async (s) => {
      const t = tableId(this.table);
      await s.run(sql`update ${t} set status = ${end.status}, finished_at = cast(${now} as timestamp),
        seconds = ${secondsSince(await startedAt(s, this.table, runId), now)}, outputs_json = ${JSON.stringify(end.outputs ?? [])},
        error = ${error}, rows_written = ${end.rows ?? null}, rows_quarantined = ${end.quarantined ?? null} where run_id = ${runId}`);
      if (end.inputs) await s.run(sql`update ${t} set inputs_json = ${JSON.stringify(end.inputs)} where run_id = ${runId}`);
      if (end.manifest) await s.run(sql`update ${t} set manifest = ${end.manifest} where run_id = ${runId}`);
    });
  }

  /**
   * Runs as recorded, oldest first (then by id, so the order is stable); a `running` row whose process is gone
   * (this host, no such pid) reads as `interrupted`. An absent ledger has no runs.
   */
  async runs(q: RunQuery = {}): Promise<RunRow[]> {
    return this.read(async (s) => {
      const where = [sql`1 = 1`];
      if (q.kind) where.push(sql`kind = ${q.kind}`);
      if (q.parent) where.push(sql`parent_id = ${q.parent}`);
      if (q.since) where.push(sql`started_at >= cast(${q.since} as timestamp)`);
      const t = await s.query(sql`select run_id, parent_id, kind, name, status, cast(started_at as text) as started_at,
        cast(finished_at as text) as finished_at, seconds, os_user, host, pid, params_json, inputs_json, outputs_json, manifest,
        error, rows_written, rows_quarantined, software_json, workdir from ${tableId(this.table)} where ${sql.join(where, ' and ')}
        order by started_at, run_id`);
      return t.toArray().map((r) => rowOf(r.toJSON() as Record<string, unknown>));
    });
  }

  /** Releases a PostgreSQL pool (a DuckDB ledger holds nothing open between writes). */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.pg?.close();
    this.pg = undefined;
  }

  private write(fn: (s: StoreSession) => Promise<void>): Promise<void> {
    return this.serial(async () => {
      await this.withStore(true, async (store) => {
        await store.run(CREATE(this.table));
        await store.transaction(fn);
      });
    });
  }

  private read<T>(fn: (s: StoreSession) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.withStore(false, async (store) => {
        if (!(await hasTable(store, this.table))) return [] as T;
        return fn(store);
      }),
    ) as Promise<T>;
  }

  /** One operation at a time from this process (a pipeline's parallel stages share one ledger object). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async withStore<T>(write: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
    if (!this.url.startsWith('duckdb:')) {
      this.pg ??= await openStore(this.url, { schema: this.table.schema });
      return fn(this.pg);
    }
    const path = this.url.slice('duckdb:'.length);
    if (write && path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    for (let attempt = 0; ; attempt++) {
      let store: Store;
      try {
        store = await openStore(this.url, { create: write, readOnly: !write });
      } catch (e) {
        if (!write && e instanceof StoreError && /no such file/.test(e.message)) return (await fn(EMPTY)) as T;
        if (LOCKED.test(String((e as Error).message)) && attempt < 200) {
          await new Promise((r) => setTimeout(r, 25 + Math.min(attempt, 20) * 10));
          continue;
        }
        throw e;
      }
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    }
  }
}

/** A store with no tables: what reading an absent DuckDB ledger sees. */
const EMPTY = {
  engine: 'duckdb',
  query: async () => {
    throw new StoreError('empty ledger');
  },
} as unknown as Store;

async function hasTable(store: Store, t: TableRef): Promise<boolean> {
  if (store === EMPTY) return false;
  const r = await store.query(
    t.schema
      ? sql`select count(*) as n from information_schema.tables where table_name = ${t.name} and table_schema = ${t.schema}`
      : store.engine === 'postgres'
        ? sql`select count(*) as n from information_schema.tables where table_name = ${t.name} and table_schema = current_schema()`
        : sql`select count(*) as n from information_schema.tables where table_name = ${t.name}`,
  );
  return Number(r.get(0)!.toJSON().n) > 0;
}

/** Persists `interrupted` for rows whose process is gone (a kill -9 leaves them `running`). */
async function markGone(s: StoreSession, t: TableRef): Promise<void> {
  const r = await s.query(sql`select run_id, pid from ${tableId(t)} where status = 'running' and host = ${hostname()}`);
  for (const row of r.toArray()) {
    const { run_id, pid } = row.toJSON() as { run_id: string; pid: number };
    if (!processAlive(Number(pid)))
      await s.run(sql`update ${tableId(t)} set status = 'interrupted', error = 'the process ended without recording an end'
        where run_id = ${run_id}`);
  }
}

async function startedAt(s: StoreSession, t: TableRef, runId: string): Promise<string | undefined> {
  const r = await s.query(sql`select cast(started_at as text) as t from ${tableId(t)} where run_id = ${runId}`);
  return r.numRows ? String(r.get(0)!.toJSON().t) : undefined;
}

function rowOf(r: Record<string, unknown>): RunRow {
  let status = String(r.status) as RunStatus;
  const pid = Number(r.pid);
  if (status === 'running' && r.host === hostname() && !processAlive(pid)) status = 'interrupted';
  const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as bigint));
  return {
    runId: String(r.run_id),
    parent: (r.parent_id as string | null) ?? null,
    kind: String(r.kind) as RunKind,
    name: String(r.name),
    status,
    startedAt: utcIso(String(r.started_at)),
    finishedAt: r.finished_at == null ? null : utcIso(String(r.finished_at)),
    seconds: r.seconds == null ? null : Number(r.seconds),
    user: String(r.os_user),
    host: String(r.host),
    pid,
    params: JSON.parse(String(r.params_json)) as Record<string, unknown>,
    inputs: JSON.parse(String(r.inputs_json)) as FileRecord[],
    outputs: JSON.parse(String(r.outputs_json)) as FileRecord[],
    manifest: (r.manifest as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    rows: big(r.rows_written),
    quarantined: big(r.rows_quarantined),
    software: JSON.parse(String(r.software_json)) as Record<string, string>,
    workdir: String(r.workdir),
  };
}

/** Timestamps are written as UTC without a zone; both engines print them `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
function utcIso(t: string): string {
  const [d, time = '00:00:00'] = t.split(' ');
  const [hms, frac = ''] = time.split('.');
  return `${d}T${hms}.${(frac + '000').slice(0, 3)}Z`;
}

function secondsSince(start: string | undefined, now: string): number | null {
  if (!start) return null;
  return (Date.parse(`${now.replace(' ', 'T')}Z`) - Date.parse(utcIso(start))) / 1000;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
