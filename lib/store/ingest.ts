import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Int64, makeData, RecordBatch, Struct, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { progressOf, skybookVersion, subProgress, type Progress } from '../core/index.js';
import { FitsFile, sha256File } from '../fits/index.js';
import { planColumns } from './column-plan.js';
import { ensureBookkeeping, findLoad, lockLedger, nextLoadId, quarantineRef, recordLoad, removeLoad } from './ledger.js';
import { openStore, storeEngineOf, type OpenStoreOptions } from './open-store.js';
import { PRODUCT_SCHEMAS, SCHEMA_NAMES, type ProductSchema } from './schemas/desi-schemas.js';
import { createSkyIndex } from './sky/sky-query.js';
import { tableName } from './sql.js';
import { fileProblem, IS_A_DIRECTORY, StoreError } from '../errors/index.js';
import type { LoadPart, Store, StoreSession, TableRef } from './store.js';
import { ensureTable } from './table-ddl.js';
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
  /** Rows loaded, a phase per file; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
  storeOptions?: OpenStoreOptions;
  /** PostgreSQL: COPY a large file over this many connections at once, visible in one commit (default 1; DuckDB ignores it). */
  connections?: number;
  /** PostgreSQL: create the table partitioned by this integer column (`healpix`: by range, else by hash); see table-ddl. */
  partitionBy?: string;
}

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

/** Loads one source inside one transaction: all its rows, its quarantined rows and its ledger row, or nothing. */
async function loadSource(
  store: Store,
  src: LoadSource,
  target: TableRef,
  product: ProductSchema | undefined,
  opts: IngestOptions,
  progress: Progress,
  t0: number,
): Promise<IngestResult> {
  const where = { file: src.label, hdu: src.hdu, table: target.name };
  const base = { source: src.source, hdu: src.hdu, table: target.name, size: src.size, rows: src.rows };
  const seconds = () => (performance.now() - t0) / 1000;
  src.sha256.catch(() => {
    /* awaited below, whichever way the load goes */
  });
  await ensureBookkeeping(store, target);
  return store.transaction(async (tx) => {
    await lockLedger(tx, target);
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
    progress.start({ label: `ingest ${src.label}`, total: src.rows, unit: 'rows' });
    const batches = src.batches(subProgress(progress))[Symbol.asyncIterator]();
    const first = await batches.next();
    if (first.done) throw new StoreError('no record batches', where);
    const schema = first.value.schema;
    if (product) requireColumns(product, schema, where);
    const plans = planColumns(schema, where);
    await ensureTable(tx, target, plans, product, { partitionBy: opts.partitionBy });
    const rejected: { row: number; reasons: string; json: string }[] = [];
    let rowBase = 0;
    async function* parts(): AsyncGenerator<LoadPart> {
      for (let r = first; !r.done; r = await batches.next()) {
        const batch = r.value;
        const verdict = validateBatch(batch, product);
        for (const bad of verdict.rejected)
          rejected.push({ row: rowBase + bad.row, reasons: bad.reasons.join('; '), json: rowJson(batch, bad.row) });
        rowBase += batch.numRows;
        yield { batch, rows: verdict.good };
      }
    }
    const loaded = await tx.load(target, plans, parts(), loadId, { connections: opts.connections, rows: src.rows });
    progress.finish();
    await writeQuarantine(tx, target, src.source, src.hdu, rejected, loadId);
    if (loaded + rejected.length !== src.rows) {
      throw new StoreError(`loaded ${loaded} + quarantined ${rejected.length} != ${src.rows} input rows`, where, 1);
    }
    if (product?.sky && opts.skyIndex !== false)
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
      rowsQuarantined: BigInt(rejected.length),
      startedAt: utcTimestamp(started),
      finishedAt: utcTimestamp(),
      skybookVersion: skybookVersion(),
    });
    return { ...base, sha256, status: prior ? 'replaced' : 'loaded', loadId, loaded, quarantined: rejected.length, seconds: seconds() };
  });
}

/** Loads one FITS file's table HDU. */
async function ingestFile(
  store: Store,
  path: string,
  target: TableRef,
  product: ProductSchema | undefined,
  opts: IngestOptions,
  progress: Progress,
): Promise<IngestResult> {
  const t0 = performance.now();
  const source = resolve(path);
  const size = await inputSize(path);
  // the hash runs beside the load (a worker thread for a big file) and is awaited where the ledger needs it
  const sha256 = sha256File(source);
  sha256.catch(() => {
    /* awaited in loadSource; an earlier failure wins */
  });
  const fits = await FitsFile.open(source);
  try {
    const hdu = pickHdu(fits, path, opts.hdu, product);
    const src: LoadSource = {
      source,
      label: path,
      hdu: hdu.name,
      rows: hdu.rows,
      sha256,
      size,
      batches: (batchProgress) => fits.readBatches(hdu.index, { batchRows: 65536, progress: batchProgress }),
    };
    return await loadSource(store, src, target, product, opts, progress, t0);
  } finally {
    progress.finish();
    await fits.close();
  }
}

