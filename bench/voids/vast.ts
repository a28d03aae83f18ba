import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { openFits } from '../../lib/fits/index.js';
import type { SurveyMask } from '../../lib/voids/index.js';
import type { Spheres } from './compare.js';

/**
 * The VAST side of bench/voids: where its Python is, running the drivers (vast_dr7_find.py, vast_dr7_classify.py)
 * and reading what they wrote. VAST is installed into the project's .venv by install-vast.sh.
 */

/** What vast_dr7_find.py prints as its last line. */
export interface VastFind {
  vast_version: string;
  dist_limits: [number, number];
  wall: number;
  field: number;
  maximals: number;
  holes: number;
  stages_s: { preprocess: number; mask: number; filter_galaxies: number; find_voids: number };
  total_s: number;
  peak_rss_mb: number;
  output: string;
}

/** What vast_dr7_classify.py prints as its last line. */
export interface VastClassify {
  rows: number;
  counts: Record<string, number>;
  classify_s: number;
  xyz_s: number;
}

/** The issue's figures for VAST on this machine, printed when VAST cannot be run. */
export const ISSUE_FIGURES = { findSeconds: 15, classifySeconds: 553 } as const;

/** The .venv Python when VAST imports there, else undefined (with the reason). */
export function vastPython(root: string): { python?: string; why?: string; version?: string } {
  const python = join(root, '.venv', 'bin', 'python');
  if (!existsSync(python)) return { why: 'no .venv (npm run setup:python, then bash bench/voids/install-vast.sh PATH_TO_VAST)' };
  const r = spawnSync(python, ['-c', 'import vast, vast.voidfinder.vflag; print(vast.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return { why: 'VAST is not installed in .venv (bash bench/voids/install-vast.sh PATH_TO_VAST)' };
  return { python, version: r.stdout.trim() };
}

/** The last stdout line of a finished run, parsed. */
export function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

/**
 * `row vflag [surface]` lines (after a # header): one flag per row, and which rows lie on a hole's surface (the third
 * column of vast_dr7_classify.py; all 0 when a file has no such column).
 */
export function readVflagText(path: string): { vflag: Uint8Array; surface: Uint8Array } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const flags: number[] = [];
  const surface: number[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [row, flag, onSurface] = line.split(' ');
    if (Number(row) !== flags.length) throw new Error(`${path}: row ${row} out of order`);
    flags.push(Number(flag));
    surface.push(Number(onSurface ?? 0));
  }
  return { vflag: Uint8Array.from(flags), surface: Uint8Array.from(surface) };
}

/** VAST's output FITS: its MAXIMALS and HOLES spheres and its WALL and FIELD positions (float32 there). */
export async function readVastOutput(
  path: string,
): Promise<{ maximals: Spheres; holes: Spheres; wall: Float64Array; field: Float64Array }> {
  const f = await openFits(path);
  try {
    const xyzOf = async (hdu: string): Promise<Float64Array> => {
      const t = await f.readTable(hdu, { columns: ['x', 'y', 'z'] });
      const [x, y, z] = ['x', 'y', 'z'].map((c) => t.getChild(c)!.toArray() as ArrayLike<number>);
      const out = new Float64Array(3 * t.numRows);
      for (let i = 0; i < t.numRows; i++) {
        out[3 * i] = x![i]!;
        out[3 * i + 1] = y![i]!;
        out[3 * i + 2] = z![i]!;
      }
      return out;
    };
    const spheres = async (hdu: string): Promise<Spheres> => {
      const t = await f.readTable(hdu, { columns: ['radius'] });
      return { xyz: await xyzOf(hdu), radius: Float64Array.from(t.getChild('radius')!.toArray() as ArrayLike<number>) };
    };
    return {
      maximals: await spheres('MAXIMALS'),
      holes: await spheres('HOLES'),
      wall: await xyzOf('WALL'),
      field: await xyzOf('FIELD'),
    };
  } finally {
    await f.close();
  }
}

/** sha256 of a file, to tell whether a cached VAST classification was made against the same VAST output. */
export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('end', () => res(h.digest('hex')))
      .on('error', rej);
  });
}

/**
 * VAST's output FITS as the classifier needs it: HOLES as an Arrow table and MASK with its resolution and VAST's
 * distance limits from PRIMARY (DLIML, DLIMU, rounded there to 2 decimals, as VAST's classifyEnvironment reads them).
 * The bench's own reader, so that it measures the classifier on VAST's file whatever catalogue reader lib/voids has.
 */
export async function readVastHolesAndMask(path: string): Promise<{ holes: Table; mask: SurveyMask }> {
  const f = await openFits(path);
  try {
    const holes = await f.readTable('HOLES');
    const image = await f.readImage('MASK');
    const primary = f.hdu(0).header;
    const resolution = f.hdu('MASK').header.int('MSKRES');
    const cells = Uint8Array.from(image.data as ArrayLike<number | bigint>, (v) => (Number(v) ? 1 : 0));
    return { holes, mask: { resolution, cells, rMin: Number(primary.get('DLIML')), rMax: Number(primary.get('DLIMU')) } };
  } finally {
    await f.close();
  }
}
