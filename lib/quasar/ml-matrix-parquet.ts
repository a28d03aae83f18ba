import { openAsBlob } from 'node:fs';
import { createRequire } from 'node:module';
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  type Table,
  tableFromIPC,
  Uint8,
  type Vector,
} from 'apache-arrow';
import { fileProblem, QuasarError } from '../errors/index.js';
import { ParquetStreamWriter } from '../store/index.js';
import type { LogLambdaGrid } from './log-lambda-grid.js';
import { emptyMlMatrix, type MlMatrix } from './ml-matrix.js';

interface WasmBatch {
  free(): void;
  intoIPCStream(): Uint8Array;
}
interface ParquetWasm {
  Table: { fromIPCStream(b: Uint8Array): { recordBatch(i: number): WasmBatch | undefined } };
  transformParquetStream(stream: ReadableStream): Promise<ReadableStream<Uint8Array>>;
  ParquetFile: {
    fromFile(blob: Blob): Promise<{
      stream(o: { batchSize?: number }): Promise<ReadableStream<WasmBatch>>;
      schema(): { metadata(): Map<string, string> };
      free(): void;
    }>;
  };
}

let wasm: ParquetWasm | undefined;
/** parquet-wasm, loaded on first use (a few MB of WebAssembly). */
function parquetWasm(): ParquetWasm {
  wasm ??= createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return wasm;
}

/**
 * The Arrow schema of an ML matrix file on `grid`: TARGETID (int64), SCALE (float64, the normalisation) and FLUX,
 * IVAR (FixedSizeList<float32>[npix]) and MASK (FixedSizeList<uint8>[npix]); the grid rides in the schema metadata
 * (ML_LOG10_START, ML_DLOG10). parquet-wasm stores the Arrow schema in the file, so the fixed sizes, the uint8 and
 * the metadata come back as written.
 *
 * @example
 * mlMatrixSchema(ML_GRID).fields.map((f) => f.name); // ['TARGETID', 'SCALE', 'FLUX', 'IVAR', 'MASK']
 */
export function mlMatrixSchema(grid: LogLambdaGrid): Schema {
  const npix = grid.npix;
  const list = <T extends Float32 | Uint8>(t: T) => new FixedSizeList(npix, new Field('item', t, false));
  return new Schema(
    [
      new Field('TARGETID', new Int64(), false),
      new Field('SCALE', new Float64(), false),
      new Field('FLUX', list(new Float32()), false),
      new Field('IVAR', list(new Float32()), false),
      new Field('MASK', list(new Uint8()), false),
    ],
    new Map([
      ['ML_LOG10_START', String(grid.log10Start)],
      ['ML_DLOG10', String(grid.dlog10)],
    ]),
  );
}

/**
 * An ML matrix as one Arrow record batch (zero-copy: the vectors wrap the matrix's arrays).
 *
 * @example
 * const batch = mlMatrixBatch(m); batch.numRows === m.targetid.length;
 */
export function mlMatrixBatch(m: MlMatrix): RecordBatch {
  const schema = mlMatrixSchema(m.grid);
  const n = m.targetid.length;
  const [, , fluxF, ivarF, maskF] = schema.fields as [Field, Field, Field<FixedSizeList>, Field<FixedSizeList>, Field<FixedSizeList>];
  const listData = (f: Field<FixedSizeList>, values: Float32Array | Uint8Array) =>
    makeData({
      type: f.type,
      length: n,
      nullCount: 0,
      child: makeData({ type: f.type.children[0]!.type, length: values.length, nullCount: 0, data: values }),
    });
  const data = makeData({
    type: new Struct(schema.fields),
    length: n,
    nullCount: 0,
    children: [
      makeData({ type: new Int64(), length: n, nullCount: 0, data: m.targetid }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: m.scale }),
      listData(fluxF, m.flux),
      listData(ivarF, m.ivar),
      listData(maskF, m.mask),
    ],
  });
  return new RecordBatch(schema, data);
}

/**
 * Streams ML matrix rows into one Parquet file batch by batch (parquet-wasm's streaming writer: one row group per
 * batch), so a matrix of 1.6M spectra never sits in memory whole. The file appears under its name only after
 * `close()`; `abort()` leaves nothing.
 *
 * @example
 * const w = new MlMatrixWriter('matrix.parquet');
 * for (const m of batches) await w.write(m);
 * await w.close();
 */
export class MlMatrixWriter {
  private readonly writer: ParquetStreamWriter;
  private npix: number | undefined;
  /** Rows written so far. */
  rows = 0;

  constructor(readonly path: string) {
    this.writer = new ParquetStreamWriter(path);
  }

  /** Queues the rows of `m`; waits while the writer is two batches behind. Every batch must have the same npix. */
  async write(m: MlMatrix): Promise<void> {
    if (m.targetid.length === 0) return;
    this.npix ??= m.npix;
    if (m.npix !== this.npix)
      throw new QuasarError(`a batch of ${m.npix} pixels after batches of ${this.npix}`, { scope: 'MlMatrixWriter', file: this.path });
    await this.writer.write(mlMatrixBatch(m));
    this.rows += m.targetid.length;
  }

