import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { type RecordBatch, Schema, Table } from 'apache-arrow';
import { FitsError, SourceError } from '../../errors/index.js';
import type { PlanInputs } from './column-plan.js';
import { HduOutput } from './hdu-output.js';
import { imageCards, writeImageData } from './image-writer.js';
import { scanTable } from './table-stats.js';
import { TableHduWriter, type TableWriterSetup } from './table-writer.js';
import { checkUserCards, resolveOptions, type ImageHdu, type ResolvedWriteOptions, type TableHdu, type WriteOptions } from './types.js';

/** Options of `beginTable`: the TableHdu fields other than the data. */
export type BeginTableOptions = Omit<TableHdu, 'kind' | 'table' | 'schema'> & { known?: Pick<PlanInputs, 'stringWidths' | 'tnulls'> };

/**
 * A FITS file being written, HDU by HDU. It writes to a temporary file beside the target and renames it on
 * `close()`, so a failed write never leaves a half-written file under the target's name. A table first in the file
 * gets an empty primary HDU before it.
 *
 * @example
 * const w = await FitsWriter.create('out.fits', { overwrite: true });
 * await w.addImage({ kind: 'image', data: pixels, naxis: [nx, ny] });
 * const t = await w.beginTable(schema, { name: 'EVENTS', stringWidths: { NAME: 16 } });
 * for await (const batch of batches) await t.write(batch);
 * await t.end();
 * await w.close();
 */
export class FitsWriter {
  private hduCount = 0;
  private open: TableHduWriter | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private readonly file: FileHandle,
    private readonly options: ResolvedWriteOptions,
    private readonly out = new HduOutput(file, 0, { file: path, hdu: 0 }, options.checksum),
  ) {}

  /** Opens a temporary file beside `path`; fails if `path` exists and `overwrite` is not set. */
  static async create(path: string, options?: WriteOptions): Promise<FitsWriter> {
    if (typeof path !== 'string' || path === '') throw new FitsError(`invalid target ${JSON.stringify(path)}: expected a file path`);
    const opts = resolveOptions(options, path);
    if (!opts.overwrite && existsSync(path)) throw new SourceError(path, 'already exists (pass { overwrite: true } to replace it)');
    const tempPath = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
    let file: FileHandle;
    try {
      file = await open(tempPath, 'wx');
    } catch (e) {
      throw new SourceError(path, `cannot create ${tempPath}: ${(e as Error).message}`, { cause: e });
    }
    return new FitsWriter(path, tempPath, file, opts);
  }

  private where(): { file: string; hdu: number } {
    return { file: this.path, hdu: this.hduCount };
  }

  private next(): HduOutput {
    if (this.closed) throw new FitsError('the writer is closed', { file: this.path });
    if (this.open) throw new FitsError('a table HDU is still being written: call end() on it first', this.where());
    return new HduOutput(this.file, this.out.position, this.where(), this.options.checksum);
  }

  private finish(out: HduOutput): void {
    this.out.position = out.position;
    this.hduCount++;
  }

  /** Writes one image HDU (the primary array when it is the first HDU). */
  async addImage(hdu: ImageHdu): Promise<void> {
    const out = this.next();
    const cards = imageCards(hdu, this.hduCount === 0, checkUserCards(hdu.cards, this.where()), this.where());
    await out.begin(cards);
    await writeImageData(out, hdu.data, this.options.chunkBytes);
    await out.end(cards);
    this.finish(out);
  }

  /**
   * Starts a BINTABLE HDU for batches that arrive one at a time. String widths must be known (`stringWidths` or
   * field metadata `fits.TFORM`); nullable integer columns get a TNULL at the end of their range unless field
   * metadata `fits.TNULL` says otherwise.
   */
  async beginTable(schema: Schema, options: BeginTableOptions = {}): Promise<TableHduWriter> {
    if (this.hduCount === 0) await this.addImage({ kind: 'image' });
    const out = this.next();
    const where = this.where();
    const known = options.known;
    const inputs: PlanInputs = {
      stringWidths: new Map([...Object.entries(options.stringWidths ?? {}), ...(known?.stringWidths ?? [])]),
      tnulls: known?.tnulls ?? new Map(),
      streaming: known === undefined,
    };
    const setup: TableWriterSetup = {
      out,
      where,
      inputs,
      cards: checkUserCards(options.cards, where),
      chunkBytes: this.options.chunkBytes,
      heapPath: `${this.tempPath}.heap`,
      onEnd: () => {
        this.open = undefined;
        this.finish(out);
      },
    };
    if (options.name !== undefined) setup.name = options.name;
    const table = await TableHduWriter.begin(setup, schema);
    this.open = table;
    return table;
  }

  /** Writes a whole table HDU from an Arrow table, an array of batches, or an (async) iterable of batches. */
  async addTable(hdu: Omit<TableHdu, 'kind'>): Promise<void> {
    const src = hdu.table;
    const batches = src instanceof Table ? src.batches : Array.isArray(src) ? (src as RecordBatch[]) : undefined;
    if (batches) {
      const schema = src instanceof Table ? src.schema : (hdu.schema ?? batches[0]?.schema ?? new Schema([]));
      const known = scanTable(schema, batches);
      for (const [k, v] of Object.entries(hdu.stringWidths ?? {})) known.stringWidths.set(k, Math.max(v, known.stringWidths.get(k) ?? 0));
      const t = await this.beginTable(schema, { ...hdu, known });
      try {
        for (const b of batches) await t.write(b);
        await t.end();
      } catch (e) {
        await t.abort();
        throw e;
      }
      return;
    }
    const iterator =
      Symbol.asyncIterator in (src as object)
        ? (src as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]()
        : (src as Iterable<RecordBatch>)[Symbol.iterator]();
    let first = await iterator.next();
    const schema = hdu.schema ?? (first.done ? undefined : (first.value as RecordBatch).schema);
    if (!schema) throw new FitsError('a streamed table with no batches needs its schema', this.where());
    const t = await this.beginTable(schema, hdu);
    try {
      for (; !first.done; first = await iterator.next()) await t.write(first.value as RecordBatch);
      await t.end();
    } catch (e) {
      await t.abort();
      throw e;
    }
  }

  /** Finishes the file (an empty primary HDU if nothing was written) and moves it to its final name. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.open) throw new FitsError('a table HDU is still being written: call end() on it first', this.where());
    if (this.hduCount === 0) await this.addImage({ kind: 'image' });
    this.closed = true;
    await this.file.close();
    if (!this.options.overwrite && existsSync(this.path)) {
      await rm(this.tempPath, { force: true });
      throw new SourceError(this.path, 'appeared while it was being written; not replaced');
    }
    await rename(this.tempPath, this.path);
  }

  /** Abandons the file: closes and deletes the temporary file. */
  async abort(): Promise<void> {
    const t = this.open;
    this.open = undefined;
    await t?.abort();
    if (!this.closed) {
      this.closed = true;
      await this.file.close().catch(() => undefined);
    }
    await rm(this.tempPath, { force: true });
    await rm(`${this.tempPath}.heap`, { force: true });
  }
}
