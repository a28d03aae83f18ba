import { describeAsciiColumns } from './ascii/read-ascii-table.js';
import { describeColumns } from './bintable/columns.js';
import { compressedImageShape } from './compressed/index.js';
import type { HduInfo } from './hdu.js';
import { imageAxes } from './image/read-image.js';
import { pixelScaling } from './image/scaling.js';

/**
 * What `skybook fits info` says of one HDU: images their axes and dtype, tables their rows and columns (name, TFORM).
 *
 * @example
 * const s: HduSummary = { index: 1, name: 'REDSHIFTS', ver: 1, type: 'BINTABLE', naxis: null, dtype: null, rows: 500, columns: [{ name: 'TARGETID', tform: 'K' }] };
 */
export interface HduSummary {
  index: number;
  name: string;
  ver: number;
  type: string;
  naxis: number[] | null;
  dtype: string | null;
  rows: number | null;
  columns: { name: string; tform: string }[] | null;
}

/**
 * The summary of one HDU from its header alone: no data is read (compressed images: only their header). `fits info`
 * prints it and `store.inventory` stores it, so the two always agree.
 *
 * @example
 * const fits = await FitsFile.open('redrock-main-dark-27247.fits');
 * fits.hdus.map(summarizeHdu); // [{ index: 0, name: 'PRIMARY', type: 'IMAGE', naxis: [], ... }, ...]
 */
export function summarizeHdu(h: HduInfo): HduSummary {
  const base = { index: h.index, name: h.name, ver: h.ver, type: h.type, naxis: null, dtype: null, rows: null, columns: null };
  if (h.type === 'IMAGE' || h.type === 'RANDOM_GROUPS') return { ...base, naxis: imageAxes(h), dtype: pixelScaling(h.header).dtype };
  if (h.type === 'COMPRESSED_IMAGE') {
    const s = compressedImageShape(h);
    return { ...base, naxis: s.naxis, dtype: s.dtype };
  }
  const cols =
    h.type === 'TABLE'
      ? describeAsciiColumns(h).map((c) => ({ name: c.name, tform: c.tform }))
      : describeColumns(h.header).map((c) => ({ name: c.name, tform: c.tformText.trim() }));
  return { ...base, rows: h.header.int('NAXIS2'), columns: cols };
}
