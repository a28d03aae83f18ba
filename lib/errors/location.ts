/**
 * Where a problem sits, as typed fields. Each error class takes the subset that fits its domain (a `FitsLocation` is
 * file, HDU, keyword, column, row); {@link formatLocation} turns any of them into the message prefix.
 *
 * @example
 * const where: Location = { file: 'zall.fits', hdu: 'ZCATALOG', column: 'Z', row: 17 };
 */
export interface Location {
  /** The function, facility or bitmask that refused a value: `dr1Location`, `predicate`, `ZWARN`. */
  scope?: string;
  /** The store engine: `duckdb` or `postgres`. */
  engine?: string;
  /** A file path or URL. */
  file?: string;
  /** An HDU by index or EXTNAME. */
  hdu?: number | string;
  /** A FITS header keyword, e.g. `TFORM3`. */
  keyword?: string;
  /** A database table. */
  table?: string;
  /** A Jupyter kernel by name. */
  kernel?: string;
  /** A notebook cell by index. */
  cell?: number;
  /** A Ray job by its submission id (or job id). */
  job?: string;
  /** A notebook parameter by name. */
  parameter?: string;
  /** A healpix pixel (nested, nside 64 for DR1 files). */
  pixel?: number;
  /** A spectrograph arm, e.g. `B`. */
  arm?: string;
  /** A table column. */
  column?: string;
  /** A table row, 0-based. */
  row?: number;
  /** A line of a text file, 1-based as editors number them. */
  line?: number;
  /** A character on that line, 1-based as editors number them (YAML and JSON positions). */
  col?: number;
  /** A stage of a pipeline by name. */
  stage?: string;
  /** A QA check by name. */
  check?: string;
}

/** The fields in the order a message names them, from the outermost in; each with how it reads. */
const FIELDS: readonly [keyof Location, (v: string | number) => string][] = [
  ['scope', String],
  ['engine', String],
  ['file', String],
  ['hdu', (v) => `HDU ${v}`],
  ['keyword', String],
  ['table', (v) => `table ${v}`],
  ['stage', (v) => `stage ${v}`],
  ['check', (v) => `check ${v}`],
  ['kernel', (v) => `kernel ${v}`],
  ['cell', (v) => `cell ${v}`],
  ['job', (v) => `job ${v}`],
  ['parameter', (v) => `parameter ${v}`],
  ['pixel', (v) => `pixel ${v}`],
  ['arm', (v) => `arm ${v}`],
  ['column', (v) => `column ${v}`],
  ['row', (v) => `row ${v}`],
  ['line', (v) => `line ${v}`],
  ['col', (v) => `col ${v}`],
];

/**
 * The message prefix for a location: the fields that are set, outermost first, each followed by `': '`; empty when
 * none is set. Every error class builds its message as `formatLocation(location) + problem`.
 *
 * @example
 * formatLocation({ file: 'tb.fits', hdu: 1, keyword: 'TFORM3' }); // 'tb.fits: HDU 1: TFORM3: '
 * formatLocation({ kernel: 'python3', cell: 4 });                 // 'kernel python3: cell 4: '
 */
export function formatLocation(loc: Location): string {
  let out = '';
  for (const [key, show] of FIELDS) {
    const v = loc[key];
    if (v !== undefined) out += `${show(v)}: `;
  }
  return out;
}
