import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ARMS, EXP_FIBERMAP_COLUMNS, FIBERMAP_COLUMNS, REDSHIFTS_COLUMNS, SCORES_COLUMNS, TSNR2_COLUMNS } from '../desi/index.js';
import { type CardInput, FitsWriter } from '../fits/index.js';
import { batchFromSpecs, type ColumnSource } from './columns.js';
import { NDIAG } from './instrument.js';
import type { SpectraBatch } from './spectra-batch.js';
import type { TargetSet } from './target-set.js';

const FLUX_UNIT = '10**-17 erg/(s cm2 Angstrom)';
const IVAR_UNIT = '10**+34 (s2 cm4 Angstrom2) / erg2';
/** redrock output columns of iron: FITMETHOD came later. */
const IRON_REDSHIFTS = REDSHIFTS_COLUMNS.filter((c) => c.name !== 'FITMETHOD');
const TEMPLATES = [
  ['GALAXY', '2.6'],
  ['QSO:::LOZ', '1.0'],
  ['QSO:::HIZ', '1.1'],
  ['STAR:::A', '0.1'],
  ['STAR:::K', '0.1'],
] as const;

/**
 * The keywords DESI puts in the primary header of every healpix product.
 *
 * @example
 * healpixCards({ survey: 'main', program: 'dark', healpix: 27247 }); // SPGRP ... PROGRAM cards
 */
export function healpixCards(set: Pick<TargetSet, 'survey' | 'program' | 'healpix'>): CardInput[] {
  return [
    { keyword: 'SPGRP', value: 'healpix' },
    { keyword: 'SPGRPVAL', value: set.healpix },
    { keyword: 'HPXPIXEL', value: set.healpix },
    { keyword: 'HPXNSIDE', value: 64 },
    { keyword: 'HPXNEST', value: true },
    { keyword: 'SURVEY', value: set.survey },
    { keyword: 'PROGRAM', value: set.program },
  ];
}

/** Cards the FIBERMAP and EXP_FIBERMAP extensions carry in DESI files. */
function fibermapCards(set: TargetSet): CardInput[] {
  return [
    { keyword: 'ENCODING', value: 'ascii' },
    { keyword: 'SURVEY', value: set.survey },
    { keyword: 'PROGRAM', value: set.program },
    { keyword: 'INSTRUME', value: 'DESI' },
    { keyword: 'OBSERVAT', value: 'KPNO' },
    { keyword: 'TELESCOP', value: 'KPNO 4.0-m telescope' },
    { keyword: 'HPXPIXEL', value: set.healpix },
    { keyword: 'HPXNSIDE', value: 64 },
  ];
}

