import type { RecordBatch, Schema, Table } from 'apache-arrow';
import { z } from 'zod';
import { FitsError } from '../../errors/index.js';
import type { CardInput } from '../header/format.js';
import type { ImageArray } from '../image/fits-image.js';

/**
 * An image HDU from a typed array, `naxis` in FITS order (`[NAXIS1, NAXIS2, ...]`, NAXIS1 varying fastest). The
 * first HDU of a file is the primary; an image there becomes the primary array. Omit `data` for an empty HDU.
 * Unsigned and int8 arrays are stored as astropy stores them: signed integers with BZERO.
 *
 * @example
 * { kind: 'image', data: new Float32Array(nx * ny), naxis: [nx, ny], name: 'FLUX' }
 */
export interface ImageHdu {
  kind: 'image';
  data?: ImageArray;
  naxis?: number[];
  name?: string;
  cards?: CardInput[];
}

/** Batches a table can come from: a whole Arrow table, or batches arriving one by one (streamed). */
export type TableSource = Table | readonly RecordBatch[] | Iterable<RecordBatch> | AsyncIterable<RecordBatch>;

/**
 * A BINTABLE HDU from Arrow data. EXTNAME is `name`, else schema metadata `fits.EXTNAME`. Columns take TUNIT,
 * TDISP, TNULL and (strings) TFORM `rA` from field metadata `fits.TUNIT`, `fits.TDISP`, `fits.TNULL`, `fits.TFORM`.
 * For streamed batches give `schema` when the source may be empty, and the width of every string column
 * (`stringWidths` or `fits.TFORM`), since rows are written before the longest string is known.
 *
 * @example
 * { kind: 'table', table: arrowTable, name: 'FIBERMAP' }
 */
export interface TableHdu {
  kind: 'table';
  table: TableSource;
  schema?: Schema;
  name?: string;
  cards?: CardInput[];
  stringWidths?: Record<string, number>;
}

/** One HDU to write. */
export type WriteHdu = ImageHdu | TableHdu;

const OptionsSchema = z
  .object({
    /** Replace an existing file (default false: an existing file is an error). */
    overwrite: z.boolean().default(false),
    /** Write CHECKSUM and DATASUM in every HDU (default true). */
    checksum: z.boolean().default(true),
    /** Bytes per data write (default 1 MiB). */
    chunkBytes: z
      .number()
      .int()
      .min(2880)
      .max(1 << 30)
      .default(1 << 20),
  })
  .strict();

/** Options of `writeFits` and `FitsWriter.create`. */
export type WriteOptions = z.input<typeof OptionsSchema>;
/** Options after defaults. */
export type ResolvedWriteOptions = z.output<typeof OptionsSchema>;

/** Validates options once at the boundary; throws a `FitsError` naming the bad option and value. */
export function resolveOptions(options: WriteOptions | undefined, file: string): ResolvedWriteOptions {
  const r = OptionsSchema.safeParse(options ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '?';
  const value = key in (options ?? {}) ? JSON.stringify((options as Record<string, unknown>)[key]) : '';
  throw new FitsError(`invalid option ${key}${value ? `: ${value}` : ''} (${issue.message})`, { file });
}

const RESERVED =
  /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|TFIELDS|THEAP|GROUPS|CHECKSUM|DATASUM|END|EXTNAME|BZERO|BSCALE|T(TYPE|FORM|NULL|ZERO|SCAL|UNIT|DISP|DIM)\d+)$/;

/** Rejects user cards whose keywords the writer owns. */
export function checkUserCards(cards: readonly CardInput[] | undefined, where: { file: string; hdu: number }): CardInput[] {
  for (const c of cards ?? []) {
    const k = c.keyword.trim().toUpperCase();
    if (RESERVED.test(k)) {
      const hint =
        k === 'EXTNAME'
          ? ': set the HDU name instead'
          : /^T[A-Z]+\d+$/.test(k)
            ? ': it comes from the Arrow schema and field metadata'
            : ': the writer sets it';
      throw new FitsError(`card ${k} cannot be given${hint}`, { ...where, keyword: k });
    }
  }
  return [...(cards ?? [])];
}
