import { stat } from 'node:fs/promises';
import { hashFile } from '../../provenance/index.js';

/** What a file holds now: its sha256 and size, or null when it is gone (or is not a file). */
export type CurrentBytes = { sha256: string; size: number } | null;

/**
 * Files' current bytes, each hashed at most once per instance. A file whose size differs from the recorded one has
 * changed without reading it, so only files that might still match are hashed (a lineage over 2 GB of FITS inputs
 * reads only those whose size is unchanged).
 *
 * @example
 * const bytes = new CurrentBytesCache();
 * (await bytes.differs({ path: '/p/a.fits', sha256: 'ab...', size: 2880 })) // false when the file still holds those bytes
 */
export class CurrentBytesCache {
  private readonly hashes = new Map<string, Promise<CurrentBytes>>();
  private readonly sizes = new Map<string, Promise<number | null>>();

  /** The file's sha256 and size now, or null when it is not there. */
  now(path: string): Promise<CurrentBytes> {
    let p = this.hashes.get(path);
    if (!p) {
      p = this.size(path).then(async (size) => (size === null ? null : { sha256: (await hashFile(path)).sha256, size }));
      this.hashes.set(path, p);
    }
    return p;
  }

  /** Whether the file no longer holds the bytes recorded (a missing file differs). */
  async differs(recorded: { path: string; sha256: string; size: number }): Promise<boolean> {
    const size = await this.size(recorded.path);
    if (size === null || size !== recorded.size) return true;
    return (await this.now(recorded.path))?.sha256 !== recorded.sha256;
  }

  private size(path: string): Promise<number | null> {
    let p = this.sizes.get(path);
    if (!p) {
      p = stat(path).then(
        (s) => (s.isFile() ? s.size : null),
        () => null,
      );
      this.sizes.set(path, p);
    }
    return p;
  }
}
