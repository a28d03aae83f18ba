import { Table, makeVector, vectorFromArray } from 'apache-arrow';
import { writeFits } from '../../lib/fits/writer/index.js';
import type { WriteHdu } from '../../lib/fits/writer/index.js';
import { dr1Wavelength, ARMS } from '../../lib/desi/index.js';
import { mulberry32 } from '../helpers/prng.js';

/** TARGETID of spectrum i in the mock coadd: large enough to need int64. */
export const mockTargetid = (i: number): bigint => 39627745623525818n + BigInt(i) * 7919n;

/**
 * Writes a small DESI-like coadd (DR1 grids, FIBERMAP, B/R/Z FLUX/IVAR/MASK/RESOLUTION, SCORES) with seeded values:
 * flux[i][j] = i + j / 10000 so any row mix-up shows.
 */
export async function writeMockCoadd(path: string, nspec: number, seed = 1): Promise<void> {
  const rnd = mulberry32(seed);
  const tids = BigInt64Array.from({ length: nspec }, (_, i) => mockTargetid(i));
  const fibermap = new Table({
    TARGETID: makeVector(tids),
    COADD_FIBERSTATUS: makeVector(Int32Array.from({ length: nspec }, (_, i) => (i % 5 === 0 ? 4 : 0))),
    TARGET_RA: makeVector(Float64Array.from({ length: nspec }, () => 150 + rnd())),
    TARGET_DEC: makeVector(Float64Array.from({ length: nspec }, () => 2 + rnd())),
  });
  const hdus: WriteHdu[] = [
    {
      kind: 'image',
      cards: [
        { keyword: 'SURVEY', value: 'main' },
        { keyword: 'PROGRAM', value: 'dark' },
        { keyword: 'HPXPIXEL', value: 27247 },
      ],
    },
    { kind: 'table', table: fibermap, name: 'FIBERMAP' },
  ];
  for (const arm of ARMS) {
    const w = dr1Wavelength(arm);
    const n = w.length;
    const flux = new Float32Array(nspec * n);
    const ivar = new Float32Array(nspec * n);
    const mask = new Uint32Array(nspec * n);
    const res = new Float32Array(nspec * 11 * n);
    for (let i = 0; i < nspec; i++) {
      for (let j = 0; j < n; j++) {
        flux[i * n + j] = i + j / 10000;
        ivar[i * n + j] = 1 + rnd();
        mask[i * n + j] = j % 97 === 0 ? 2 ** 31 + 1 : 0;
      }
      for (let d = 0; d < 11; d++) for (let j = 0; j < n; j++) res[(i * 11 + d) * n + j] = d === 5 ? 0.5 : 0.05;
    }
    hdus.push(
      { kind: 'image', data: w, naxis: [n], name: `${arm}_WAVELENGTH` },
      { kind: 'image', data: flux, naxis: [n, nspec], name: `${arm}_FLUX` },
      { kind: 'image', data: ivar, naxis: [n, nspec], name: `${arm}_IVAR` },
      { kind: 'image', data: mask, naxis: [n, nspec], name: `${arm}_MASK` },
      { kind: 'image', data: res, naxis: [n, 11, nspec], name: `${arm}_RESOLUTION` },
    );
  }
  hdus.push({
    kind: 'table',
    table: new Table({ TARGETID: makeVector(tids), MEDIAN_COADD_SNR_B: vectorFromArray(Array.from({ length: nspec }, (_, i) => i / 2)) }),
    name: 'SCORES',
  });
  await writeFits(path, hdus, { overwrite: true });
}
