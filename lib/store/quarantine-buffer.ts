import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int64, type RecordBatch, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';

/** One quarantined row: where it was in its HDU (0-based), why it failed, the whole row as JSON. */
export interface QuarantinedRow {
  row: number;
  reasons: string;
  json: string;
}

/**
 * The quarantined rows of one load, in row order, in bounded memory: at most `memoryRows` are held as JS values; each
 * full chunk becomes one Arrow record batch (the quarantine table's columns) appended to a temporary file, read back
 * one batch at a time when the rows are written. A file with millions of failing rows (a wrong `--schema`, a corrupt
 * column) would otherwise hold every row's JSON in memory until its load ends.
 *
 * @example
 * const q = new QuarantineBuffer({ table: 'zcat', source: '/data/z.fits', hdu: 'ZCATALOG' });
 * await q.add({ row: 37, reasons: 'TARGET_RA: NaN', json: '{...}' });
 * for await (const batch of q.batches()) write(batch);
 * await q.close();
 */
export class QuarantineBuffer {
  #rows: QuarantinedRow[] = [];
  #count = 0;
  #dir: string | undefined;
  #file: FileHandle | undefined;
  #spilled: number[] = [];

  constructor(
    private readonly where: { table: string; source: string; hdu: string },
    private readonly memoryRows = 8192,
  ) {}

  /** Rows added so far. */
  get count(): number {
    return this.#count;
  }

  /** Rows held in memory now (never more than `memoryRows`). */
  get inMemory(): number {
    return this.#rows.length;
  }

  /** Chunks written to the temporary file so far. */
  get spilledChunks(): number {
    return this.#spilled.length;
  }

  async add(row: QuarantinedRow): Promise<void> {
    this.#rows.push(row);
    this.#count++;
    if (this.#rows.length >= this.memoryRows) await this.#spill();
  }

  /** Every row added, in order, as record batches of the quarantine table's columns. */
  async *batches(): AsyncGenerator<RecordBatch> {
    let at = 0;
    for (const length of this.#spilled) {
      const bytes = new Uint8Array(length);
      await this.#file!.read(bytes, 0, length, at);
      at += length;
      yield* tableFromIPC(bytes).batches;
    }
    if (this.#rows.length) yield* this.#table(this.#rows).batches;
  }

  /** Removes the temporary file. */
  async close(): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }

  async #spill(): Promise<void> {
    if (!this.#file) {
      this.#dir = await mkdtemp(join(tmpdir(), 'skybook-quarantine-'));
      this.#file = await open(join(this.#dir, 'rows.arrows'), 'w+');
    }
    const bytes = tableToIPC(this.#table(this.#rows), 'stream');
    await this.#file.write(bytes);
    this.#spilled.push(bytes.byteLength);
    this.#rows = [];
  }

  #table(rows: readonly QuarantinedRow[]): Table {
    const { table, source, hdu } = this.where;
    const text = (f: (r: QuarantinedRow) => string) => vectorFromArray(rows.map(f), new Utf8());
    return new Table({
      table_name: text(() => table),
      source_path: text(() => source),
      hdu: text(() => hdu),
      row_number: vectorFromArray(
        rows.map((r) => BigInt(r.row)),
        new Int64(),
      ),
      reasons: text((r) => r.reasons),
      row_json: text((r) => r.json),
    });
  }
}
