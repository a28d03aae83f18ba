import { ZWARN } from '../desi/index.js';
import type { ColumnSource } from './columns.js';
import type { Rng } from './random.js';
import { desiName, nanomaggies, type TargetSet } from './target-set.js';

const TSNR2_KINDS = ['BGS', 'ELG', 'GPBBACKUP', 'GPBBRIGHT', 'GPBDARK', 'LRG', 'LYA', 'QSO'] as const;
const TSNR2_SCALE: Record<(typeof TSNR2_KINDS)[number], number> = {
  BGS: 900,
  ELG: 90,
  GPBBACKUP: 40,
  GPBBRIGHT: 60,
  GPBDARK: 150,
  LRG: 80,
  LYA: 60,
  QSO: 30,
};
const LOW_DELTA_CHI2 = ZWARN.mask('LOW_DEL_CHI2') | ZWARN.mask('SMALL_DELTA_CHI2');
const MJD0 = 59300;

function f32(n: number, fn: (i: number) => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = fn(i);
  return a;
}
function f64(n: number, fn: (i: number) => number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = fn(i);
  return a;
}
function i64(n: number, fn: (i: number) => bigint): BigInt64Array {
  const a = new BigInt64Array(n);
  for (let i = 0; i < n; i++) a[i] = fn(i);
  return a;
}
function strs(n: number, fn: (i: number) => string): string[] {
  return Array.from({ length: n }, (_, i) => fn(i));
}

/**
 * Column values for one target set, by DESI column name: everything FIBERMAP, REDSHIFTS, TSNR2 and ZCATALOG hold
 * (photometry from the magnitudes, targeting bits, redrock outputs, exposure summary, template S/N). `numexp` is
 * the per-target exposure count from `drawExposures`. About 1% of galaxies get a low-DELTACHI2 ZWARN, as real
 * redrock output does.
 *
 * @example
 * const values = targetValues(set, numexp, Rng.for(seed, 'values', set.healpix, set.program));
 */
