import { readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { open, type FileHandle } from 'node:fs/promises';
import { IS_A_DIRECTORY, SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { fileError } from './file-error.js';
import { mappedAddon, type MappedAddon, type MappingHandle } from './mapped/native.js';

/** Native threads per gather: two halve the time of one column of a big table on a 2-core machine; more add little. */
const GATHER_THREADS = Math.min(4, availableParallelism());

/**
 * A local file read with positional reads: only the ranges asked for ever enter memory. With the native addon built, a
 * few fields of many rows are also copied out of a memory map of the file (`gatherRowsSync`).
 *
 * @example
 * const src = await FileSource.open('zall-pix-iron.fits');
 */
export class FileSource implements ByteSource {
  /** The file mapped read-only, made on the first use of `gatherRowsSync`; null: it could not be mapped. */
  private mapping: MappingHandle | null | undefined;

  private constructor(
    private handle: FileHandle | undefined,
    readonly name: string,
    readonly size: number,
    private readonly addon: MappedAddon | null = mappedAddon(),
  ) {}

  static async open(path: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw fileError(path, e);
    }
    const st = await handle.stat();
    if (st.isDirectory()) {
      await handle.close();
      throw new SourceError(path, IS_A_DIRECTORY);
    }
    return new FileSource(handle, path, st.size);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!this.handle) throw new SourceError(this.name, 'read after close');
    const start = Math.min(Math.max(0, offset), this.size);
    const n = Math.max(0, Math.min(length, this.size - start));
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buf, done, n - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, done);
  }

  /** The open file descriptor, for positional reads on other threads (fits/image/gather.ts). */
  get fd(): number {
    if (!this.handle) throw new SourceError(this.name, 'read after close');
    return this.handle.fd;
  }

  /** A positional read into `target` (a blocking `pread`: meant for small pieces of a file in the page cache). */
  readIntoSync(offset: number, target: Uint8Array): number {
    if (!this.handle) throw new SourceError(this.name, 'read after close');
    const start = Math.min(Math.max(0, offset), this.size);
    const n = Math.max(0, Math.min(target.length, this.size - start));
    let done = 0;
    while (done < n) {
      const got = readSync(this.handle.fd, target, done, n - done, start + done);
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  /**
   * See {@link ByteSource.gatherRowsSync}: present where the native addon is built and the file can be mapped as large
   * as it was opened. Maps it on first use; a file that could not be mapped (it shrank since it was opened, or its file
   * system has no mmap) has none, and its readers fall back to positional reads, which name the first missing row.
   */
  get gatherRowsSync(): ((offset: number, rowBytes: number, rows: number, fields: Int32Array, target: Uint8Array) => number) | undefined {
    const addon = this.addon;
    if (!addon || !this.handle || this.size === 0) return undefined;
    if (this.mapping === undefined) this.mapping = addon.map(this.handle.fd, this.size);
    const mapping = this.mapping;
    if (!mapping) return undefined;
    return (offset, rowBytes, rows, fields, target) => {
      if (!this.handle) throw new SourceError(this.name, 'read after close');
      // rows past the end of the file as opened are not copied: the caller reports the first of them
      const whole = Math.max(0, Math.min(rows, Math.floor((this.size - offset) / rowBytes)));
      return whole === 0 ? 0 : addon.gatherRows(mapping, offset, rowBytes, whole, fields, target, GATHER_THREADS);
    };
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (this.mapping) this.addon?.unmap(this.mapping);
    this.mapping = undefined;
    await h?.close();
  }
}
