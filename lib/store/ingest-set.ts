import { boundedMap, progressOf, type Progress } from '../core/index.js';
import { SkybookError, StoreError } from '../errors/index.js';
import {
  type CheckedTables,
  checkInput,
  DEFAULT_JOBS,
  ingestFile,
  productOf,
  type IngestOptions,
  type IngestResult,
  type InputFile,
} from './ingest.js';
import { IngestPhase } from './ingest-progress.js';
import { expandSources } from './ingest-sources.js';
import { prepareBookkeeping } from './ledger.js';
import { openStore, storeEngineOf } from './open-store.js';
import { createSkyIndex } from './sky/sky-query.js';
import { tableName } from './sql.js';
import type { Store, TableRef } from './store.js';

/**
 * A file of a set that did not load: nothing of it was stored (its transaction rolled back); `error` says why, naming
 * the file. `exitCode` is that of the error alone (2: the file or its contents were refused, 1: the work failed).
 *
 * @example
 * for (const f of report.files) if (f.status === 'failed') console.error(f.error);
 */
export interface IngestFailure {
  source: string;
  hdu: string;
  table: string;
  status: 'failed';
  size: number;
  rows: number;
  loaded: 0;
  quarantined: 0;
  seconds: number;
  error: string;
  exitCode: 1 | 2;
}

/**
 * What a set of files came to. `skipped` files were loaded before with the same bytes (`unchanged`); `quarantinedFiles`
 * are loaded files with rows in `skybook_quarantine` (`rowsQuarantined` of them); `filesPerSecond` and `rowsPerSecond`
 * count the files and rows loaded over the whole run's `seconds`.
 *
 * @example
 * const { totals } = await ingestSet(['dr1/**\/redrock-*.fits'], opts); totals.loaded + totals.skipped + totals.failed === totals.files
 */
export interface IngestTotals {
  files: number;
  loaded: number;
  replaced: number;
  skipped: number;
  failed: number;
  quarantinedFiles: number;
  rows: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  seconds: number;
  filesPerSecond: number;
  rowsPerSecond: number;
}

/**
 * One ingest of a set of files: a result per file in input order, then the totals.
 *
 * @example
 * const report = await ingestSet(['dr1/**\/redrock-*.fits'], { into, table: 'rr', schema: 'redrock' });
 */
export interface IngestReport {
  files: (IngestResult | IngestFailure)[];
  totals: IngestTotals;
}

/** The file's failure as its report entry (the error itself is kept beside it, for `ingest()` to rethrow). */
function failureOf(input: InputFile, table: string, e: unknown, seconds: number): IngestFailure {
  const exitCode = e instanceof SkybookError ? (e.exitCode === 2 ? 2 : 1) : 1;
  const message = e instanceof Error ? e.message : String(e);
  // a database error without the file in its text still names it
  const error = message.includes(input.path) ? message : `${input.path}: ${message}`;
  return {
    source: input.source,
    hdu: input.hdu.name,
    table,
    status: 'failed',
    size: input.size,
    rows: input.hdu.rows,
    loaded: 0,
    quarantined: 0,
    seconds,
    error,
    exitCode,
  };
}

/**
 * The totals of a set's per-file results over `seconds` of work.
 *
 * @example
 * ingestTotals(results, 12.5).filesPerSecond
 */
export function ingestTotals(files: readonly (IngestResult | IngestFailure)[], seconds: number): IngestTotals {
  const count = (status: string) => files.filter((f) => f.status === status).length;
  const done = files.filter((f) => f.status === 'loaded' || f.status === 'replaced');
  const rowsLoaded = done.reduce((n, f) => n + f.loaded, 0);
  const rowsQuarantined = done.reduce((n, f) => n + f.quarantined, 0);
  return {
    files: files.length,
    loaded: count('loaded'),
    replaced: count('replaced'),
    skipped: count('unchanged'),
    failed: count('failed'),
    quarantinedFiles: done.filter((f) => f.quarantined > 0).length,
    rows: files.reduce((n, f) => n + f.rows, 0),
    rowsLoaded,
    rowsQuarantined,
    seconds,
    filesPerSecond: seconds > 0 ? done.length / seconds : 0,
    rowsPerSecond: seconds > 0 ? (rowsLoaded + rowsQuarantined) / seconds : 0,
  };
}

/** `jobs`, checked: a whole number of files at once, 1 to 64. */
function jobsOf(jobs: number | undefined): number {
  if (jobs === undefined) return DEFAULT_JOBS;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new StoreError(`invalid --jobs: ${jobs} (an integer 1..64)`);
  return jobs;
}

/** Reads every input's headers up front, a few at a time, in input order: the first bad one (in that order) is thrown. */
async function checkInputs(paths: readonly string[], opts: IngestOptions): Promise<InputFile[]> {
  const product = productOf(opts.schema);
  const checked = await boundedMap(paths, 8, (path) =>
    checkInput(path, opts.hdu, product).then(
      (input) => ({ input }),
      (error: unknown) => ({ error }),
    ),
  );
  const bad = checked.find((c) => 'error' in c);
  if (bad && 'error' in bad) throw bad.error;
  return checked.map((c) => (c as { input: InputFile }).input);
}