export function targetValues(set: TargetSet, numexp: Int16Array, rng: Rng): ColumnSource {
  const n = set.n;
  const qso = set.spectype === 'QSO';
  const fluxG = f32(n, (i) => nanomaggies(set.magG[i]!));
  const fluxR = f32(n, (i) => nanomaggies(set.magR[i]!));
  const fluxZ = f32(n, (i) => nanomaggies(set.magZ[i]!));
  const zwarn = i64(n, () => (!qso && rng.chance(0.01) ? LOW_DELTA_CHI2 : 0n));
  const npix = set.npixels ?? i64(n, () => 7900n);
  const meanMjd = f64(n, (i) => MJD0 + 400 * rng.uniform() + 0.1 * numexp[i]!);
  const depth = f32(n, (i) => numexp[i]! * (0.8 + 0.4 * rng.uniform()));
  const coeff = new Float64Array(n * 10);
  for (let i = 0; i < coeff.length; i++) coeff[i] = qso && i % 10 >= 4 ? 0 : 10 * rng.normal();
  const values: ColumnSource = {
    TARGETID: set.targetid,
    SURVEY: strs(n, () => set.survey),
    PROGRAM: strs(n, () => set.program),
    HEALPIX: new Int32Array(n).fill(set.healpix),
    SPGRPVAL: new Int32Array(n).fill(set.healpix),
    Z: set.z,
    ZERR: f64(n, (i) => (qso ? 2e-4 : 2e-5) * (1 + set.z[i]!) * (0.5 + rng.uniform())),
    ZWARN: zwarn,
    CHI2: f64(n, (i) => Number(npix[i]!) * (0.95 + 0.1 * rng.uniform())),
    COEFF: coeff,
    NPIXELS: npix,
    SPECTYPE: strs(n, () => set.spectype),
    SUBTYPE: strs(n, () => ''),
    NCOEFF: i64(n, () => (qso ? 4n : 10n)),
    DELTACHI2: f64(n, (i) => (zwarn[i] !== 0n ? 5 + 3 * rng.uniform() : 100 + 5000 * rng.uniform())),
    COADD_FIBERSTATUS: new Int32Array(n),
    TARGET_RA: set.ra,
    TARGET_DEC: set.dec,
    REF_EPOCH: new Float32Array(n).fill(2015.5),
    FA_TARGET: i64(n, () => set.desiTarget),
    FA_TYPE: new Uint8Array(n).fill(1),
    OBJTYPE: strs(n, () => 'TGT'),
    SUBPRIORITY: f64(n, () => rng.uniform()),
    OBSCONDITIONS: new Int32Array(n).fill(set.program === 'dark' ? 1 : 2),
    RELEASE: new Int16Array(n).fill(9010),
    BRICKNAME: strs(n, (i) => brickName(set.ra[i]!, set.dec[i]!)),
    BRICKID: new Int32Array(n).fill(set.healpix),
    BRICK_OBJID: Int32Array.from(set.targetid, (t) => Number(t & 0x3fffffn)),
    MORPHTYPE: strs(n, () => (qso ? 'PSF' : rng.chance(0.6) ? 'SER' : 'EXP')),
    EBV: f32(n, () => 0.02 + 0.03 * rng.uniform()),
    FLUX_G: fluxG,
    FLUX_R: fluxR,
    FLUX_Z: fluxZ,
    FLUX_W1: f32(n, (i) => fluxZ[i]! * (qso ? 1.6 : 0.7)),
    FLUX_W2: f32(n, (i) => fluxZ[i]! * (qso ? 1.5 : 0.45)),
    FLUX_IVAR_G: f32(n, () => 500 + 300 * rng.uniform()),
    FLUX_IVAR_R: f32(n, () => 200 + 150 * rng.uniform()),
    FLUX_IVAR_Z: f32(n, () => 50 + 40 * rng.uniform()),
    FLUX_IVAR_W1: f32(n, () => 2 + rng.uniform()),
    FLUX_IVAR_W2: f32(n, () => 0.5 + 0.3 * rng.uniform()),
    FIBERFLUX_G: f32(n, (i) => fluxG[i]! * (qso ? 0.78 : 0.35)),
    FIBERFLUX_R: f32(n, (i) => fluxR[i]! * (qso ? 0.78 : 0.35)),
    FIBERFLUX_Z: f32(n, (i) => fluxZ[i]! * (qso ? 0.78 : 0.35)),
    FIBERTOTFLUX_G: f32(n, (i) => fluxG[i]! * (qso ? 0.8 : 0.38)),
    FIBERTOTFLUX_R: f32(n, (i) => fluxR[i]! * (qso ? 0.8 : 0.38)),
    FIBERTOTFLUX_Z: f32(n, (i) => fluxZ[i]! * (qso ? 0.8 : 0.38)),
    SERSIC: f32(n, () => (qso ? 0 : 1 + 3 * rng.uniform())),
    SHAPE_R: f32(n, () => (qso ? 0 : 0.5 + 3 * rng.uniform())),
    SHAPE_E1: f32(n, () => (qso ? 0 : 0.2 * rng.normal())),
    SHAPE_E2: f32(n, () => (qso ? 0 : 0.2 * rng.normal())),
    PHOTSYS: strs(n, () => 'S'),
    PRIORITY_INIT: i64(n, () => (qso ? 3400n : 2100n)),
    NUMOBS_INIT: i64(n, () => (qso ? 4n : 2n)),
    DESI_TARGET: i64(n, () => set.desiTarget),
    BGS_TARGET: i64(n, () => set.bgsTarget),
    PLATE_RA: set.ra,
    PLATE_DEC: set.dec,
    COADD_NUMEXP: numexp,
    COADD_EXPTIME: f32(n, (i) => numexp[i]! * (set.program === 'dark' ? 1000 : 300)),
    COADD_NUMNIGHT: Int16Array.from(numexp, (k) => Math.max(1, k - 1)),
    COADD_NUMTILE: Int16Array.from(numexp, (k) => Math.max(1, k - 1)),
    MEAN_DELTA_X: f32(n, () => 0.002 * rng.normal()),
    RMS_DELTA_X: f32(n, () => 0.005 + 0.005 * rng.uniform()),
    MEAN_DELTA_Y: f32(n, () => 0.002 * rng.normal()),
    RMS_DELTA_Y: f32(n, () => 0.005 + 0.005 * rng.uniform()),
    MEAN_PSF_TO_FIBER_SPECFLUX: f32(n, () => (qso ? 0.78 : 0.35)),
    MEAN_FIBER_RA: set.ra,
    STD_FIBER_RA: new Float32Array(n),
    MEAN_FIBER_DEC: set.dec,
    STD_FIBER_DEC: new Float32Array(n),
    MIN_MJD: f64(n, (i) => meanMjd[i]! - 0.05 * numexp[i]!),
    MAX_MJD: f64(n, (i) => meanMjd[i]! + 0.05 * numexp[i]!),
    MEAN_MJD: meanMjd,
    SV_NSPEC: new Int16Array(n),
    SV_PRIMARY: new Array<boolean>(n).fill(false),
    MAIN_NSPEC: new Int16Array(n).fill(1),
    MAIN_PRIMARY: new Array<boolean>(n).fill(true),
    ZCAT_NSPEC: new Int16Array(n).fill(1),
    ZCAT_PRIMARY: new Array<boolean>(n).fill(true),
    DESINAME: strs(n, (i) => desiName(set.ra[i]!, set.dec[i]!)),
  };
  for (const kind of TSNR2_KINDS) {
    const arms = ['B', 'R', 'Z'].map((_arm, k) => f32(n, (i) => TSNR2_SCALE[kind] * depth[i]! * [0.2, 0.3, 0.5][k]!));
    ['B', 'R', 'Z'].forEach((arm, k) => {
      values[`TSNR2_${kind}_${arm}`] = arms[k];
    });
    values[`TSNR2_${kind}`] = f32(n, (i) => arms[0]![i]! + arms[1]![i]! + arms[2]![i]!);
  }
  return values;
}

