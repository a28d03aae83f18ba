import { Field, Int8, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import { redactUrl, warn } from '../../core/index.js';
import { UsageError, VoidsError } from '../../errors/index.js';
import {
  buildSurveyMask,
  classifySkyGalaxies,
  readVoidCatalogue,
  storeMembership,
  type SurveyMask,
  tableFileBytes,
  vastDistances,
} from '../../voids/index.js';
import { parseArgs } from '../args.js';
import { readGalaxyColumns } from '../galaxy-table.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

/** A number option within bounds, or a usage error naming it. */
function numberOption(name: string, text: string | undefined, ok: (v: number) => boolean, what: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw UsageError.invalid(name, text, what);
  return v;
}

/** The FLAGS table: row (input order), vflag, void (-1: none), and TARGETID when the input has one. */
function flagsTable(vflag: Uint8Array, voids: Int32Array, targetid: BigInt64Array | undefined, targetName: string | undefined): Table {
  const n = vflag.length;
  const columns: [Field, ArrayBufferView][] = [
    [new Field('row', new Int64(), false), BigInt64Array.from({ length: n }, (_, i) => BigInt(i))],
    ...(targetid ? [[new Field(targetName ?? 'TARGETID', new Int64(), false), targetid] as [Field, ArrayBufferView]] : []),
    [new Field('vflag', new Int8(), false), Int8Array.from(vflag)],
    [new Field('void', new Int32(), false), voids],
  ];
  const schema = new Schema(columns.map(([f]) => f));
  const children = columns.map(([f, data]) => makeData({ type: f.type, length: n, data } as never));
  return new Table(schema, [
    new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children } as never) as never),
  ]);
}

/**
 * `skybook voids classify GALAXIES --voids VOIDS.fits --out FLAGS.parquet`: the vflag of every galaxy (1 void, 0
 * wall, 2 edge, 9 outside) against a VoidFinder catalogue, by VAST's rules; one output row per input row, in order.
 *
 * @example
 * skybook voids classify vollim_dr7_cbp_102709.fits --voids DR7_VoidFinder_Output.fits --out flags.parquet --json
 */
