import { availableParallelism } from 'node:os';
import { formatLocation, UsageError, VoidsError } from '../../errors/index.js';
import { findVoids, writeVoidCatalogue } from '../../voids/index.js';
import { parseArgs } from '../args.js';
import { readGalaxyColumns } from '../galaxy-table.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

function number(
  name: string,
  text: string | undefined,
  fallback: number | undefined,
  ok: (v: number) => boolean,
  allowed: string,
): number | undefined {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw UsageError.invalid(name, text, allowed);
  return v;
}

/**
 * `skybook voids find GALAXIES --out VOIDS.fits`: VoidFinder as VAST runs it, from a FITS or Parquet galaxy table,
 * into a catalogue file in VAST's layout (MAXIMALS, HOLES, MASK, WALL, FIELD).
 */
export const voidsFind: Command = {
  name: 'voids find',
  usage:
    'skybook voids find GALAXIES --out VOIDS.fits [--zmin Z] [--zmax Z] [--omega-m X] [--h X] [--cell 5] [--min-maximal 10] ' +
    '[--threads N] [--ra-column NAME] [--dec-column NAME] [--z-column NAME] [--fourth-galaxy] [--json]',
  summary: "find voids with VAST's VoidFinder (same holes and maximal spheres as VAST 1.7.6), on worker threads",
  flags: [
    { flag: 'GALAXIES', help: 'a FITS (first table HDU) or Parquet table of galaxies with ra, dec (degrees) and redshift columns' },
    {
      flag: '-o, --out VOIDS.fits',
      help: "the catalogue to write, in VAST's layout: PRIMARY, MAXIMALS, HOLES, MASK, WALL, FIELD (required)",
    },
    { flag: '--zmin Z', help: 'nearest redshift of the sample (default: the smallest in the table)' },
    {
      flag: '--zmax Z',
      help: 'farthest redshift; galaxies beyond it are left out, but they still mark the sky mask (default: the largest)',
    },
    { flag: '--omega-m X', help: 'Omega_M of the flat LambdaCDM comoving distances (default 0.3; VAST runs SDSS DR7 with 0.26)' },
    { flag: '--h X', help: 'H0 / 100 km/s/Mpc (default 1: distances in Mpc/h)' },
    { flag: '--cell MPC', help: 'edge of the search-grid cells a hole is grown from, Mpc/h (default 5)' },
    { flag: '--min-maximal MPC', help: 'smallest radius of a maximal sphere (a void), Mpc/h (default 10)' },
    { flag: '--threads N', help: 'worker threads (default 1); the catalogue is byte-identical for any number' },
    { flag: '--ra-column NAME', help: 'the right ascension column (default ra or TARGET_RA, any case)' },
    { flag: '--dec-column NAME', help: 'the declination column (default dec or TARGET_DEC, any case)' },
    { flag: '--z-column NAME', help: 'the redshift column (default z or redshift, any case)' },
    {
      flag: '--fourth-galaxy',
      help: 'grow each hole until a 4th galaxy bounds it, as VoidFinder intends (VAST 1.7.6 stops at 3; the default matches VAST)',
    },
    { flag: '--json', help: 'print counts (galaxies, wall, field, holes, voids) and seconds per stage as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['galaxies'],
      values: ['out', 'zmin', 'zmax', 'omega-m', 'h', 'cell', 'min-maximal', 'threads', 'ra-column', 'dec-column', 'z-column'],
      switches: ['json', 'fourth-galaxy'],
      aliases: { o: 'out' },
    });
    const v = args.values;
    const out = v.out;
    if (!out) throw new UsageError('missing --out VOIDS.fits', { option: 'out' });
    const zMin = number('zmin', v.zmin, undefined, (x) => x >= 0, 'a redshift >= 0');
    const zMax = number('zmax', v.zmax, undefined, (x) => x > 0, 'a redshift > 0');
    if (zMin !== undefined && zMax !== undefined && !(zMax > zMin))
      throw UsageError.invalid('zmax', v.zmax!, `a redshift above --zmin ${zMin}`);
    const omegaM = number('omega-m', v['omega-m'], 0.3, (x) => x > 0 && x <= 1, 'a number in (0, 1]')!;
    const h = number('h', v.h, 1, (x) => x > 0, 'a number > 0')!;
    const cell = number('cell', v.cell, 5, (x) => x > 0, 'a length in Mpc/h > 0')!;
    const minMaximal = number('min-maximal', v['min-maximal'], 10, (x) => x > 0, 'a radius in Mpc/h > 0')!;
    const threads = number(
      'threads',
      v.threads,
      1,
      (x) => Number.isInteger(x) && x >= 1 && x <= 4 * availableParallelism(),
      `an integer 1..${4 * availableParallelism()}`,
    )!;
    const json = args.switches.has('json');
    const file = args.positionals.galaxies!;
    // The output must be writable before the work starts (a missing folder is reported at once, exit 2).
    const probe = await OutputFile.open('--out', out);
    await probe.abandon();
    const t0 = performance.now();
    const g = await readGalaxyColumns(file, { ra: v['ra-column'], dec: v['dec-column'], z: v['z-column'] });
    const where = { file: g.file, ...(g.hdu !== undefined ? { hdu: g.hdu } : {}) };
    for (let i = 0; i < g.z.length; i++) {
      const z = g.z[i]!;
      if (Number.isNaN(z)) throw new VoidsError('redshift is NaN (or null)', { ...where, column: g.names.z, row: i });
      if (!(z >= 0) || !Number.isFinite(z))
        throw new VoidsError(`redshift is ${z} (a redshift is >= 0)`, { ...where, column: g.names.z, row: i });
      if (!Number.isFinite(g.ra[i]!)) throw new VoidsError(`ra is ${g.ra[i]}`, { ...where, column: g.names.ra, row: i });
      if (!(g.dec[i]! >= -90 && g.dec[i]! <= 90))
        throw new VoidsError(`dec is ${g.dec[i]} (-90 <= dec <= 90)`, { ...where, column: g.names.dec, row: i });
    }
    const t1 = performance.now();
    const progress = progressFor(io, !json);
    let catalogue;
    try {
      catalogue = await findVoids(
        { ra: g.ra, dec: g.dec, z: g.z },
        {
          ...(zMin !== undefined ? { zMin } : {}),
          ...(zMax !== undefined ? { zMax } : {}),
          omegaM,
          h,
          cell,
          minMaximal,
          threads,
          float32: g.float32,
          fourthGalaxy: args.switches.has('fourth-galaxy'),
          progress,
        },
      );
    } catch (e) {
      // findVoids knows arrays, not files: say which file (and, for a column, its name there)
      if (e instanceof VoidsError && e.location.file === undefined) {
        const { column, row } = e.location;
        const problem = e.message.slice(formatLocation(e.location).length);
        const named = column === undefined ? undefined : (g.names[column as 'ra' | 'dec' | 'z'] ?? column);
        throw new VoidsError(problem, {
          ...where,
          ...(named !== undefined ? { column: named } : {}),
          ...(row !== undefined ? { row } : {}),
        });
      }
      throw e;
    } finally {
      progress.finish();
    }
    const t2 = performance.now();
    await writeVoidCatalogue(
      out,
      { ...catalogue, settings: { ...catalogue.settings, inputFile: file.split('/').pop()! } },
      { overwrite: true },
    );
    const t3 = performance.now();
    const s = catalogue.summary!;
    const seconds = { read: (t1 - t0) / 1000, find: (t2 - t1) / 1000, write: (t3 - t2) / 1000 };
    if (json) {
      const round = (x: number) => Math.round(x * 1000) / 1000;
      io.stdout(
        toJson(
          {
            input: file,
            out,
            ...s,
            rMin: catalogue.settings.rMin,
            rMax: catalogue.settings.rMax,
            maskResolution: catalogue.mask.resolution,
            threads,
            seconds: { read: round(seconds.read), find: round(seconds.find), write: round(seconds.write) },
          },
          2,
        ) + '\n',
      );
    } else {
      io.stdout(
        `${out}: ${s.maximals} voids (${s.edgeVoids} at the survey edge), ${s.holes} holes; ${s.wall} wall + ${s.field} field of ` +
          `${s.galaxies} galaxies (${s.galaxies - s.inRange} outside the redshift range); ${s.holesGrown} holes grown in ` +
          `${s.emptyCells} empty cells, ${s.holesCut} cut; ${seconds.find.toFixed(1)} s\n`,
      );
    }
    return 0;
  },
};
