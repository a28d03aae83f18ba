import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { makeData, RecordBatch, Struct, type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { progressOf, skybookVersion, type Progress } from '../core/index.js';
import { IngestPhase } from './ingest-progress.js';
import { FitsFile, sha256File } from '../fits/index.js';
import { planColumns } from './column-plan.js';
import { findLoad, lockKey, lockLoad, nextLoadId, quarantineRef, recordLoad, prepareBookkeeping, removeLoad } from './ledger.js';
import { openStore, type OpenStoreOptions } from './open-store.js';
import { PRODUCT_SCHEMAS, SCHEMA_NAMES, type ProductSchema } from './schemas/desi-schemas.js';
import { createSkyIndex } from './sky/sky-query.js';
import { tableName } from './sql.js';
import { fileProblem, IS_A_DIRECTORY, StoreError } from '../errors/index.js';
import type { LoadPart, Store, StoreSession, TableRef } from './store.js';
import { ensureTable, existingColumns } from './table-ddl.js';
import { QuarantineBuffer } from './quarantine-buffer.js';
import { rowJson } from './validate/row-json.js';
import { requireColumns, validateBatch } from './validate/validate-batch.js';
import { utcTimestamp } from './utc-timestamp.js';

/**
 * Options for `ingest`. `into` is a store URL (`duckdb:PATH`, `postgres://...`) or an open store.
 *
 * @example
 * const opts: IngestOptions = { into: 'duckdb:survey.duckdb', table: 'zcat', schema: 'zcatalog' };
 */
export interface IngestOptions {
  into: string | Store;
  table: string;
  /** HDU name or index; default the product schema's HDU, else the first table HDU. */
  hdu?: string;
  schema?: ProductSchema['name'];
  /** Load a file whose bytes changed since its last load (its old rows are deleted in the same transaction). */
  replace?: boolean;
  /** Create the sky index after the load when the schema names position columns (default true). */
  skyIndex?: boolean;
  /**
   * Rows loaded: one phase for the whole set of files (`ingest FILE` for one file); defaults to the host's display in
   * the kernel (`false`: none).
   */
  progress?: Progress | false;
  storeOptions?: OpenStoreOptions;
  /** PostgreSQL: COPY a large file over this many connections at once, visible in one commit (default 1; DuckDB ignores it). */
  connections?: number;
  /** PostgreSQL: create the table partitioned by this integer column (`healpix`: by range, else by hash); see table-ddl. */
  partitionBy?: string;
  /**
   * Files loaded at once in PostgreSQL (default {@link DEFAULT_JOBS}, 1..64), each on its own pooled connection and in
   * its own transaction. DuckDB has one writer and loads one file at a time whatever `jobs` says (opening and hashing
   * the next files while one is written measured slower).
   */
  jobs?: number;
  /** Rows per record batch read from a file (default 65,536): the unit of memory a load holds at once. */
  batchRows?: number;
  /**
   * Quarantined rows a load holds in memory (default 8,192); beyond that they wait in a temporary file until they are
   * written, so a file whose rows mostly fail does not hold them all.
   */
  quarantineMemoryRows?: number;
}

/**
 * Files loaded at once when `jobs` is not given: 4, enough to keep a PostgreSQL server's cores busy with small files
 * without taking many of its connections.
 *
 * @example
 * await ingest(files, { into, table, jobs: DEFAULT_JOBS });
 */
export const DEFAULT_JOBS = 4;

/**
 * What happened to one source file. `loaded + quarantined === rows` for loads; `unchanged` means the same bytes were
 * loaded before (`loadId` names that load) and nothing was written.
 *
 * @example
 * for (const r of results) console.log(r.source, r.status, r.loaded, r.quarantined);
 */
export interface IngestResult {
  source: string;
  hdu: string;
  table: string;
  status: 'loaded' | 'replaced' | 'unchanged';
  loadId: number;
  sha256: string;
  size: number;
  rows: number;
  loaded: number;
  quarantined: number;
  seconds: number;
}

/** Picks the HDU to load: the one asked for, else the product's, else the first BINTABLE. */
function pickHdu(
  fits: FitsFile,
  source: string,
  hdu: string | undefined,
  product: ProductSchema | undefined,
): { index: number; name: string; rows: number } {
  const ref = hdu ?? product?.hdu;
  const info = ref !== undefined ? fits.hdu(/^\d+$/.test(ref) ? Number(ref) : ref) : fits.hdus.find((h) => h.type === 'BINTABLE');
  if (!info) throw new StoreError('no table HDU to load', { file: source });
  if (info.type !== 'BINTABLE') throw new StoreError(`HDU is a ${info.type}, not a table`, { file: source, hdu: ref });
  return { index: info.index, name: info.name || String(info.index), rows: info.header.int('NAXIS2') };
}

/** What one load reads: its identity for the ledger and its record batches (opened only when the load goes ahead). */
interface LoadSource {
  /** Absolute path of the file, or the caller's name for an in-memory table. */
  source: string;
  /** How errors name it (the path as given). */
  label: string;
  hdu: string;
  rows: number;
  /** Computed while the rows load where no earlier load has to be compared with it (a big file: on a worker thread). */
  sha256: Promise<string>;
  size: number;
  batches(progress: Progress): AsyncIterable<RecordBatch>;
}

/**
 * Loads one source inside one transaction: all its rows, its quarantined rows and its ledger row, or nothing. The
 * bookkeeping tables exist (the caller made them). `progress` counts this source's rows inside the caller's phase;
 * `skyIndex` makes the sky index in the same transaction (a set of files makes it once, after its loads).
 */
async function loadSource(
  store: Store,
  src: LoadSource,
  target: TableRef,
  product: ProductSchema | undefined,
  opts: IngestOptions,
  progress: Progress,
  t0: number,
  skyIndex: boolean,
  tables: CheckedTables,
): Promise<IngestResult> {
  const where = { file: src.label, hdu: src.hdu, table: target.name };
  const base = { source: src.source, hdu: src.hdu, table: target.name, size: src.size, rows: src.rows };
  const seconds = () => (performance.now() - t0) / 1000;
  src.sha256.catch(() => {
    /* awaited below, whichever way the load goes */
  });
  let shape = '';
  const result = await store.transaction<IngestResult>(async (tx) => {
    await lockLoad(tx, target, src.source, src.hdu);
    const prior = await findLoad(tx, target, src.source, src.hdu);
    if (prior) {
      const sha256 = await src.sha256;
      if (prior.sha256 === sha256) {
        return {
          ...base,
          sha256,
          status: 'unchanged',
          loadId: prior.loadId,
          loaded: Number(prior.rowsLoaded),
          quarantined: Number(prior.rowsQuarantined),
          seconds: seconds(),
        };
      }
      if (!opts.replace) {
        throw new StoreError(
          `changed since load ${prior.loadId} (sha256 ${prior.sha256.slice(0, 12)}... now ${sha256.slice(0, 12)}...); use --replace to reload it`,
          where,
        );
      }
    }
    if (prior) await removeLoad(tx, target, prior.loadId);
    const loadId = await nextLoadId(tx, target);
    const started = new Date();
    const batches = src.batches(progress)[Symbol.asyncIterator]();
    const first = await batches.next();
    if (first.done) throw new StoreError('no record batches', where);
    const schema = first.value.schema;
    if (product) requireColumns(product, schema, where);
    const plans = planColumns(schema, where);
    const columns = JSON.stringify(plans.map((p) => [p.name, p.pgType]));
    if (!tables.has(columns)) {
      // Loads side by side into a table not made yet: one makes it, the others wait for its commit (then find it).
      if (tx.engine === 'postgres' && !(await existingColumns(tx, target))) await lockKey(tx, target, 'create table');
      await ensureTable(tx, target, plans, product, { partitionBy: opts.partitionBy });
    }
    const rejected = new QuarantineBuffer({ table: target.name, source: src.source, hdu: src.hdu }, opts.quarantineMemoryRows);
    try {
      let rowBase = 0;
      async function* parts(): AsyncGenerator<LoadPart> {
        for (let r = first; !r.done; r = await batches.next()) {
          const batch = r.value;
          const verdict = validateBatch(batch, product);
          for (const bad of verdict.rejected)
            await rejected.add({ row: rowBase + bad.row, reasons: bad.reasons.join('; '), json: rowJson(batch, bad.row) });
          rowBase += batch.numRows;
          yield { batch, rows: verdict.good };
        }
      }
      const loaded = await tx.load(target, plans, parts(), loadId, { connections: opts.connections, rows: src.rows });
      await writeQuarantine(tx, target, rejected, loadId);
      if (loaded + rejected.count !== src.rows) {
        throw new StoreError(`loaded ${loaded} + quarantined ${rejected.count} != ${src.rows} input rows`, where, 1);
      }
      if (product?.sky && skyIndex)
        await createSkyIndex(tx, { table: target, ra: product.sky.ra.toLowerCase(), dec: product.sky.dec.toLowerCase() });
      const sha256 = await src.sha256;
      await recordLoad(tx, target, {
        loadId,
        table: target.name,
        source: src.source,
        sha256,
        size: BigInt(src.size),
        hdu: src.hdu,
        rowsLoaded: BigInt(loaded),
        rowsQuarantined: BigInt(rejected.count),
        startedAt: utcTimestamp(started),
        finishedAt: utcTimestamp(),
        skybookVersion: skybookVersion(),
      });
      shape = columns;
      return { ...base, sha256, status: prior ? 'replaced' : 'loaded', loadId, loaded, quarantined: rejected.count, seconds: seconds() };
    } finally {
      await rejected.close();
    }
  });
  // only a committed load vouches for the table: a rolled-back one may have made it and taken it away again
  if (shape) tables.add(shape);
  return result;
}

/**
 * The column sets a set's earlier loads found (or made) the target table with, so that the next thousand files of the
 * same shape do not each ask the catalogue again.
 */
export type CheckedTables = Set<string>;

/**
 * One input file as read up front: its path as given (errors name it so), absolute path (the ledger's source), size
 * and the table HDU to load with its row count (the set's progress total).
 */
export interface InputFile {
  path: string;
  source: string;
  size: number;
  hdu: { index: number; name: string; rows: number };
}

/**
 * Loads one FITS file's table HDU (checked up front by {@link checkInput}); `progress` counts its rows inside the
 * caller's phase.
 */
export async function ingestFile(
  store: Store,
  input: InputFile,
  target: TableRef,
  product: ProductSchema | undefined,
  opts: IngestOptions,
  progress: Progress,
  skyIndex: boolean,
  tables: CheckedTables = new Set(),
): Promise<IngestResult> {
  const t0 = performance.now();
  // the hash runs beside the load (a worker thread for a big file) and is awaited where the ledger needs it
  const sha256 = sha256File(input.source);
  sha256.catch(() => {
    /* awaited in loadSource; an earlier failure wins */
  });
  const fits = await FitsFile.open(input.source);
  try {
    const src: LoadSource = {
      source: input.source,
      label: input.path,
      hdu: input.hdu.name,
      rows: input.hdu.rows,
      sha256,
      size: input.size,
      batches: (batchProgress) => fits.readBatches(input.hdu.index, { batchRows: opts.batchRows ?? 65536, progress: batchProgress }),
    };
    return await loadSource(store, src, target, product, opts, progress, t0, skyIndex, tables);
  } finally {
    await fits.close();
  }
}

/** Writes quarantined rows through the same bulk path as the data, one buffered batch at a time. */
async function writeQuarantine(tx: StoreSession, target: TableRef, rows: QuarantineBuffer, loadId: number): Promise<void> {
  if (!rows.count) return;
  const batches = rows.batches();
  const first = await batches.next();
  if (first.done) return;
  const plans = planColumns(first.value.schema);
  async function* parts(): AsyncGenerator<LoadPart> {
    for (let r = first; !r.done; r = await batches.next())
      yield { batch: r.value, rows: Int32Array.from({ length: r.value.numRows }, (_, i) => i) };
  }
  await tx.load(quarantineRef(target), plans, parts(), loadId);
}

/** The size of an input file, or a StoreError naming it (as given) when it is missing, unreadable or a folder. */
async function inputSize(path: string): Promise<number> {
  const st = await stat(resolve(path)).catch((e: unknown) => {
    throw new StoreError(fileProblem(e), { file: path });
  });
  if (st.isDirectory()) throw new StoreError(IS_A_DIRECTORY, { file: path });
  return st.size;
}

/**
 * Reads one input's headers as far as the HDU to load, so that a bad input is reported before the store is opened.
 *
 * @example
 * const input = await checkInput('redrock-main-dark-100.fits', undefined, PRODUCT_SCHEMAS.redrock); input.hdu.rows
 */
export async function checkInput(path: string, hdu: string | undefined, product: ProductSchema | undefined): Promise<InputFile> {
  const size = await inputSize(path);
  const fits = await FitsFile.open(resolve(path));
  try {
    return { path, source: resolve(path), size, hdu: pickHdu(fits, path, hdu, product) };
  } finally {
    await fits.close();
  }
}

/**
 * The product schema named by `--schema`, checked.
 *
 * @example
 * productOf('redrock')?.hdu // 'REDSHIFTS'
 */
export function productOf(name: string | undefined): ProductSchema | undefined {
  if (name !== undefined && !SCHEMA_NAMES.includes(name as ProductSchema['name'])) {
    throw new StoreError(`invalid --schema: ${JSON.stringify(name)} (one of ${SCHEMA_NAMES.join(', ')})`);
  }
  return name ? PRODUCT_SCHEMAS[name as ProductSchema['name']] : undefined;
}

/**
 * Loads an Arrow table already in memory (a selection from lib/desi's readers, a notebook's result) the way `ingest`
 * loads a file: validated, quarantined, one transaction, one ledger row. `source` names it in the ledger (HDU 'arrow');
 * its sha256 is that of the table's Arrow IPC stream, so loading the same values again under the same name is a no-op
 * and loading different values under it is refused unless `replace`.
 *
 * @example
 * const zc = await readZcatalog('zpix-main-dark.fits', { columns: ['TARGETID', 'TARGET_RA', 'TARGET_DEC', 'Z', 'SPECTYPE'] });
 * await ingestTable(zc, { into: 'duckdb:survey.duckdb', table: 'zc', source: 'notebook:zpix-main-dark' });
 */
export async function ingestTable(table: Table, opts: Omit<IngestOptions, 'hdu'> & { source: string }): Promise<IngestResult> {
  const t0 = performance.now();
  const target = tableName(opts.table);
  const product = productOf(opts.schema);
  const bytes = tableToIPC(table, 'stream');
  // The rows are loaded as read back from that stream: a slice of a table (`table.slice(5, 15)`) keeps its parent's
  // buffers with an offset, and Arrow pre-slices only some of them (the string offsets, not the validity bits), which
  // the validation and both writers would misread; the stream holds them compacted from row 0.
  const stored = tableFromIPC(bytes);
  const src: LoadSource = {
    source: opts.source,
    label: opts.source,
    hdu: 'arrow',
    rows: table.numRows,
    size: bytes.byteLength,
    sha256: Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    async *batches(batchProgress) {
      for (const b of stored.batches) {
        batchProgress.advance(b.numRows);
        yield b;
      }
      if (stored.batches.length === 0)
        yield new RecordBatch(
          table.schema,
          makeData({
            type: new Struct(table.schema.fields),
            length: 0,
            nullCount: 0,
            children: table.schema.fields.map((f) => makeData({ type: f.type, length: 0 } as never)),
          } as never) as never,
        );
    },
  };
  const store = typeof opts.into === 'string' ? await openStore(opts.into, opts.storeOptions) : opts.into;
  const phase = new IngestPhase(progressOf(opts.progress), { label: `ingest ${src.label}`, total: src.rows, unit: 'rows' });
  try {
    await prepareBookkeeping(store, target);
    return await loadSource(store, src, target, product, opts, phase, t0, opts.skyIndex !== false, new Set());
  } finally {
    phase.end();
    if (typeof opts.into === 'string') await store.close();
  }
}
