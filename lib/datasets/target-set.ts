import type { Rng } from './random.js';

/**
 * The targets of one healpix file (one survey/program/pixel) with what the catalogue tables need to know about them.
 * Galaxies and quasars become TargetSets; `targetValues` turns one into table columns.
 *
 * @example
 * const set: TargetSet = { survey: 'main', program: 'dark', healpix: 27247, n: 2, ... };
 */
export interface TargetSet {
  survey: 'main';
  program: 'bright' | 'dark';
  healpix: number;
  n: number;
  targetid: BigInt64Array;
  ra: Float64Array;
  dec: Float64Array;
  /** The redshift redrock reports (the truth, except injected WRONG_Z failures). */
  z: Float64Array;
  spectype: 'GALAXY' | 'QSO';
  magG: Float32Array;
  magR: Float32Array;
  magZ: Float32Array;
  desiTarget: bigint;
  bgsTarget: bigint;
  /** Unmasked pixels per spectrum when spectra were simulated (else a typical value is used). */
  npixels?: BigInt64Array;
}

/**
 * Nanomaggies of an AB magnitude.
 *
 * @example
 * nanomaggies(22.5); // 1
 */
export function nanomaggies(mag: number): number {
  return 10 ** (-0.4 * (mag - 22.5));
}

/**
 * The DESINAME of a sky position: 'DESI J' + ra and dec in degrees with 4 decimals (22 characters).
 *
 * @example
 * desiName(150.1234, -2.5); // 'DESI J150.1234-02.5000'
 */
export function desiName(ra: number, dec: number): string {
  const r = ra.toFixed(4).padStart(8, '0');
  const d = Math.abs(dec).toFixed(4).padStart(7, '0');
  return `DESI J${r}${dec < 0 ? '-' : '+'}${d}`;
}

/**
 * Number of exposures each target of a set got (1-4), drawn once so all tables agree.
 *
 * @example
 * const numexp = drawExposures(set, rng); // 1-4 per target
 */
export function drawExposures(set: TargetSet, rng: Rng): Int16Array {
  const out = new Int16Array(set.n);
  for (let i = 0; i < set.n; i++) out[i] = 1 + rng.int(set.program === 'dark' ? 4 : 2);
  return out;
}
