import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../notebook/index.js';

/** A file or folder as hashed: sha256 of the bytes (a folder: of its listing, see `HashCache.hash`), size in bytes. */
export interface Digest {
  sha256: string;
  size: number;
  /** Files under a folder (a folder only). */
  files?: number;
}

interface Entry {
  size: number;
  mtimeNs: string;
  ino: string;
  sha256: string;
}

/**
 * File hashes remembered by (size, mtime in ns, inode), so deciding that a pipeline is up to date stats its deps and
 * rehashes only what changed (the complaint of dvc#7390 against older DVCs; DVC 3 keeps such a cache too). Kept in `.skybook/hash-cache.json`, written
 * atomically; a missing or damaged cache is only slower. Two files made in the same nanosecond with the same size and
 * inode cannot be told apart — the cost of never reading unchanged bytes, which DVC and git accept too.
 *
 * @example
 * const cache = new HashCache('.skybook/hash-cache.json');
 * cache.hash('/abs/data/zall.fits') // { sha256: '…', size: 2_000_000_000 } (read once, then stat only)
 * cache.save();
 */
export class HashCache {
  private entries: Record<string, Entry> = {};
  private dirty = false;
  /** Bytes read to hash during this cache's life (what `bench/pipeline` and tests watch). */
  bytesHashed = 0;

  constructor(readonly file: string) {
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; entries?: Record<string, Entry> };
      if (v.version === 1 && v.entries) this.entries = v.entries;
    } catch {
      // absent or damaged: start empty
    }
  }

  /**
   * The digest of a file, or of a folder: sha256 over `relative-path NUL sha256 NUL size LF` for every file under it,
   * sorted by path (so a new, removed, renamed or changed file changes it), size the total. Undefined when nothing is
   * there.
   */
  hash(abs: string): Digest | undefined {
    let st;
    try {
      st = statSync(abs, { bigint: true });
    } catch {
      return undefined;
    }
    if (st.isDirectory()) return this.hashFolder(abs);
    return { sha256: this.fileHash(abs, st.size, st.mtimeNs, st.ino), size: Number(st.size) };
  }

  /** Writes the cache if it changed (atomically: a reader never sees half a file). */
  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomicSync(this.file, JSON.stringify({ version: 1, entries: this.entries }));
    this.dirty = false;
  }

  private fileHash(abs: string, size: bigint, mtimeNs: bigint, ino: bigint): string {
    const e = this.entries[abs];
    if (e && e.size === Number(size) && e.mtimeNs === String(mtimeNs) && e.ino === String(ino)) return e.sha256;
    const sha256 = sha256File(abs);
    this.bytesHashed += Number(size);
    this.entries[abs] = { size: Number(size), mtimeNs: String(mtimeNs), ino: String(ino), sha256 };
    this.dirty = true;
    return sha256;
  }

  private hashFolder(abs: string): Digest {
    const listing = createHash('sha256');
    let size = 0;
    let files = 0;
    for (const rel of filesUnder(abs)) {
      const st = statSync(join(abs, rel), { bigint: true });
      const sha = this.fileHash(join(abs, rel), st.size, st.mtimeNs, st.ino);
      listing.update(`${rel}\0${sha}\0${st.size}\n`);
      size += Number(st.size);
      files++;
    }
    return { sha256: listing.digest('hex'), size, files };
  }
}

/** Every file under a folder, relative, sorted by code point (stable across machines and locales); links followed. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const isDir = d.isDirectory() || (d.isSymbolicLink() && existsSync(join(root, r)) && statSync(join(root, r)).isDirectory());
      if (isDir) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** sha256 of a file read in 4 MiB blocks (memory flat in the file's size). */
function sha256File(abs: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(abs, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
