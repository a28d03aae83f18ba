import { SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { inflateChunks } from './inflate.js';
import type { MemorySource } from './memory-source.js';

/**
 * A gzip file too large to keep inflated in memory, read by inflating it as a stream: its first bytes come from
 * memory (`prefix`, kept while its size was learnt), later ones from an inflater that moves forward, discarding what
 * no read asks for, and starts again from the beginning when a read goes back. Forward scans (a header walk, a table
 * or checksum pass, statistics) cost one inflation; each step back costs another. Reads are served one at a time.
 *
 * @example
 * const src = await gunzipSource(await FileSource.open('big.fits.gz')); // a GzipStreamSource past 512 MiB inflated
 */
export class GzipStreamSource implements ByteSource {
  readonly name: string;
  /** The inflater, the zlib chunk it last handed out, and where that chunk starts in the inflated stream. */
  private chunks: AsyncGenerator<Buffer> | undefined;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    /** The compressed bytes to inflate from (the file, or the bytes of a remote one kept in memory). */
    private readonly compressed: ByteSource,
    /** The source opened, closed with this one. */
    private readonly owned: ByteSource,
    private readonly prefix: MemorySource,
    readonly size: number,
    private readonly pieceBytes: number,
  ) {
    this.name = owned.name;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const next = this.queue.then(() => this.readNow(offset, length));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) throw new SourceError(this.name, 'read after close');
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= this.prefix.size) return this.prefix.readNow(start, end - start);
    const from = Math.max(start, this.prefix.size);
    await this.seek(from);
    const at = from - this.chunkStart;
    // inside the current chunk, and nothing from the prefix: a view, no copy
    if (start === from && end <= this.chunkStart + this.chunk.length) return this.chunk.subarray(at, at + end - start);
    const out = new Uint8Array(end - start);
    if (start < from) out.set(this.prefix.readNow(start, from - start));
    for (let pos = from; pos < end; ) {
      if (pos >= this.chunkStart + this.chunk.length) await this.next(pos);
      const piece = this.chunk.subarray(pos - this.chunkStart, Math.min(this.chunk.length, end - this.chunkStart));
      out.set(piece, pos - start);
      pos += piece.length;
    }
    return out;
  }

  /** Makes the current chunk the one holding byte `pos`: forward from here, or from the start when `pos` is behind. */
  private async seek(pos: number): Promise<void> {
    if (!this.chunks || pos < this.chunkStart) {
      await this.chunks?.return(undefined);
      this.chunks = inflateChunks(this.compressed, this.pieceBytes);
      this.chunk = Buffer.alloc(0);
      this.chunkStart = 0;
    }
    while (pos >= this.chunkStart + this.chunk.length) await this.next(pos);
  }

  /** The next chunk of the inflater; the stream ending before `pos` means the file changed since it was opened. */
  private async next(pos: number): Promise<void> {
    const r = await this.chunks!.next();
    if (r.done)
      throw new SourceError(
        this.name,
        `the gzip data ended at ${this.chunkStart + this.chunk.length} bytes, before byte ${pos}: did the file change?`,
      );
    this.chunkStart += this.chunk.length;
    this.chunk = r.value;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.chunks?.return(undefined);
    if (this.compressed !== this.owned) await this.compressed.close();
    await this.owned.close();
  }
}
