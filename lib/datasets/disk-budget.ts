import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { existsSync } from 'node:fs';
import {
  EXP_FIBERMAP_COLUMNS,
  FIBERMAP_COLUMNS,
  REDSHIFTS_COLUMNS,
  SCORES_COLUMNS,
  TSNR2_COLUMNS,
  ZCATALOG_COLUMNS,
  DR1_WAVELENGTH,
  type ColumnSpec,
} from '../desi/index.js';
import { DatasetError } from '../errors/index.js';
import { NDIAG } from './instrument.js';
import type { SurveyPlan } from './survey-plan.js';

const BYTES: Record<string, number> = { K: 8, J: 4, I: 2, B: 1, L: 1, E: 4, D: 8, A: 1 };

/** Bytes per row of a table with these columns. @example rowBytes(REDSHIFTS_COLUMNS); // 174 */
export function rowBytes(specs: readonly ColumnSpec[]): number {
  let n = 0;
  for (const s of specs) {
    const m = /^(\d*)([A-Z])$/.exec(s.tform)!;
    n += (m[1] ? Number(m[1]) : 1) * BYTES[m[2]!]!;
  }
  return n;
}

/**
 * Bytes one spectrum takes in a coadd file: flux, ivar, mask (4 bytes each) and 11 resolution diagonals per pixel.
 *
 * @example
 * SPECTRUM_BYTES * 1_600_000; // ~712 GB of coadd arrays for the large preset
 */
export const SPECTRUM_BYTES = (DR1_WAVELENGTH.B.nwave + DR1_WAVELENGTH.R.nwave + DR1_WAVELENGTH.Z.nwave) * 4 * (3 + NDIAG);

/**
 * What a survey will write, by kind, in bytes (estimates within a few per cent; headers and padding included).
 *
 * @example
 * const { total, coadd } = estimateDisk(plan);
 */
export interface DiskEstimate {
  zcatalog: number;
  redrock: number;
  coadd: number;
  truth: number;
  total: number;
}

/**
 * Estimates the bytes a plan writes: zcatalog rows, redrock files (about 1.5 exposures per bright target and 2.5 per
 * dark one), coadd files for the pixels in `plan.spectraPixels`, truth tables.
 *
 * @example
 * estimateDisk(plan).total; // ~ 40 MB for small
 */
export function estimateDisk(plan: SurveyPlan): DiskEstimate {
  const headerBytes = 2880 * 4;
  const targets = plan.options.preset.galaxies + plan.options.preset.quasars;
  const zcatalog = targets * rowBytes(ZCATALOG_COLUMNS) + headerBytes * 12;
  const perTarget = rowBytes(REDSHIFTS_COLUMNS) + rowBytes(FIBERMAP_COLUMNS) + rowBytes(TSNR2_COLUMNS);
  const files = plan.pixels.length * 2;
  const redrock =
    plan.options.preset.galaxies * (perTarget + 1.5 * rowBytes(EXP_FIBERMAP_COLUMNS)) +
    plan.options.preset.quasars * (perTarget + 2.5 * rowBytes(EXP_FIBERMAP_COLUMNS)) +
    files * headerBytes * 6;
  let spectra = 0;
  for (const i of plan.spectraPixels) spectra += plan.quasarCounts[i]!;
  const coadd =
    spectra * (SPECTRUM_BYTES + rowBytes(FIBERMAP_COLUMNS) + rowBytes(SCORES_COLUMNS) + 2.5 * rowBytes(EXP_FIBERMAP_COLUMNS)) +
    plan.spectraPixels.size * (headerBytes * 19 + 8 * 7958);
  const truth = plan.options.preset.quasars * 400 + 100_000;
  return { zcatalog, redrock, coadd, truth, total: zcatalog + redrock + coadd + truth };
}

/** Human-readable bytes. @example formatBytes(1.5e9); // '1.50 GB' */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n.toFixed(u === 0 ? 0 : 2)} ${units[u]}`;
}

/**
 * Refuses, before anything is written, a survey that needs more than the free space under `out` (with 5% and 1 GB
 * to spare). The message says what is needed, what is free, and how to ask for less.
 *
 * @example
 * await checkDiskSpace(plan, '/data/mock');
 */
export async function checkDiskSpace(plan: SurveyPlan, out: string, freeBytes?: number): Promise<DiskEstimate> {
  const est = estimateDisk(plan);
  let dir = out;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  let free = freeBytes;
  if (free === undefined) {
    const st = await statfs(dir);
    free = Number(st.bavail) * Number(st.bsize);
  }
  if (est.total * 1.05 + 1e9 > free) {
    const p = plan.options.preset.name;
    throw new DatasetError(
      `datasets make --preset ${p} needs about ${formatBytes(est.total)} under ${out} (zcatalog ${formatBytes(est.zcatalog)}, redrock ${formatBytes(est.redrock)}, ` +
        `coadd spectra ${formatBytes(est.coadd)}) but only ${formatBytes(free)} is free; nothing was written. Write fewer spectra ` +
        `(--spectra none or --spectra N pixels) or stream them without writing (surveySpectra())`,
    );
  }
  return est;
}
