import { open, rm, type FileHandle } from 'node:fs/promises';
import { InternalError } from '../../errors/index.js';

const SPILL_BYTES = 32 * 1024 * 1024;
const COPY_CHUNK = 4 * 1024 * 1024;

/**
 * The heap of a BINTABLE being written: variable-length array elements, which FITS places after all the rows.
 * Kept in memory up to 32 MB, then spilled to a temporary file, so a streamed table's memory stays bounded.
 *
 * @example
 * const heap = new HeapStore(`${path}.heap`);
 * await heap.append(bytes);
 * await heap.drain((chunk) => out.data(chunk));
 */
export class HeapStore {
  private chunks: Uint8Array[] = [];
  private memoryBytes = 0;
  private spill: FileHandle | undefined;
  private spilled = 0;

  constructor(private readonly spillPath: string) {}

  /** Total heap bytes so far: the next element's heap offset. */
  get size(): number {
    return this.spilled + this.memoryBytes;
  }

  /** Appends a copy of `bytes`. */
  async append(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.chunks.push(bytes.slice());
    this.memoryBytes += bytes.length;
    if (this.memoryBytes >= SPILL_BYTES) await this.flushToDisk();
  }

  private async flushToDisk(): Promise<void> {
    this.spill ??= await open(this.spillPath, 'w+');
    for (const c of this.chunks) {
      let done = 0;
      while (done < c.length) done += (await this.spill.write(c, done, c.length - done, this.spilled + done)).bytesWritten;
      this.spilled += c.length;
    }
    this.chunks = [];
    this.memoryBytes = 0;
  }

  /** Hands the whole heap, in order, to `sink` (awaiting each chunk), then releases it. */
  async drain(sink: (chunk: Uint8Array) => Promise<void>): Promise<void> {
    if (this.spill) {
      const buf = new Uint8Array(COPY_CHUNK);
      for (let pos = 0; pos < this.spilled; ) {
        const { bytesRead } = await this.spill.read(buf, 0, Math.min(COPY_CHUNK, this.spilled - pos), pos);
        if (bytesRead === 0) throw new InternalError(`the heap spill file is ${this.spilled - pos} bytes short`, { file: this.spillPath });
        await sink(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
    for (const c of this.chunks) await sink(c);
    await this.dispose();
  }

  /** Closes and removes the spill file, if any. */
  async dispose(): Promise<void> {
    this.chunks = [];
    this.memoryBytes = 0;
    const f = this.spill;
    this.spill = undefined;
    if (f) {
      await f.close();
      await rm(this.spillPath, { force: true });
    }
  }
}
