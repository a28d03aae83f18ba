import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../../core/index.js';

/** An open read-only map of a file (an opaque handle held by the addon). */
export type MappingHandle = { readonly __mapping: unique symbol };

/** A gatherRanges call under way. */
export type GatherHandle = { readonly __gather: unique symbol };

/** The functions `mapped-file.cc` exports: memory-mapped row fields, native-thread range reads, fresh buffers. */
export interface MappedAddon {
  /** Maps the first `length` bytes of the open file `fd`; null when the file is now shorter or the map is refused. */
  map(fd: number, length: number): MappingHandle | null;
  /** Releases a mapping now (otherwise at garbage collection); later use throws. */
  unmap(mapping: MappingHandle): void;
  /**
   * Copies fields (`fields` = [offset, width, offset, width, ...] within a row) of `rows` rows starting `at` bytes into the
   * mapping into `dest` as packed rows, over `threads` native threads. Returns the rows copied whole: fewer than `rows`
   * only when the file shrank under the mapping.
   */
  gatherRows(
    mapping: MappingHandle,
    at: number,
    rowBytes: number,
    rows: number,
    fields: Int32Array,
    dest: Uint8Array,
    threads: number,
  ): number;
  /**
   * Starts reading byte ranges of the open file `fd` into `dests` (one ArrayBuffer per job, its ranges one after
   * another) with pread, turning big-endian `word`-byte values into this machine's order (and flipping the top bit of
   * BZERO-unsigned 32-bit integers), on libuv's thread pool with `threads` native threads. `ranges` = [position,
   * length, ...]; `jobs` = [first range, range count, word, flipSign 0/1, ...]. `done` resolves to -1, or to the first
   * job not read whole (the file ends first). `fd` must stay open and the buffers unused until it settles.
   */
  gatherRanges(
    fd: number,
    ranges: Float64Array,
    jobs: Int32Array,
    dests: ArrayBuffer[],
    threads: number,
  ): { handle: GatherHandle; done: Promise<number> };
  /** This thread joins a gather under way, reading until no piece is left to take; then await its `done`. */
  helpGather(handle: GatherHandle): void;
  /**
   * Fresh zeroed ArrayBuffers of these lengths, each mapped straight from the kernel (2 MiB pages from 4 MiB on), freed
   * one by one when collected. Throws where Node refuses outside memory for ArrayBuffers.
   */
  freshArrayBuffers(lengths: readonly number[]): ArrayBuffer[];
}

/** Where `npm run build` puts the compiled addon (scripts/build-native.ts). */
export const ADDON_FILE = 'skybook-mapped.node';

let loaded: MappedAddon | null | undefined;

/** The addon's path, from the sources (`lib/...`, under vitest) or from the build (`dist/lib/...`); undefined if not built. */
export function addonPath(): string | undefined {
  const path = join(packageRoot(), 'dist', 'native', ADDON_FILE);
  return existsSync(path) ? path : undefined;
}

/**
 * The native addon (memory-mapped row fields, native-thread range reads), or null where it was not built (no C++
 * compiler or Node headers at build time) or is switched off with `SKYBOOK_MMAP=0`; callers then read with positional
 * reads.
 */
export function mappedAddon(): MappedAddon | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.SKYBOOK_MMAP === '0') return loaded;
  const path = addonPath();
  if (!path) return loaded;
  try {
    loaded = createRequire(import.meta.url)(path) as MappedAddon;
  } catch {
    loaded = null; // built for another Node ABI or platform: positional reads still work
  }
  return loaded;
}
