import { SkybookError } from './skybook-error.js';

/** Where in a FITS file a problem sits; every field optional, the message names those that are set. */
export interface FitsLocation {
  file?: string;
  hdu?: number | string;
  keyword?: string;
  column?: string;
  row?: number;
}

/**
 * A FITS file that breaks the standard (or our ability to read it). The message names the file, the HDU
 * and the keyword or column, e.g. `tb.fits: HDU 1: TFORM3 'QQ': unknown column type`.
 *
 * @example
 * throw new FitsError('missing END card', { file: 'x.fits', hdu: 0 });
 */
export class FitsError extends SkybookError {
  readonly location: FitsLocation;

  constructor(problem: string, location: FitsLocation = {}, options?: { cause?: unknown }) {
    super(formatLocation(location) + problem, 2, options);
    this.location = location;
  }
}

function formatLocation(loc: FitsLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.hdu !== undefined) parts.push(`HDU ${loc.hdu}`);
  if (loc.keyword !== undefined) parts.push(loc.keyword);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  return parts.length ? parts.join(': ') + ': ' : '';
}

/** A byte source that could not be read (missing file, HTTP 403/404, network failure after retries). */
export class SourceError extends SkybookError {
  readonly source: string;

  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, 2, options);
    this.source = source;
  }
}
