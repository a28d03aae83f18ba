import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type RecordBatch, Table, tableToIPC } from 'apache-arrow';

interface PqBatch {
  free(): void;
}
interface ParquetWasm {
  Table: { fromIPCStream(b: Uint8Array): { recordBatches(): PqBatch[] } };
  transformParquetStream(stream: ReadableStream): Promise<ReadableStream<Uint8Array>>;
}

let wasm: ParquetWasm | undefined;
function parquetWasm(): ParquetWasm {
  wasm ??= createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return wasm;
}

/**
 * Writes a Parquet file from Arrow record batches as they come (parquet-wasm's streaming writer), so a truth table of
 * millions of rows never sits in memory whole. The file appears under its name only after `close()`.
 *
 * @example
 * const w = new ParquetStreamWriter('quasars.parquet');
 * await w.write(batch);
 * await w.close();
 */
export class ParquetStreamWriter {
  private readonly tmp: string;
  private controller!: ReadableStreamDefaultController<PqBatch>;
  private wanted: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(readonly path: string) {
    this.tmp = `${path}.partial-${process.pid}`;
    const input = new ReadableStream<PqBatch>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => {
          this.wanted?.();
          this.wanted = undefined;
        },
      },
      { highWaterMark: 2 },
    );
    const file = createWriteStream(this.tmp);
    this.done = (async () => {
      const bytes = await parquetWasm().transformParquetStream(input);
      for await (const chunk of bytes as unknown as AsyncIterable<Uint8Array>) {
        if (!file.write(chunk)) await new Promise<void>((r) => file.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
    })();
    this.done.catch(() => undefined);
  }

  /** Queues one batch; waits while the writer is two batches behind. */
  async write(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) return;
    await this.writeIpc(tableToIPC(new Table([batch]), 'stream'));
  }

  /**
   * Queues the batches of an Arrow IPC stream (what a worker thread sent), without decoding and encoding them again
   * here; the schema must be the file's. Waits while the writer is two batches behind.
   *
   * @example
   * await writer.writeIpc(message.ipc);
   */
  async writeIpc(stream: Uint8Array): Promise<void> {
    for (const pq of parquetWasm().Table.fromIPCStream(stream).recordBatches()) {
      while ((this.controller.desiredSize ?? 1) <= 0)
        await new Promise<void>((r) => {
          this.wanted = r;
        });
      this.controller.enqueue(pq);
    }
  }

  /** Ends the stream and moves the file to its name. */
  async close(): Promise<void> {
    this.controller.close();
    await this.done;
    await rename(this.tmp, this.path);
  }

  /** Abandons the file. */
  async abort(): Promise<void> {
    try {
      this.controller.error(new DOMException('aborted', 'AbortError'));
    } catch {
      /* already closed */
    }
    await this.done.catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}