/** Writes quarantined rows through the same bulk path as the data. */
async function writeQuarantine(
  tx: StoreSession,
  target: TableRef,
  source: string,
  hdu: string,
  rows: { row: number; reasons: string; json: string }[],
  loadId: number,
): Promise<void> {
  if (!rows.length) return;
  const t = new Table({
    table_name: vectorFromArray(
      rows.map(() => target.name),
      new Utf8(),
    ),
    source_path: vectorFromArray(
      rows.map(() => source),
      new Utf8(),
    ),
    hdu: vectorFromArray(
      rows.map(() => hdu),
      new Utf8(),
    ),
    row_number: vectorFromArray(
      rows.map((r) => BigInt(r.row)),
      new Int64(),
    ),
    reasons: vectorFromArray(
      rows.map((r) => r.reasons),
      new Utf8(),
    ),
    row_json: vectorFromArray(
      rows.map((r) => r.json),
      new Utf8(),
    ),
  });
  const plans = planColumns(t.schema);
  async function* parts(): AsyncGenerator<LoadPart> {
    for (const batch of t.batches) yield { batch, rows: Int32Array.from({ length: batch.numRows }, (_, i) => i) };
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

/** Reads one input's headers as far as the HDU to load, so that a bad input is reported before the store is opened. */
async function checkInput(path: string, hdu: string | undefined, product: ProductSchema | undefined): Promise<void> {
  await inputSize(path);
  const fits = await FitsFile.open(resolve(path));
  try {
    pickHdu(fits, path, hdu, product);
  } finally {
    await fits.close();
  }
}

/** The product schema named by `--schema`, checked. */
function productOf(name: string | undefined): ProductSchema | undefined {
  if (name !== undefined && !SCHEMA_NAMES.includes(name as ProductSchema['name'])) {
    throw new StoreError(`invalid --schema: ${JSON.stringify(name)} (one of ${SCHEMA_NAMES.join(', ')})`);
  }
  return name ? PRODUCT_SCHEMAS[name as ProductSchema['name']] : undefined;
}

/**
 * Loads FITS tables into a store, one transaction per file: validated rows into `table`, failing rows into
 * `skybook_quarantine` with their reasons, one ledger row in `skybook_loads`. A file loaded before with the same bytes is
 * skipped (`status: 'unchanged'`); a changed file is refused unless `replace`.
 *
 * @example
 * const [r] = await ingest(['redrock-special-dark-27247.fits'], { into: 'duckdb:survey.duckdb', table: 'redrock', schema: 'redrock' });
 * r.loaded + r.quarantined === r.rows // true
 */
export async function ingest(sources: string | readonly string[], opts: IngestOptions): Promise<IngestResult[]> {
  const target = tableName(opts.table);
  const product = productOf(opts.schema);
  const paths = typeof sources === 'string' ? [sources] : [...sources];
  // Options, then every input's headers, then the database: bad input is named as such without a connection, and a
  // bad file later in the list stops the ingest before anything is loaded.
  if (typeof opts.into === 'string') storeEngineOf(opts.into);
  for (const path of paths) await checkInput(path, opts.hdu, product);
  const store = typeof opts.into === 'string' ? await openStore(opts.into, opts.storeOptions) : opts.into;
  const progress = progressOf(opts.progress);
  try {
    const out: IngestResult[] = [];
    for (const path of paths) out.push(await ingestFile(store, path, target, product, opts, progress));
    return out;
  } finally {
    if (typeof opts.into === 'string') await store.close();
  }
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
  const src: LoadSource = {
    source: opts.source,
    label: opts.source,
    hdu: 'arrow',
    rows: table.numRows,
    size: bytes.byteLength,
    sha256: Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    async *batches(batchProgress) {
      for (const b of table.batches) {
        batchProgress.advance(b.numRows);
        yield b;
      }
      if (table.batches.length === 0)
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
  const progress = progressOf(opts.progress);
  try {
    return await loadSource(store, src, target, product, opts, progress, t0);
  } finally {
    progress.finish();
    if (typeof opts.into === 'string') await store.close();
  }
}
