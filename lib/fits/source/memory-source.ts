import type { ByteSource } from './byte-source.js';

/**
 * A byte source over bytes already in memory (a decompressed `.fits.gz`, a test buffer): one array, or consecutive
 * chunks (as zlib hands out an inflated stream), which are never joined into one copy. A read inside one chunk is a
 * view of it; a read across chunks is copied into a buffer of its own.
 *
 * @example
 * const src = new MemorySource(bytes, 'test.fits');
 * const joined = new MemorySource([head, tail], 'two-chunks.fits');
 */
export class MemorySource implements ByteSource {
  readonly size: number;
  private readonly chunks: readonly Uint8Array[];
  /** Where each chunk starts, and the size after the last. */
  private readonly starts: Float64Array;

  constructor(
    bytes: Uint8Array | readonly Uint8Array[],
    readonly name: string = '<memory>',
  ) {
    this.chunks = bytes instanceof Uint8Array ? [bytes] : bytes.filter((c) => c.length > 0);
    this.starts = new Float64Array(this.chunks.length + 1);
    for (let i = 0; i < this.chunks.length; i++) this.starts[i + 1] = this.starts[i]! + this.chunks[i]!.length;
    this.size = this.starts[this.chunks.length]!;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readNow(offset, length);
  }

  /** {@link read} without the promise. */
  readNow(offset: number, length: number): Uint8Array {
    const start = Math.min(Math.max(0, offset), this.size);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (this.chunks.length === 1) return this.chunks[0]!.subarray(start, end);
    if (end === start) return new Uint8Array(0);
    let i = this.chunkAt(start);
    const first = this.chunks[i]!;
    const from = start - this.starts[i]!;
    if (end <= this.starts[i + 1]!) return first.subarray(from, from + end - start);
    const out = new Uint8Array(end - start);
    for (let pos = start; pos < end; i++) {
      const c = this.chunks[i]!;
      const piece = c.subarray(pos - this.starts[i]!, Math.min(c.length, end - this.starts[i]!));
      out.set(piece, pos - start);
      pos += piece.length;
    }
    return out;
  }

  /** The chunk holding byte `offset` (< size): a binary search over the chunk starts. */
  private chunkAt(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async close(): Promise<void> {}
}
