import { progressOf, subProgress, type Progress } from '../../core/index.js';
import type { Card, CardValue } from '../header/card.js';
import type { FitsFile } from '../fits-file.js';
import type { HduInfo, HduType } from '../hdu.js';
import type { FitsImage } from '../image/fits-image.js';
import { addTyped, StatsAccumulator } from './accumulator.js';
import { arrowTableStats, bintableStats, type TableStats } from './table-stats.js';

/** A JSON-safe header value: bigints as decimal strings, complex as [re, im]. */
export type JsonCardValue = boolean | number | string | [number, number] | null;

export interface CardJson {
  keyword: string;
  value: JsonCardValue;
  comment: string;
}

export interface ValueStats {
  count: number;
  nanCount: number;
  min: number | string | null;
  max: number | string | null;
  /** Exact for integers (a decimal string past 2^53); compensated over finite values for floats; [re, im] for complex. */
  sum: number | string | [number, number] | null;
}

export interface ImageStats extends ValueStats {
  naxis: number[];
  dtype: string;
}

export interface ColumnStats extends ValueStats {
  name: string;
  tform: string;
  type: string;
  nullCount: number;
  countTrue: number | null;
}

/** One HDU in `skybook fits stats --json`. */
export interface HduStats {
  index: number;
  name: string;
  type: HduType;
  cards: CardJson[];
  checksum: 'ok' | 'bad' | 'absent';
  datasum: 'ok' | 'bad' | 'absent';
  image: ImageStats | null;
  table: TableStats | null;
}

export function cardValueJson(v: CardValue): JsonCardValue {
  if (typeof v === 'bigint') return v.toString();
  if (v !== null && typeof v === 'object') return [v.re, v.im];
  return v;
}

export function cardJson(c: Card): CardJson {
  return { keyword: c.keyword, value: cardValueJson(c.value), comment: c.comment };
}

function imageStats(img: FitsImage): ImageStats {
  const acc = new StatsAccumulator();
  addTyped(acc, img.data);
  const s = acc.summary();
  return { naxis: img.naxis, dtype: img.dtype, count: s.count, nanCount: s.nanCount, min: s.min, max: s.max, sum: s.sum };
}

/** Statistics of a tile-compressed image, band by band of tiles: memory holds one band, never the image. */
async function compressedImageStats(fits: FitsFile, hdu: HduInfo): Promise<ImageStats> {
  const { compressedImageBands, compressedImageShape } = await import('../compressed/index.js');
  const { naxis, dtype } = compressedImageShape(hdu);
  const acc = new StatsAccumulator();
  for await (const band of compressedImageBands(fits.source, hdu)) addTyped(acc, band.data);
  const s = acc.summary();
  return { naxis, dtype, count: s.count, nanCount: s.nanCount, min: s.min, max: s.max, sum: s.sum };
}

/**
 * Statistics of one HDU: header cards, checksum verdicts, and per image / per column counts, NaN counts, min, max and sums.
 * Tables are streamed in record batches and compressed images band by band of tiles, so memory stays bounded whatever
 * their size; a plain image is read whole, within the memory budget. `progress` counts a table's rows.
 *
 * @example
 * const s = await hduStats(fits, fits.hdus[1]);
 */
export async function hduStats(fits: FitsFile, hdu: HduInfo, progress?: Progress): Promise<HduStats> {
  const out: HduStats = {
    index: hdu.index,
    name: hdu.name,
    type: hdu.type,
    cards: hdu.header.cards.map(cardJson),
    checksum: 'absent',
    datasum: 'absent',
    image: null,
    table: null,
  };
  if (hdu.type === 'BINTABLE') {
    // one pass over the rows gives the column statistics and the data sum together
    progress?.start({ label: `stats ${fits.name} HDU ${hdu.index}`, total: hdu.header.int('NAXIS2'), unit: 'rows' });
    const { table, verdict } = await bintableStats(fits.source, hdu, progress && subProgress(progress));
    progress?.finish();
    return { ...out, ...verdict, table };
  }
  // the data first, then the checksums: an image beyond the memory budget is refused before the data is read whole
  if (hdu.type === 'COMPRESSED_IMAGE') {
    out.image = await compressedImageStats(fits, hdu);
  } else if (hdu.type === 'IMAGE') {
    if (hdu.header.int('NAXIS') > 0) out.image = imageStats(await fits.readImage(hdu.index));
  } else if (hdu.type === 'RANDOM_GROUPS') {
    const g = await fits.readGroups(hdu.index);
    out.image = imageStats(g.data);
    out.table = {
      rows: g.gcount,
      columns: g.parameters.map((p) => {
        const acc = new StatsAccumulator();
        addTyped(acc, p.values);
        const s = acc.summary();
        return {
          name: p.name,
          tform: '',
          type: p.values.constructor.name.replace('Array', ''),
          count: s.count,
          nullCount: 0,
          nanCount: s.nanCount,
          min: s.min,
          max: s.max,
          sum: s.sum,
          countTrue: null,
        };
      }),
    };
  } else if (hdu.type === 'TABLE') {
    out.table = await arrowTableStats(await fits.readTable(hdu.index), hdu.header.int('NAXIS2'));
  }
  Object.assign(out, await fits.verify(hdu.index));
  return out;
}

/**
 * Options of {@link fitsStats}: one HDU (by index or name) instead of all, and where to report rows scanned.
 *
 * @example
 * const opts: FitsStatsOptions = { hdu: 'ZCATALOG', progress: recordProgress() };
 */
export interface FitsStatsOptions {
  hdu?: number | string;
  /** Rows scanned, a phase per table HDU; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
}

/**
 * The whole `skybook fits stats` document for a file, or one HDU of it.
 *
 * @example
 * const doc = await fitsStats(fits); JSON.stringify(doc);
 * const one = await fitsStats(fits, { hdu: 'ZCATALOG' });
 */
export async function fitsStats(fits: FitsFile, opts: FitsStatsOptions = {}): Promise<{ file: string; hdus: HduStats[] }> {
  const hdus = opts.hdu === undefined ? fits.hdus : [fits.hdu(opts.hdu)];
  const progress = progressOf(opts.progress);
  const out: HduStats[] = [];
  for (const h of hdus) out.push(await hduStats(fits, h, progress));
  return { file: fits.name, hdus: out };
}
