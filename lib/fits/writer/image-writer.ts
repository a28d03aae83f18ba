import { FitsError } from '../../errors/index.js';
import type { CardInput } from '../header/format.js';
import { encodeLeaf } from './encode-leaf.js';
import type { HduOutput } from './hdu-output.js';
import { LEAF_INFO, leafOfArray, sourceOfArray } from './leaf.js';
import type { ImageHdu } from './types.js';

/** The mandatory and scaling cards of an image HDU, then EXTNAME and the user's cards. */
export function imageCards(hdu: ImageHdu, primary: boolean, userCards: CardInput[], where: { file: string; hdu: number }): CardInput[] {
  const data = hdu.data;
  const leaf = data ? leafOfArray(data) : 'u8';
  if (!leaf)
    throw new FitsError(
      'image data must be a typed array (Uint8/Int8/Int16/Uint16/Int32/Uint32/BigInt64/BigUint64/Float32/Float64)',
      where,
    );
  const naxis = data ? (hdu.naxis ?? [data.length]) : (hdu.naxis ?? []);
  if (!data && naxis.length > 0) throw new FitsError(`naxis ${JSON.stringify(naxis)} given without data`, where);
  if (naxis.length > 999 || naxis.some((n) => !Number.isSafeInteger(n) || n < 0))
    throw new FitsError(`invalid naxis ${JSON.stringify(naxis)}`, where);
  const count = naxis.reduce((a, b) => a * b, 1);
  if (data && count !== data.length) {
    throw new FitsError(`naxis ${JSON.stringify(naxis)} holds ${count} pixels but the data has ${data.length}`, where);
  }
  const info = LEAF_INFO[leaf];
  const cards: CardInput[] = primary
    ? [{ keyword: 'SIMPLE', value: true, comment: 'conforms to FITS standard' }]
    : [{ keyword: 'XTENSION', value: 'IMAGE', comment: 'Image extension' }];
  cards.push({ keyword: 'BITPIX', value: info.bitpix!, comment: 'array data type' });
  cards.push({ keyword: 'NAXIS', value: naxis.length, comment: 'number of array dimensions' });
  naxis.forEach((n, i) => cards.push({ keyword: `NAXIS${i + 1}`, value: n }));
  if (primary) cards.push({ keyword: 'EXTEND', value: true });
  else
    cards.push(
      { keyword: 'PCOUNT', value: 0, comment: 'number of parameters' },
      { keyword: 'GCOUNT', value: 1, comment: 'number of groups' },
    );
  if (data && info.zero !== undefined) {
    cards.push({ keyword: 'BSCALE', value: 1 });
    cards.push({ keyword: 'BZERO', value: info.zero });
  }
  if (hdu.name) cards.push({ keyword: 'EXTNAME', value: hdu.name, comment: 'extension name' });
  return [...cards, ...userCards];
}

/**
 * Writes an image's pixels big-endian in chunks of `chunkBytes`, two buffers alternating so that encoding the
 * next chunk overlaps writing the last.
 *
 * @example
 * await writeImageData(out, new Float32Array(1024), 1 << 20);
 */
export async function writeImageData(out: HduOutput, data: ImageHdu['data'], chunkBytes: number): Promise<void> {
  if (!data || data.length === 0) return;
  const leaf = leafOfArray(data)!;
  const size = LEAF_INFO[leaf].size;
  const src = sourceOfArray(leaf, data);
  const per = Math.max(1, Math.floor(chunkBytes / size));
  const buffers = [new Uint8Array(Math.min(per, data.length) * size), new Uint8Array(Math.min(per, data.length) * size)];
  const views = buffers.map((b) => new DataView(b.buffer));
  let pending: Promise<void> = Promise.resolve();
  for (let first = 0, k = 0; first < data.length; first += per, k ^= 1) {
    const n = Math.min(per, data.length - first);
    encodeLeaf(src, first, n, 1, views[k]!, buffers[k]!, 0, size, undefined, undefined);
    const started = out.data(buffers[k]!.subarray(0, n * size));
    await pending;
    pending = started;
  }
  await pending;
}
