import { FitsError } from '../../errors/index.js';
import { type ByteSource, describeColumns, FitsFile, type HduInfo, type OpenSourceOptions } from '../../fits/index.js';

/**
 * Anything a DESI reader accepts: a path or URL (local, http(s), s3://, gzipped or not), a byte source, or an open file.
 *
 * @example
 * const inputs: DesiInput[] = ['coadd.fits', 's3://desidata/dr1/...', await openFits('x.fits')];
 */
export type DesiInput = string | URL | ByteSource | FitsFile;

/**
 * Runs `work` on an open FITS file; files opened here (with `open`: HTTP/S3/gzip options) are closed afterwards,
 * files passed in stay open.
 *
 * @example
 * const n = await withFits('coadd.fits', async (f) => f.hdus.length);
 */
export async function withFits<T>(input: DesiInput, work: (f: FitsFile) => Promise<T>, open: OpenSourceOptions = {}): Promise<T> {
  if (input instanceof FitsFile) return work(input);
  const f = await FitsFile.open(input, open);
  try {
    return await work(f);
  } finally {
    await f.close();
  }
}

/** Finds an HDU by EXTNAME (case-insensitive), or undefined. @example findHdu(f, 'REDSHIFTS') */
export function findHdu(f: FitsFile, name: string): HduInfo | undefined {
  const want = name.toUpperCase();
  return f.hdus.find((h) => h.name.toUpperCase() === want);
}

/**
 * The HDU named `name`; otherwise a bad-input error naming the file, what `what` expected and the HDUs it has.
 *
 * @example
 * requireHdu(f, 'REDSHIFTS', 'a redrock file'); // FitsError "x.fits: missing HDU 'REDSHIFTS' (a redrock file has REDSHIFTS...)"
 */
export function requireHdu(f: FitsFile, name: string, what: string): HduInfo {
  const h = findHdu(f, name);
  if (!h) {
    throw new FitsError(
      `missing HDU '${name}' expected in ${what}; the file has: ${f.hdus.map((x) => x.name || `#${x.index}`).join(', ')}`,
      { file: f.name },
    );
  }
  return h;
}

/**
 * Checks a table HDU has every required column; otherwise names the file, HDU, the missing columns and those it has.
 *
 * @example
 * requireColumns(f, hdu, ['TARGETID', 'Z']);
 */
export function requireColumns(f: FitsFile, hdu: HduInfo, names: readonly string[]): void {
  const have = describeColumns(hdu.header).map((c) => c.name.toUpperCase());
  const missing = names.filter((n) => !have.includes(n.toUpperCase()));
  if (missing.length) {
    throw new FitsError(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the HDU has: ${have.join(', ')}`, {
      file: f.name,
      hdu: hdu.name || hdu.index,
    });
  }
}
