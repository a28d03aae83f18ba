import { checkMemory } from '../../core/index.js';
import { FitsError } from '../../errors/index.js';
import type { HduInfo } from '../hdu.js';
import { decodePixels, pixelScaling, STORED_DTYPE, type PixelScaling } from '../image/scaling.js';
import type { FitsImage, ImageArray } from '../image/fits-image.js';
import type { ByteSource } from '../source/byte-source.js';

/**
 * A random-groups HDU (old radio-interferometry layout): GCOUNT groups, each with PCOUNT parameters and an array of
 * NAXIS2 x ... x NAXISn values. Parameters are scaled by PSCALn/PZEROn, data by BSCALE/BZERO, as astropy does.
 */
export interface RandomGroups {
  gcount: number;
  parameters: { name: string; values: ImageArray }[];
  /** All groups' arrays; naxis is [NAXIS2, ..., NAXISn, GCOUNT] (FITS order, groups slowest). */
  data: FitsImage;
}

/**
 * Reads a random-groups primary HDU.
 *
 * @example
 * const g = await readGroups(src, hdu); g.parameters[0].name // 'UU'
 */
export async function readGroups(src: ByteSource, hdu: HduInfo): Promise<RandomGroups> {
  const h = hdu.header;
  const bitpix = h.int('BITPIX');
  const bytesPer = Math.abs(bitpix) / 8;
  const gcount = h.int('GCOUNT', 1);
  const pcount = h.int('PCOUNT', 0);
  const naxis = h.int('NAXIS');
  const axes: number[] = [];
  for (let i = 2; i <= naxis; i++) axes.push(h.int(`NAXIS${i}`));
  const perGroup = axes.reduce((a, b) => a * b, 1);
  // the stored bytes, split into parameters and arrays, then decoded (at most 8 bytes a value)
  checkMemory(
    2 * hdu.dataSize + 8 * gcount * (pcount + perGroup),
    `the random groups (${gcount} groups of ${pcount} parameters and ${perGroup} values)`,
    (problem) => new FitsError(`${problem}; raise SKYBOOK_MAX_MEMORY to read them`, { file: src.name, hdu: hdu.index }),
    hdu.dataSize,
  );
  const bytes = await src.read(hdu.dataOffset, hdu.dataSize);
  if (bytes.length < hdu.dataSize) throw new FitsError('truncated random-groups data', { file: src.name, hdu: hdu.index });
  // Gather parameters and arrays into two contiguous big-endian buffers, then decode each with the image rules.
  const groupBytes = (pcount + perGroup) * bytesPer;
  const parBytes = new Uint8Array(gcount * pcount * bytesPer);
  const arrBytes = new Uint8Array(gcount * perGroup * bytesPer);
  for (let g = 0; g < gcount; g++) {
    parBytes.set(bytes.subarray(g * groupBytes, g * groupBytes + pcount * bytesPer), g * pcount * bytesPer);
    arrBytes.set(bytes.subarray(g * groupBytes + pcount * bytesPer, (g + 1) * groupBytes), g * perGroup * bytesPer);
  }
  const parameters: RandomGroups['parameters'] = [];
  for (let p = 0; p < pcount; p++) {
    const one = new Uint8Array(gcount * bytesPer);
    for (let g = 0; g < gcount; g++) one.set(parBytes.subarray((g * pcount + p) * bytesPer, (g * pcount + p + 1) * bytesPer), g * bytesPer);
    const ptype = h.get(`PTYPE${p + 1}`);
    const scale = h.number(`PSCAL${p + 1}`, 1);
    const zero = h.number(`PZERO${p + 1}`, 0);
    // Parameters with no PSCAL/PZERO keep their stored type; scaled ones become float64 (astropy's choice).
    const ps: PixelScaling =
      scale === 1 && zero === 0
        ? { bitpix, dtype: STORED_DTYPE[bitpix]!, mode: 'none', bscale: 1, bzero: 0 }
        : { bitpix, dtype: 'float64', mode: 'scaled', bscale: scale, bzero: zero };
    parameters.push({ name: typeof ptype === 'string' ? ptype.trim() : `PAR${p + 1}`, values: decodePixels(one, 0, gcount, ps) });
  }
  const s = pixelScaling(h);
  const data: FitsImage = { naxis: [...axes, gcount], dtype: s.dtype, data: decodePixels(arrBytes, 0, gcount * perGroup, s) };
  return { gcount, parameters, data };
}
