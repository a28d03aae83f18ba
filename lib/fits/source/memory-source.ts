import type { ByteSource } from './byte-source.js';

/**
 * A byte source over bytes already in memory (a decompressed `.fits.gz`, a test buffer).
 *
 * @example
 * const src = new MemorySource(bytes, 'test.fits');
 */
export class MemorySource implements ByteSource {
  readonly size: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly name: string = '<memory>',
  ) {
    this.size = bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.min(Math.max(0, offset), this.size);
    return this.bytes.subarray(start, Math.min(this.size, start + length));
  }

  async close(): Promise<void> {}
}
