import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import yazl from 'yazl';
import { RayError } from '../errors/index.js';

/** The dashboard takes at most this much in one package upload (a 413 beyond). */
export const MAX_PACKAGE_BYTES = 100 * 1024 * 1024;

/**
 * A working_dir packed for Ray: the zip's bytes, its content-addressed name as Ray computes it (`_ray_pkg_` + 16 hex),
 * the `gcs://` URI a job's runtime_env names, what went in, and the paths left out by .gitignore/.rayignore/excludes.
 *
 * @example
 * const pkg: WorkingDirPackage = await packageWorkingDir('jobs/');
 * pkg.uri; // 'gcs://_ray_pkg_5f3c0a9e1b2d4c6f.zip'
 */
export interface WorkingDirPackage {
  dir: string;
  name: string;
  uri: string;
  zip: Buffer;
  files: number;
  /** Bytes of the files packed (before the zip's own headers). */
  bytes: number;
}

/**
 * Options of {@link packageWorkingDir}: `excludes` (gitwildmatch patterns relative to the directory, as runtime_env's
 * `excludes`), whether .gitignore files apply (default: yes, unless RAY_RUNTIME_ENV_IGNORE_GITIGNORE=1, as Ray), and
 * the size limit (default {@link MAX_PACKAGE_BYTES}).
 *
 * @example
 * const opts: PackageOptions = { excludes: ['*.parquet', 'runs/'], includeGitignore: true };
 */
export interface PackageOptions {
  excludes?: readonly string[];
  includeGitignore?: boolean;
  maxBytes?: number;
}

interface Excluder {
  base: string;
  ig: Ignore;
}

// Zip entries carry this time, so the same files give the same bytes on any machine and day (Ray's own zip carries
// mtimes; the server keys the package by its name, which ignores them).
const EPOCH = new Date(Date.UTC(1980, 0, 1));

/**
 * Packs a working_dir as Ray's runtime_env packaging does (ray/_private/runtime_env/packaging.py), so the name is the
 * one Ray itself computes and a package Ray already holds is never uploaded again: walk the directory, skipping what
 * `excludes` and every .gitignore / .rayignore (each for its own subtree) match; start from b"0" * 8 and XOR in the
 * first 8 bytes of sha1(relative path + file bytes) for each path walked, the root "." and directories (name only)
 * included. The zip is stored (no compression), entries in sorted order with a fixed time and the files' modes, empty
 * directories kept: the same tree gives the same bytes. A tree over `maxBytes` is refused before anything is read
 * whole, naming its largest entries (a .git folder is the usual culprit).
 *
 * @example
 * const pkg = await packageWorkingDir('jobs', { excludes: ['__pycache__/'] });
 * await client.uploadPackage(pkg); // GET, then PUT only if Ray lacks it
 */
export async function packageWorkingDir(dir: string, options: PackageOptions = {}): Promise<WorkingDirPackage> {
  const root = resolve(dir);
  const st = statOf(root);
  if (!st?.isDirectory()) throw new RayError(`working_dir ${dir} is not a directory`, { scope: 'packageWorkingDir', file: dir }, 2);
  const includeGitignore = options.includeGitignore ?? process.env.RAY_RUNTIME_ENV_IGNORE_GITIGNORE !== '1';
  const maxBytes = options.maxBytes ?? MAX_PACKAGE_BYTES;
  const entries: { rel: string; abs: string; dir: boolean; size: number; mode: number; empty: boolean }[] = [];
  const excluders: Excluder[] = [{ base: root, ig: ignore().add([...(options.excludes ?? [])]) }];

  const skipped = (abs: string) =>
    excluders.some(({ base, ig }) => {
      const rel = relative(base, abs).split(sep).join('/');
      return rel !== '' && !rel.startsWith('..') && ig.ignores(rel);
    });
  const walk = (abs: string): void => {
    const added: Excluder[] = [];
    const s = statOf(abs);
    if (s?.isDirectory()) {
      for (const f of [...(includeGitignore ? ['.gitignore'] : []), '.rayignore']) {
        const text = readText(join(abs, f));
        if (text !== undefined) added.push({ base: abs, ig: ignore().add(text) });
      }
    }
    excluders.push(...added);
    if (!skipped(abs)) {
      const rel = relative(root, abs).split(sep).join('/') || '.';
      const names = s?.isDirectory() ? readdirSync(abs).sort() : [];
      entries.push({
        rel,
        abs,
        dir: !!s?.isDirectory(),
        size: s?.isFile() ? s.size : 0,
        mode: s?.mode ?? 0o100644,
        empty: names.length === 0,
      });
      for (const n of names) walk(join(abs, n));
    }
    excluders.length -= added.length;
  };
  walk(root);

  const bytes = entries.reduce((n, e) => n + e.size, 0);
  if (bytes > maxBytes) {
    const top = entries
      .filter((e) => e.rel !== '.')
      .map((e) => ({ rel: e.rel.split('/')[0]!, size: e.size }))
      .reduce((m, e) => m.set(e.rel, (m.get(e.rel) ?? 0) + e.size), new Map<string, number>());
    const largest = [...top.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([n, b]) => `${n} ${(b / 2 ** 20).toFixed(1)} MiB`);
    throw new RayError(
      `working_dir ${dir} holds ${(bytes / 2 ** 20).toFixed(1)} MiB, over Ray's ${(maxBytes / 2 ** 20).toFixed(0)} MiB package limit (largest: ${largest.join(', ')}); add them to .rayignore or excludes`,
      { scope: 'packageWorkingDir', file: dir },
      2,
    );
  }

  const hash: Buffer = Buffer.from('00000000');
  const zip = new yazl.ZipFile();
  let files = 0;
  for (const e of entries) {
    const digest = createHash('sha1').update(e.rel);
    let content: Buffer | undefined;
    if (!e.dir) {
      try {
        content = readFileSync(e.abs);
      } catch (err) {
        throw new RayError(`cannot read ${e.rel} to pack it: ${(err as Error).message}`, { scope: 'packageWorkingDir', file: dir }, 2);
      }
      digest.update(content);
    }
    const d = digest.digest();
    for (let k = 0; k < 8; k++) hash[k] = hash[k]! ^ d[k]!;
    if (e.rel === '.') continue;
    if (content) {
      zip.addBuffer(content, e.rel, { mtime: EPOCH, mode: e.mode, compress: false });
      files++;
    } else if (e.empty) zip.addEmptyDirectory(e.rel, { mtime: EPOCH, mode: e.mode });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const name = `_ray_pkg_${hash.toString('hex')}`;
  return { dir: root, name, uri: `gcs://${name}.zip`, zip: Buffer.concat(chunks), files, bytes };
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function readText(p: string): string | undefined {
  try {
    return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