async function withWriter(path: string, body: (w: FitsWriter) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const w = await FitsWriter.create(path, { overwrite: true });
  try {
    await body(w);
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/**
 * Writes a redrock-SURVEY-PROGRAM-PIX.fits file: PRIMARY (redrock version and templates, healpix keywords),
 * REDSHIFTS, FIBERMAP, EXP_FIBERMAP, TSNR2 in iron's column order and TFORMs, CHECKSUM/DATASUM everywhere.
 *
 * @example
 * await writeRedrock(path, set, values, exp);
 */
export async function writeRedrock(
  path: string,
  set: TargetSet,
  values: ColumnSource,
  exp: { n: number; values: ColumnSource },
): Promise<void> {
  await withWriter(path, async (w) => {
    const cards: CardInput[] = [
      { keyword: 'LONGSTRN', value: 'OGIP 1.0' },
      { keyword: 'RRVER', value: '0.17.9', comment: 'Redrock version' },
    ];
    TEMPLATES.forEach(([name, ver], i) => {
      const k = String(i).padStart(2, '0');
      cards.push({ keyword: `TEMNAM${k}`, value: name }, { keyword: `TEMVER${k}`, value: ver });
    });
    await w.addImage({ kind: 'image', cards: [...cards, ...healpixCards(set)] });
    await w.addTable({ name: 'REDSHIFTS', table: [batchFromSpecs(IRON_REDSHIFTS, set.n, values)] });
    await w.addTable({ name: 'FIBERMAP', table: [batchFromSpecs(FIBERMAP_COLUMNS, set.n, values)], cards: fibermapCards(set) });
    await w.addTable({ name: 'EXP_FIBERMAP', table: [batchFromSpecs(EXP_FIBERMAP_COLUMNS, exp.n, exp.values)], cards: fibermapCards(set) });
    await w.addTable({ name: 'TSNR2', table: [batchFromSpecs(TSNR2_COLUMNS, set.n, values)] });
  });
}

/**
 * SCORES values measured on the simulated spectra (integrated and median flux, median S/N per arm) plus TSNR2.
 *
 * @example
 * const scores = batchFromSpecs(SCORES_COLUMNS, n, scoresValues(batch, values));
 */
export function scoresValues(batch: SpectraBatch, values: ColumnSource): ColumnSource {
  const out: ColumnSource = { ...values };
  const n = batch.targetid.length;
  for (const arm of ARMS) {
    const a = batch.arms[arm];
    const nw = a.wave.length;
    const integ = new Float32Array(n);
    const medFlux = new Float32Array(n);
    const medSnr = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const f: number[] = [];
      const s: number[] = [];
      let sum = 0;
      for (let i = 0; i < nw; i++) {
        const iv = a.ivar[k * nw + i]!;
        if (iv <= 0) continue;
        const fl = a.flux[k * nw + i]!;
        sum += fl * 0.8;
        f.push(fl);
        s.push(fl * Math.sqrt(iv));
      }
      integ[k] = sum;
      medFlux[k] = median(f);
      medSnr[k] = median(s);
    }
    out[`INTEG_COADD_FLUX_${arm}`] = integ;
    out[`MEDIAN_COADD_FLUX_${arm}`] = medFlux;
    out[`MEDIAN_COADD_SNR_${arm}`] = medSnr;
  }
  return out;
}

function median(v: number[]): number {
  if (v.length === 0) return 0;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * Writes a coadd-SURVEY-PROGRAM-PIX.fits file in the DR1 layout: PRIMARY, FIBERMAP, EXP_FIBERMAP, then per arm
 * X_WAVELENGTH (f8), X_FLUX, X_IVAR (f4, nspec x nwave), X_MASK (uint32 as int32 + BZERO), X_RESOLUTION
 * (f4, nspec x 11 x nwave), and SCORES.
 *
 * @example
 * await writeCoadd(path, set, batch, values, exp);
 */
export async function writeCoadd(
  path: string,
  set: TargetSet,
  batch: SpectraBatch,
  values: ColumnSource,
  exp: { n: number; values: ColumnSource },
): Promise<void> {
  const n = set.n;
  await withWriter(path, async (w) => {
    await w.addImage({ kind: 'image', cards: [{ keyword: 'LONGSTRN', value: 'OGIP 1.0' }, ...healpixCards(set)] });
    await w.addTable({ name: 'FIBERMAP', table: [batchFromSpecs(FIBERMAP_COLUMNS, n, values)], cards: fibermapCards(set) });
    await w.addTable({ name: 'EXP_FIBERMAP', table: [batchFromSpecs(EXP_FIBERMAP_COLUMNS, exp.n, exp.values)], cards: fibermapCards(set) });
    for (const arm of ARMS) {
      const a = batch.arms[arm];
      const nw = a.wave.length;
      await w.addImage({
        kind: 'image',
        name: `${arm}_WAVELENGTH`,
        data: a.wave,
        naxis: [nw],
        cards: [{ keyword: 'BUNIT', value: 'Angstrom' }],
      });
      await w.addImage({
        kind: 'image',
        name: `${arm}_FLUX`,
        data: a.flux,
        naxis: [nw, n],
        cards: [{ keyword: 'BUNIT', value: FLUX_UNIT }],
      });
      await w.addImage({
        kind: 'image',
        name: `${arm}_IVAR`,
        data: a.ivar,
        naxis: [nw, n],
        cards: [{ keyword: 'BUNIT', value: IVAR_UNIT }],
      });
      await w.addImage({ kind: 'image', name: `${arm}_MASK`, data: a.mask, naxis: [nw, n] });
      await w.addImage({ kind: 'image', name: `${arm}_RESOLUTION`, data: a.resolution, naxis: [nw, NDIAG, n] });
    }
    await w.addTable({ name: 'SCORES', table: [batchFromSpecs(SCORES_COLUMNS, n, scoresValues(batch, values))] });
  });
}
