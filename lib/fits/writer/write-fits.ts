import { FitsError } from '../../errors/index.js';
import { FitsWriter } from './fits-writer.js';
import type { WriteHdu, WriteOptions } from './types.js';

/**
 * Writes a FITS file from images (typed arrays) and tables (Arrow tables or streams of record batches), with
 * CHECKSUM and DATASUM in every HDU. Tables are written chunk by chunk, so a streamed table of any length needs
 * only a few MB of memory. On failure nothing is left at `target`.
 *
 * @example
 * await writeFits('out.fits', [
 *   { kind: 'image', data: flux, naxis: [nwave, nspec], name: 'FLUX' },
 *   { kind: 'table', table: fibermap, name: 'FIBERMAP' },
 * ], { overwrite: true });
 */
export async function writeFits(target: string, hdus: readonly WriteHdu[], options?: WriteOptions): Promise<void> {
  const writer = await FitsWriter.create(target, options);
  try {
    for (const [i, hdu] of hdus.entries()) {
      if (hdu.kind === 'image') await writer.addImage(hdu);
      else if (hdu.kind === 'table') await writer.addTable(hdu);
      else
        throw new FitsError(`invalid HDU kind ${JSON.stringify((hdu as { kind: unknown }).kind)}: expected 'image' or 'table'`, {
          file: target,
          hdu: i,
        });
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
}