export const voidsClassify: Command = {
  name: 'voids classify',
  usage:
    'skybook voids classify GALAXIES --voids VOIDS.fits --out FLAGS.parquet [--zmax Z] [--omega-m X] [--h X] [--ra-column NAME] [--dec-column NAME] [--z-column NAME] [--store URL] [--json]',
  summary: "each galaxy's environment (vflag: 1 void, 0 wall, 2 edge, 9 outside) against a VoidFinder catalogue, as VAST decides it",
  flags: [
    { flag: 'GALAXIES', help: 'the galaxies: a FITS table (its first BINTABLE) or a .parquet file with ra, dec and redshift columns' },
    {
      flag: '--voids VOIDS.fits',
      help: "a VoidFinder catalogue: skybook's, VAST's {survey}_VoidFinder_Output.fits, or a DESIVAST DR1 VoidFinder file (required)",
    },
    {
      flag: '--out FLAGS.parquet',
      help: 'where to write one row per input row, in input order: row, TARGETID (when the input has one), vflag, void (-1: none); .parquet or .arrow (required; written atomically)',
    },
    {
      flag: '--zmax Z',
      help: "galaxies beyond redshift Z are outside (9); for a voids file without a MASK (DESIVAST) the mask built from the galaxies ends there (default: the file's ZLIMU or DLIMU)",
    },
    { flag: '--omega-m X', help: "Omega_M for comoving distances (default: the voids file's OMEGAM, else 0.3 as VAST)" },
    { flag: '--h X', help: "the reduced Hubble constant h (default: the voids file's HP, else 1: distances in Mpc/h)" },
    { flag: '--ra-column NAME', help: 'the right ascension column, degrees (default ra or TARGET_RA, any case)' },
    { flag: '--dec-column NAME', help: 'the declination column, degrees (default dec or TARGET_DEC, any case)' },
    { flag: '--z-column NAME', help: 'the redshift column (default z or redshift, any case)' },
    {
      flag: '--store URL',
      help: 'also write the void_membership table (targetid, vflag, void) into duckdb:PATH or postgres://...; needs a TARGETID column',
    },
    { flag: '--json', help: 'print the counts per flag, the rows without a usable redshift, and timings as JSON' },
  ],
  async run(argv, io) {
    const t0 = performance.now();
    const args = parseArgs(argv, {
      positionals: ['galaxies'],
      values: ['voids', 'out', 'zmax', 'omega-m', 'h', 'ra-column', 'dec-column', 'z-column', 'store'],
      switches: ['json'],
    });
    const galaxiesPath = args.positionals.galaxies!;
    const voidsPath = args.values.voids;
    if (!voidsPath) throw new UsageError('missing --voids VOIDS.fits', { option: 'voids' });
    const outPath = args.values.out;
    if (!outPath) throw new UsageError('missing --out FLAGS.parquet', { option: 'out' });
    if (!/\.(parquet|arrow|feather|ipc)$/i.test(outPath)) throw UsageError.invalid('out', outPath, 'a .parquet or .arrow file');
    const zmax = numberOption('zmax', args.values.zmax, (v) => v > 0, 'a redshift > 0');
    const omegaArg = numberOption('omega-m', args.values['omega-m'], (v) => v > 0 && v <= 1, '0 < Omega_M <= 1');
    const hArg = numberOption('h', args.values.h, (v) => v > 0, 'a number > 0');
    const storeUrl = args.values.store;
    if (storeUrl !== undefined && !/^(duckdb:|postgres(ql)?:\/\/)/.test(storeUrl))
      throw UsageError.invalid('store', redactUrl(storeUrl), 'duckdb:PATH or postgres://...');
    const json = args.switches.has('json');

    // Inputs before outputs, outputs before work: bad input is named first, an unwritable --out before any classifying.
    const catalogue = await readVoidCatalogue(voidsPath);
    const galaxies = await readGalaxyColumns(galaxiesPath, {
      ra: args.values['ra-column'],
      dec: args.values['dec-column'],
      z: args.values['z-column'],
    });
    if (storeUrl !== undefined && !galaxies.targetid)
      throw new VoidsError('--store needs a TARGETID column to key void_membership by; the table has none', {
        file: galaxiesPath,
        ...(galaxies.hdu !== undefined ? { hdu: galaxies.hdu } : {}),
        column: 'TARGETID',
      });
    const tRead = performance.now();
    const out = await OutputFile.open('--out', outPath);
    try {
      const cosmology = {
        omegaM: omegaArg ?? catalogue.settings.omegaM ?? 0.3,
        h: hArg ?? catalogue.settings.h ?? 1,
        distanceMetric: catalogue.settings.distanceMetric ?? 'comoving',
        // float32 ra/dec columns: VAST placed these galaxies in float32 arithmetic, so do the same (hole surfaces)
        float32: galaxies.float32,
      };
      let mask: SurveyMask | undefined = catalogue.mask;
      if (!mask) {
        // DESIVAST's files carry no mask: build the one VAST would have, from these galaxies, out to the sample's limits
        const zLimit = zmax ?? catalogue.settings.zMax;
        const rMax = catalogue.distanceLimits?.[1] ?? (zLimit !== undefined ? vastDistances([zLimit], cosmology)[0] : undefined);
        if (rMax === undefined)
          throw new VoidsError('has no MASK and no distance limit (DLIMU, ZLIMU): give --zmax to build the mask from the galaxies', {
            file: voidsPath,
          });
        const rMin = catalogue.distanceLimits?.[0] ?? 0;
        const usable = Int32Array.from(galaxies.z.keys()).filter((i) => {
          const z = galaxies.z[i]!;
          return z >= 0 && Number.isFinite(z) && Number.isFinite(galaxies.ra[i]!) && Number.isFinite(galaxies.dec[i]!);
        });
        mask = buildSurveyMask(
          Float64Array.from(usable, (i) => galaxies.ra[i]!),
          Float64Array.from(usable, (i) => galaxies.dec[i]!),
          { rMin, rMax, minMaximalRadius: catalogue.settings.minMaximal ?? 10 },
        );
        warn(
          `${voidsPath}: no MASK HDU; classified against the survey mask of ${galaxiesPath} (VAST's generate_mask, ${rMin}-${rMax.toFixed(2)} Mpc/h)`,
        );
      }
      const env = classifySkyGalaxies(
        { ra: galaxies.ra, dec: galaxies.dec, redshift: galaxies.z },
        { holes: catalogue.holes, mask, wall: catalogue.wall, field: catalogue.field },
        cosmology,
      );
      let beyond = 0;
      if (zmax !== undefined)
        for (let i = 0; i < env.vflag.length; i++)
          if (galaxies.z[i]! > zmax && env.vflag[i] !== 9) {
            env.vflag[i] = 9;
            env.void[i] = -1;
            beyond++;
          }
      const counts = { wall: 0, void: 0, edge: 0, outside: 0 };
      for (const f of env.vflag) counts[f === 1 ? 'void' : f === 2 ? 'edge' : f === 9 ? 'outside' : 'wall']++;
      if (env.invalidRows.length > 0) {
        const first = Array.from(env.invalidRows.subarray(0, 5)).join(', ');
        warn(
          `${galaxiesPath}: column ${galaxies.names.z}: ${env.invalidRows.length} rows without a usable redshift or position (rows ${first}${env.invalidRows.length > 5 ? ', ...' : ''}): vflag 9`,
        );
      }
      const tClassify = performance.now();
      const table = flagsTable(env.vflag, env.void, galaxies.targetid, galaxies.names.targetid);
      await out.write(tableFileBytes(outPath, table));
      if (storeUrl !== undefined) await storeMembership(storeUrl, { targetid: galaxies.targetid!, vflag: env.vflag, void: env.void });
      await out.commit();
      const tWrite = performance.now();
      const ms = (a: number, b: number) => Math.round(b - a) / 1000;
      const summary = {
        galaxies: env.vflag.length,
        counts,
        invalid: { count: env.invalidRows.length, rows: Array.from(env.invalidRows.subarray(0, 100)) },
        beyondZmax: beyond,
        columns: galaxies.names,
        cosmology,
        mask: catalogue.mask ? 'file' : 'built from the galaxies',
        // galaxies placed at the catalogue's own WALL/FIELD positions (VAST's float32 bits)
        snapped: env.snapped,
        holes: catalogue.holes.numRows,
        out: outPath,
        ...(storeUrl !== undefined ? { store: 'void_membership' } : {}),
        seconds: { read: ms(t0, tRead), classify: ms(tRead, tClassify), write: ms(tClassify, tWrite), total: ms(t0, tWrite) },
        ...(io.warnings?.length ? { warnings: [...io.warnings] } : {}),
      };
      if (json) io.stdout(`${toJson(summary, 2)}\n`);
      else
        io.stdout(
          `${outPath}: ${env.vflag.length} galaxies: ${counts.void} void, ${counts.wall} wall, ${counts.edge} edge, ${counts.outside} outside ` +
            `(${env.invalidRows.length} without a usable redshift) in ${summary.seconds.total.toFixed(2)} s\n`,
        );
      return 0;
    } catch (e) {
      await out.abandon();
      throw e;
    }
  },
};
