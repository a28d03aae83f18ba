import { fileURLToPath } from 'node:url';
import { SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { FileSource } from './file-source.js';
import { MemorySource } from './memory-source.js';
import type { GzipOptions } from './gzip.js';
import type { HttpSourceOptions } from './http-source.js';
import type { S3Options } from './s3.js';

/**
 * Options for {@link openSource}: those of every scheme's opener, plus gzip handling.
 *
 * @example
 * await openSource('s3://desidata/x.fits', { region: 'us-west-2', retries: 2 });
 */
export interface OpenSourceOptions extends Omit<HttpSourceOptions, 'name'>, S3Options, GzipOptions {
  /** Inflate a gzip file (detected by its first two bytes); `false` hands back the compressed bytes (default true). */
  gunzip?: boolean;
}

/**
 * Opens one scheme's locations. `location` is the string as given (or the `URL`'s href).
 *
 * @example
 * const opener: SchemeOpener = async (location) => new MemorySource(await download(location), location);
 */
export type SchemeOpener = (location: string, options: OpenSourceOptions) => Promise<ByteSource>;

// The remote openers load their modules (http, https, zod) on first use: a local file never pays for them.
const openers = new Map<string, SchemeOpener>([
  ['file', async (location) => FileSource.open(location.startsWith('file:') ? fileURLToPath(location) : location)],
  ['http', async (location, options) => (await import('./http-source.js')).HttpSource.open(location, options)],
  ['https', async (location, options) => (await import('./http-source.js')).HttpSource.open(location, options)],
  ['s3', async (location, options) => (await import('./s3.js')).openS3(location, options)],
]);

/**
 * Adds (or replaces) the opener for a URL scheme, e.g. `gs` or `root`. The scheme is given without `:`, any case.
 *
 * @example
 * registerScheme('mem', async (location) => new MemorySource(buffers.get(location)!, location));
 */
export function registerScheme(scheme: string, opener: SchemeOpener): void {
  const s = scheme.replace(/:$/, '').toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*$/.test(s)) throw new SourceError(scheme, 'invalid URL scheme name');
  openers.set(s, opener);
}

/** Schemes {@link openSource} knows, sorted. */
export function registeredSchemes(): string[] {
  return [...openers.keys()].sort();
}

/**
 * The scheme of a location: `file` for a plain path (Windows drive letters included), else the part before `://` or `:`.
 *
 * @example
 * schemeOf('s3://desidata/x.fits'); // 's3'
 * schemeOf('data/x.fits'); // 'file'
 */
export function schemeOf(location: string | URL): string {
  if (location instanceof URL) return location.protocol.replace(/:$/, '').toLowerCase();
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  if (!m || /^[a-zA-Z]:[\\/]/.test(location)) return 'file';
  // a relative path such as 'a:b.fits' has no '//' and no registered scheme: treat it as a file name
  const scheme = m[1]!.toLowerCase();
  return location.startsWith('//', m[0].length) || openers.has(scheme) ? scheme : 'file';
}

/**
 * Opens a FITS file wherever it lives: a path, `file://`, `http(s)://`, `s3://`, or a scheme added with
 * {@link registerScheme}. A gzip-compressed file (magic bytes 1f 8b, whatever its name) is inflated as a stream, into
 * memory when small, else read by inflating again (see `gunzipSource`); `.fz` files are ordinary FITS and are read as
 * they are.
 *
 * @example
 * const src = await openSource('https://data.desi.lbl.gov/public/dr1/spectro/redux/iron/zcatalog/zall-pix-iron.fits');
 * const hdus = await walkHdus(src);
 * await src.close();
 */
export async function openSource(location: string | URL, options: OpenSourceOptions = {}): Promise<ByteSource> {
  const text = location instanceof URL ? location.href : location;
  const scheme = schemeOf(location);
  const opener = openers.get(scheme);
  if (!opener) throw new SourceError(text, `unknown scheme '${scheme}:' (known: ${registeredSchemes().join(', ')})`);
  const src = await opener(text, options);
  if (options.gunzip === false || src.size < 2) return src;
  let inflated: ByteSource;
  try {
    const magic = await src.read(0, 2);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) return src; // gzip's magic bytes (gzip.ts isGzip)
    inflated = await (await import('./gzip.js')).gunzipSource(src, options);
  } catch (e) {
    await src.close();
    throw e;
  }
  // inflated into memory: the compressed bytes are no longer needed (a streaming source reads them again, and closes them)
  if (inflated instanceof MemorySource) await src.close();
  return inflated;
}
