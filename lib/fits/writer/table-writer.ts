import type { RecordBatch, Schema } from 'apache-arrow';
import { FitsError } from '../../errors/index.js';
import type { CardInput } from '../header/format.js';
import { columnCards, planColumns, type ColumnPlan, type PlanInputs } from './column-plan.js';
import type { HduOutput } from './hdu-output.js';
import { HeapStore } from './heap-store.js';
import { RowEncoder } from './row-encoder.js';

/** Buffers in the ring: with 1 MiB chunks, up to 3 MiB queued for the disk while the 4th is filled. */
const RING = 4;

/** What a table HDU needs besides its schema. */
export interface TableWriterSetup {
  out: HduOutput;
  where: { file: string; hdu: number };
  inputs: PlanInputs;
  name?: string;
  cards: CardInput[];
  chunkBytes: number;
  heapPath: string;
  /** Called once the HDU is complete (the file writer moves on to the next HDU). */
  onEnd?: () => void;
}

/**
 * Writes one BINTABLE HDU from Arrow record batches, chunk by chunk: rows are transposed into one of four reusable
 * buffers while the others are being written, so memory stays at four chunks (plus the heap's 32 MB) whatever the row
 * count. NAXIS2, PCOUNT and the `1PX(max)` TFORMs are filled in when `end()` rewrites the header.
 *
 * @example
 * const t = await writer.beginTable(schema, { name: 'EVENTS' });
 * for await (const batch of batches) await t.write(batch);
 * await t.end();
 */
export class TableHduWriter {
  private rows = 0;
  private fill = 0;
  /** A ring of buffers: one being filled while the others are being written. */
  private readonly ring: { bytes: Uint8Array; view: DataView; written: Promise<void> }[];
  private slot = 0;
  private current: { bytes: Uint8Array; view: DataView; written: Promise<void> };
  private readonly rowsPerChunk: number;
  private readonly encoder: RowEncoder;
  private readonly heap: HeapStore | undefined;
  private readonly typeNames: string[];
  private ended = false;
  private pcount = 0;

  private constructor(
    private readonly setup: TableWriterSetup,
    private readonly schema: Schema,
    private readonly plans: ColumnPlan[],
    private readonly rowWidth: number,
  ) {
    this.rowsPerChunk = rowWidth === 0 ? Number.MAX_SAFE_INTEGER : Math.max(1, Math.floor(setup.chunkBytes / rowWidth));
    const size = rowWidth === 0 ? 0 : this.rowsPerChunk * rowWidth;
    this.ring = Array.from({ length: RING }, () => {
      const bytes = new Uint8Array(size);
      return { bytes, view: new DataView(bytes.buffer), written: Promise.resolve() };
    });
    this.current = this.ring[0]!;
    this.heap = plans.some((p) => p.kind === 'vla') ? new HeapStore(setup.heapPath) : undefined;
    this.encoder = new RowEncoder(plans, rowWidth, this.heap, setup.where);
    this.typeNames = schema.fields.map((f) => String(f.type));
  }

  /** Plans the columns and writes the header with placeholder NAXIS2/PCOUNT. */
  static async begin(setup: TableWriterSetup, schema: Schema): Promise<TableHduWriter> {
    let plans: ColumnPlan[];
    try {
      plans = planColumns(schema, setup.inputs);
    } catch (e) {
      if (e instanceof FitsError) throw new FitsError(e.message, setup.where, { cause: e });
      throw e;
    }
    const rowWidth = plans.reduce((a, p) => a + p.width, 0);
    const w = new TableHduWriter(setup, schema, plans, rowWidth);
    await setup.out.begin(w.header());
    return w;
  }

  private header(): CardInput[] {
    const name = this.setup.name ?? this.schema.metadata.get('fits.EXTNAME');
    const cards: CardInput[] = [
      { keyword: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
      { keyword: 'BITPIX', value: 8, comment: 'array data type' },
      { keyword: 'NAXIS', value: 2, comment: 'number of array dimensions' },
      { keyword: 'NAXIS1', value: this.rowWidth, comment: 'length of dimension 1' },
      { keyword: 'NAXIS2', value: this.rows, comment: 'length of dimension 2' },
      { keyword: 'PCOUNT', value: this.pcount, comment: 'number of group parameters' },
      { keyword: 'GCOUNT', value: 1, comment: 'number of groups' },
      { keyword: 'TFIELDS', value: this.plans.length, comment: 'number of table fields' },
      ...this.plans.flatMap(columnCards),
    ];
    if (name !== undefined && name !== '') cards.push({ keyword: 'EXTNAME', value: name, comment: 'extension name' });
    return [...cards, ...this.setup.cards];
  }

  /** Appends the rows of one batch (its schema must match the table's). */
  async write(batch: RecordBatch): Promise<void> {
    if (this.ended) throw new FitsError('write() after end()', this.setup.where);
    const fields = batch.schema.fields;
    if (fields.length !== this.plans.length || fields.some((f, i) => String(f.type) !== this.typeNames[i])) {
      throw new FitsError(`a record batch's schema (${fields.map((f) => `${f.name}: ${f.type}`).join(', ')}) differs from the table's`, {
        ...this.setup.where,
        row: this.rows,
      });
    }
    const n = batch.numRows;
    if (this.rowWidth === 0) {
      this.rows += n;
      return;
    }
    for (let r = 0; r < n; ) {
      const take = Math.min(this.rowsPerChunk - this.fill, n - r);
      await this.encoder.encode(batch, r, take, this.current.bytes, this.current.view, this.fill, this.rows);
      this.fill += take;
      r += take;
      if (this.fill === this.rowsPerChunk) await this.flush();
    }
    this.rows += n;
  }

  private async flush(): Promise<void> {
    if (this.fill === 0) return;
    this.current.written = this.setup.out.data(this.current.bytes.subarray(0, this.fill * this.rowWidth));
    this.slot = (this.slot + 1) % RING;
    this.current = this.ring[this.slot]!;
    await this.current.written; // its last write must finish before it is refilled
    this.fill = 0;
  }

  private async settled(): Promise<void> {
    await Promise.all(this.ring.map((b) => b.written));
  }

  /** Writes the last rows and the heap, then the final header. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.flush();
    await this.settled();
    this.pcount = this.heap?.size ?? 0;
    await this.heap?.drain((chunk) => this.setup.out.data(chunk));
    await this.setup.out.end(this.header());
    this.setup.onEnd?.();
  }

  /** Releases the heap's spill file after a failure. */
  async abort(): Promise<void> {
    this.ended = true;
    await this.settled().catch(() => undefined);
    await this.heap?.dispose();
  }
}