  /** Ends the stream and moves the file to its name. */
  async close(): Promise<void> {
    try {
      await this.writer.close();
    } catch (e) {
      await this.writer.abort();
      throw new QuasarError(`cannot write it: ${fileProblem(e)}`, { scope: 'MlMatrixWriter', file: this.path });
    }
  }

  /** Abandons the file. */
  async abort(): Promise<void> {
    await this.writer.abort();
  }
}

/**
 * Reads an ML matrix Parquet file back in batches of about `batchSize` rows (default 1024), streaming from disk:
 * memory holds one batch, whatever the file's size.
 *
 * @example
 * for await (const m of readMlMatrix('matrix.parquet', { batchSize: 4096 })) scores.push(scorePca(model, m));
 */
export async function* readMlMatrix(path: string, options: { batchSize?: number } = {}): AsyncGenerator<MlMatrix> {
  let blob: Blob;
  try {
    blob = await openAsBlob(path);
  } catch (e) {
    throw new QuasarError(`cannot read it: ${fileProblem(e)}`, { scope: 'readMlMatrix', file: path });
  }
  let file: Awaited<ReturnType<ParquetWasm['ParquetFile']['fromFile']>>;
  try {
    file = await parquetWasm().ParquetFile.fromFile(blob);
  } catch (e) {
    // parquet-wasm throws a plain string or Error for a file that is not Parquet: bad input, said as such.
    throw new QuasarError(
      `not a Parquet file (${e instanceof Error ? e.message : String(e)}); an ML matrix is what skybook quasar features --matrix writes`,
      {
        scope: 'readMlMatrix',
        file: path,
      },
    );
  }
  try {
    // The batches of the stream carry no schema metadata: take the grid from the file's schema.
    const meta = file.schema().metadata();
    if (!meta.has('ML_LOG10_START') || !meta.has('ML_DLOG10'))
      throw new QuasarError('a Parquet file without an ML matrix grid (ML_LOG10_START, ML_DLOG10 in its schema metadata)', {
        scope: 'readMlMatrix',
        file: path,
      });
    const grid = { log10Start: Number(meta.get('ML_LOG10_START')), dlog10: Number(meta.get('ML_DLOG10')) };
    const stream = await file.stream({ batchSize: options.batchSize ?? 1024 });
    for await (const wb of stream as unknown as AsyncIterable<WasmBatch>) {
      const table = tableFromIPC(wb.intoIPCStream());
      yield mlMatrixFromTable(table, path, grid);
    }
  } finally {
    file.free();
  }
}

/**
 * The ML matrix held in an Arrow table of {@link mlMatrixSchema}'s columns (as read from Parquet); the grid from
 * `grid` when given, else from the table's schema metadata.
 *
 * @example
 * const m = mlMatrixFromTable(tableFromIPC(bytes));
 */
export function mlMatrixFromTable(table: Table, file?: string, grid?: { log10Start: number; dlog10: number }): MlMatrix {
  const col = (name: string): Vector => {
    const v = table.getChild(name);
    if (!v)
      throw new QuasarError(`no column ${name}; an ML matrix has TARGETID, SCALE, FLUX, IVAR, MASK`, {
        scope: 'readMlMatrix',
        file,
        column: name,
      });
    return v;
  };
  const flux = col('FLUX');
  const type = flux.type as FixedSizeList;
  if (!(type instanceof FixedSizeList))
    throw new QuasarError(`FLUX is ${flux.type}, not a fixed-size list`, { scope: 'readMlMatrix', file, column: 'FLUX' });
  const npix = type.listSize;
  const log10Start = grid?.log10Start ?? Number(table.schema.metadata.get('ML_LOG10_START'));
  const dlog10 = grid?.dlog10 ?? Number(table.schema.metadata.get('ML_DLOG10'));
  if (!Number.isFinite(log10Start) || !(dlog10 > 0))
    throw new QuasarError('no ML_LOG10_START / ML_DLOG10 in the schema metadata: not an ML matrix file', { scope: 'readMlMatrix', file });
  const m = emptyMlMatrix(table.numRows, { log10Start, dlog10, npix });
  m.targetid.set(col('TARGETID').toArray() as BigInt64Array);
  m.scale.set(col('SCALE').toArray() as Float64Array);
  copyListValues(flux, m.flux);
  copyListValues(col('IVAR'), m.ivar);
  copyListValues(col('MASK'), m.mask);
  return m;
}

/** The child values of a FixedSizeList vector, chunk by chunk, into `out` (rows contiguous). */
function copyListValues(v: Vector, out: Float32Array | Uint8Array): void {
  let at = 0;
  for (const d of v.data) {
    const child = d.children[0]!;
    const width = (d.type as FixedSizeList).listSize;
    const values = child.values as Float32Array | Uint8Array;
    const start = child.offset + d.offset * width;
    out.set(values.subarray(start, start + d.length * width), at);
    at += d.length * width;
  }
}