/**
 * A Legacy Surveys-style brick name (ra*10 and signed dec*10, e.g. 1502p022).
 *
 * @example
 * brickName(150.25, 2.2); // '1502p022'
 */
export function brickName(ra: number, dec: number): string {
  const r = String(Math.floor(ra * 10) % 3600).padStart(4, '0');
  const d = String(Math.round(Math.abs(dec) * 10)).padStart(3, '0');
  return `${r}${dec < 0 ? 'm' : 'p'}${d}`;
}

/**
 * EXP_FIBERMAP rows for a target set: one per exposure (`numexp` per target), consistent with the FIBERMAP's MJD and
 * exposure summaries.
 *
 * @example
 * const { n, values } = expFibermapValues(set, numexp, Rng.for(seed, 'exp', set.healpix, set.program));
 */
export function expFibermapValues(set: TargetSet, numexp: Int16Array, rng: Rng): { n: number; values: ColumnSource } {
  let n = 0;
  for (const k of numexp) n += k;
  const row = new Int32Array(n);
  for (let i = 0, r = 0; i < set.n; i++) for (let k = 0; k < numexp[i]!; k++) row[r++] = i;
  const mjd = f64(n, () => MJD0 + 400 * rng.uniform());
  const petal = Int16Array.from(row, () => rng.int(10));
  const device = Int32Array.from(row, () => rng.int(524));
  const x = f32(n, () => 400 * rng.uniform() - 200);
  const y = f32(n, () => 400 * rng.uniform() - 200);
  const values: ColumnSource = {
    TARGETID: i64(n, (r) => set.targetid[row[r]!]!),
    PRIORITY: new Int32Array(n).fill(set.spectype === 'QSO' ? 3400 : 2100),
    SUBPRIORITY: f64(n, () => rng.uniform()),
    NIGHT: Int32Array.from(mjd, (m) => nightOf(m)),
    EXPID: Int32Array.from(row, () => 100000 + rng.int(200000)),
    MJD: mjd,
    TILEID: Int32Array.from(row, () => 1000 + rng.int(40000)),
    EXPTIME: f64(n, () => (set.program === 'dark' ? 1000 : 300) * (0.8 + 0.4 * rng.uniform())),
    PETAL_LOC: petal,
    DEVICE_LOC: device,
    LOCATION: i64(n, (r) => BigInt(petal[r]! * 1000 + device[r]!)),
    FIBER: Int32Array.from(petal, (p, r) => p * 500 + (device[r]! % 500)),
    FIBERSTATUS: new Int32Array(n),
    FIBERASSIGN_X: x,
    FIBERASSIGN_Y: y,
    LAMBDA_REF: new Float32Array(n).fill(5400),
    PLATE_RA: f64(n, (r) => set.ra[row[r]!]!),
    PLATE_DEC: f64(n, (r) => set.dec[row[r]!]!),
    NUM_ITER: i64(n, () => 2n),
    FIBER_X: Float64Array.from(x),
    FIBER_Y: Float64Array.from(y),
    DELTA_X: f64(n, () => 0.005 * rng.normal()),
    DELTA_Y: f64(n, () => 0.005 * rng.normal()),
    FIBER_RA: f64(n, (r) => set.ra[row[r]!]!),
    FIBER_DEC: f64(n, (r) => set.dec[row[r]!]!),
    PSF_TO_FIBER_SPECFLUX: f64(n, () => (set.spectype === 'QSO' ? 0.78 : 0.35)),
    IN_COADD_B: new Array<boolean>(n).fill(true),
    IN_COADD_R: new Array<boolean>(n).fill(true),
    IN_COADD_Z: new Array<boolean>(n).fill(true),
  };
  return { n, values };
}

/** The YYYYMMDD night (Kitt Peak local, MJD rolls over at 7:00 local) of an MJD. */
function nightOf(mjd: number): number {
  const d = new Date(Date.UTC(1858, 10, 17) + Math.floor(mjd - 0.3) * 86400000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}
