import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** An open read-only map of part of a file (an opaque handle held by the addon). */
export type MappingHandle = { readonly __mapping: unique symbol };

/** The functions `mapped-file.cc` exports. */
export interface MappedAddon {
  /** Maps `length` bytes of the open file `fd` from `offset`; null when the file is now shorter or the map is refused. */
  map(fd: number, offset: number, length: number): MappingHandle | null;
  /** Releases a mapping now (otherwise at garbage collection); later use throws. */
  unmap(mapping: MappingHandle): void;
  /**
   * Copies fields (`fields` = [offset, width, offset, width, ...] within a row) of `rows` rows starting `at` bytes into the
   * mapping into `dest` as packed rows, over `threads` native threads. Returns the rows copied whole: fewer than `rows`
   * only when the file shrank under the mapping.
   */
  gatherRows(mapping: MappingHandle, at: number, rowBytes: number, rows: number, fields: Int32Array, dest: Uint8Array, threads: number): number;
}

/** Where `npm run build` puts the compiled addon (scripts/build-native.ts). */
export const ADDON_FILE = 'skybook-mapped.node';

let loaded: MappedAddon | null | undefined;

/** The addon's path, from the sources (`lib/...`, under vitest) or from the build (`dist/lib/...`); undefined if not built. */
export function addonPath(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '../../../../dist/native', ADDON_FILE), join(here, '../../../../native', ADDON_FILE)];
  return candidates.find((p) => existsSync(p));
}

/**
 * The memory-map addon, or null where it was not built (no C++ compiler or Node headers at build time) or is switched
 * off with `SKYBOOK_MMAP=0`; callers then read with positional reads.
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