/**
 * What `ingest` and `ingestSet` share: the set loaded file by file with a bounded pool. Failures are reported, with
 * their errors kept in input order.
 */
async function loadSet(
  sources: string | readonly string[],
  opts: IngestOptions,
  stopAtFailure: boolean,
): Promise<{ report: IngestReport; errors: unknown[] }> {
  const t0 = performance.now();
  const target: TableRef = tableName(opts.table);
  const product = productOf(opts.schema);
  const jobs = jobsOf(opts.jobs);
  // Options, then every input's headers, then the database: bad input is named as such without a connection, and a
  // bad file anywhere in the set stops the ingest before anything is loaded.
  if (typeof opts.into === 'string') storeEngineOf(opts.into);
  const paths = await expandSources(typeof sources === 'string' ? [sources] : sources);
  const inputs = await checkInputs(paths, opts);
  const store: Store = typeof opts.into === 'string' ? await openStore(opts.into, { connections: jobs, ...opts.storeOptions }) : opts.into;
  const one = inputs.length === 1;
  const totalRows = inputs.reduce((n, f) => n + f.hdu.rows, 0);
  const label = one ? `ingest ${inputs[0]!.path}` : `ingest ${inputs.length.toLocaleString('en-US')} files`;
  const phase = new IngestPhase(progressOf(opts.progress), { label, total: totalRows, unit: 'rows' });
  const errors: unknown[] = [];
  try {
    await prepareBookkeeping(store, target);
    // One file makes its sky index in its own transaction, as always; a set makes it once after its loads (an index
    // built inside each of many concurrent transactions would wait on the others' writes, and they on it).
    const indexEach = one && opts.skyIndex !== false;
    const tables: CheckedTables = new Set();
    // DuckDB has one writer; reading the next files ahead of it measured slower on 1,000 small files (docs/store.md)
    const width = store.engine === 'duckdb' ? 1 : jobs;
    const files = await boundedMap(
      inputs,
      width,
      async (input, i) => {
        const started = performance.now();
        let counted = 0;
        const rows: Progress = {
          start() {},
          finish() {},
          advance: (by = 1) => {
            counted += by;
            phase.advance(by, input.path);
          },
        };
        try {
          const r = await ingestFile(store, input, target, product, opts, rows, indexEach, tables);
          if (r.status === 'unchanged') phase.skip(input.hdu.rows);
          return r;
        } catch (e) {
          errors[i] = e;
          phase.skip(Math.max(0, input.hdu.rows - counted));
          return failureOf(input, target.name, e, (performance.now() - started) / 1000);
        }
      },
      // with stopAtFailure, no file starts after one has failed (those in flight finish)
      { stopWhen: (r) => stopAtFailure && r.status === 'failed' },
    );
    if (!one && product?.sky && opts.skyIndex !== false && files.some((f) => f.status !== 'failed')) {
      const sky = product.sky;
      await store.transaction((tx) => createSkyIndex(tx, { table: target, ra: sky.ra.toLowerCase(), dec: sky.dec.toLowerCase() }));
    }
    return {
      report: { files, totals: ingestTotals(files, (performance.now() - t0) / 1000) },
      errors: errors.filter((e) => e !== undefined),
    };
  } finally {
    phase.end();
    if (typeof opts.into === 'string') await store.close();
  }
}

/**
 * Loads a set of FITS files (paths or quoted globs, expanded by us: sorted, each file once) into a store, `jobs` at a
 * time, one transaction and one ledger row per file: validated rows into `table`, failing rows into
 * `skybook_quarantine`. Every input's headers are read first: a file that cannot be opened or has no such table HDU
 * is bad input and stops the ingest before anything is loaded (exit 2). A file that fails while loading (its
 * contents, a changed file without `replace`, the database) is reported in `files` with its reason and the others go
 * on; nothing of it is stored. Re-running after a kill or a failure loads only what the ledger does not hold with the
 * same bytes.
 *
 * @example
 * const { files, totals } = await ingestSet(['dr1/**\/redrock-*.fits'], { into: 'postgres://db/dr1', table: 'rr', schema: 'redrock', jobs: 8 });
 * totals.failed // 0
 */
export async function ingestSet(sources: string | readonly string[], opts: IngestOptions): Promise<IngestReport> {
  return (await loadSet(sources, opts, false)).report;
}

/**
 * Loads FITS tables into a store, one transaction per file: validated rows into `table`, failing rows into
 * `skybook_quarantine` with their reasons, one ledger row in `skybook_loads`. A file loaded before with the same bytes is
 * skipped (`status: 'unchanged'`); a changed file is refused unless `replace`. Sources may be globs and load `jobs` at
 * a time (see {@link ingestSet}); the first file to fail stops the ingest (no further file starts) and its error is
 * thrown; files loaded before it stay loaded.
 *
 * @example
 * const [r] = await ingest(['redrock-special-dark-27247.fits'], { into: 'duckdb:survey.duckdb', table: 'redrock', schema: 'redrock' });
 * r.loaded + r.quarantined === r.rows // true
 */
export async function ingest(sources: string | readonly string[], opts: IngestOptions): Promise<IngestResult[]> {
  const { report, errors } = await loadSet(sources, opts, true);
  if (errors.length) throw errors[0];
  return report.files as IngestResult[];
}
