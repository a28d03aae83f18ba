import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { openFits } from '../../lib/fits/index.js';
import { classifyGalaxies, findVoids, type SurveyMask, vastRadii, vastXyz } from '../../lib/voids/index.js';
import { readVastHolesAndMask } from './vast.js';

/**
 * The skybook side of bench/voids, run by the driver in a fresh process: reads a galaxy table (ra, dec, z), runs
 * `findVoids` then classifies every row with `classifyGalaxies` against the voids just found (or, with `--voids FILE`,
 * against VAST's own output FITS, without finding). Positions are VAST's to the bit: `vastRadii` + `vastXyz`, in
 * float32 (numpy's float32 sin/cos) when ra and dec are float32 columns, as in the DR7 file; findVoids gets the same
 * `float32`. Writes what the driver compares with VAST into OUT (maximals.json; wall.f64, field.f64: interleaved xyz;
 * holes.f64: x y z radius per hole; vflag.u8; vflag-dlimu2.u8: the flags with the survey's far limit rounded to two
 * decimals, as VAST's file stores DLIMU and its classification reads it back) and prints one JSON line: the seconds
 * of each step (not Node's start or the imports), CPU seconds, peak RSS, counts and a sha256 of the whole catalogue (to
 * check that every thread count gives the same bytes).
 *
 * @example
 * node dist/bench/voids/measure.js ../shared/fixtures/voids/vollim_dr7_cbp_102709.fits --out bench/out/voids/ours-t1 --threads 1
 */
export interface Measurement {
  tool: 'skybook';
  threads: number;
  cell: number;
  readSeconds: number;
  /** findVoids alone (mask, wall/field split, holes, volume cut, maximals, voids). */
  findSeconds: number;
  /** VAST's comoving xyz of every row (vastRadii + vastXyz), then classifyGalaxies. */
  classifySeconds: number;
  /** find + classify: the goal (<= 15 s on one thread). */
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  rows: number;
  wall: number;
  field: number;
  maximals: number;
  holes: number;
  vflagCounts: Record<string, number>;
  catalogueSha256: string;
}

interface Options {
  galaxies: string;
  out: string;
  threads: number;
  zMin: number;
  zMax: number;
  omegaM: number;
  h: number;
  cell: number;
  minMaximal: number;
  voids: string | undefined;
  columns: { ra: string; dec: string; z: string };
}

const USAGE =
  'usage: measure.js GALAXIES --out DIR [--threads N] [--zmin Z] [--zmax Z] [--omega-m X] [--h X] [--cell C] [--min-maximal R] [--voids FILE]';

function parseOptions(argv: string[]): Options {
  const o: Options = {
    galaxies: '',
    out: '',
    threads: 1,
    zMin: 0,
    zMax: 0.1026,
    omegaM: 0.26,
    h: 1,
    cell: 5,
    minMaximal: 10,
    voids: undefined,
    columns: { ra: 'ra', dec: 'dec', z: 'z' },
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`invalid ${a}: ${argv[i]} (${USAGE})`);
      return v;
    };
    if (a === '--out') o.out = argv[++i] ?? '';
    else if (a === '--threads') o.threads = num();
    else if (a === '--zmin') o.zMin = num();
    else if (a === '--zmax') o.zMax = num();
    else if (a === '--omega-m') o.omegaM = num();
    else if (a === '--h') o.h = num();
    else if (a === '--cell') o.cell = num();
    else if (a === '--min-maximal') o.minMaximal = num();
    else if (a === '--voids') o.voids = argv[++i];
    else if (a.startsWith('--')) throw new Error(`invalid option: ${a} (${USAGE})`);
    else o.galaxies = a;
  }
  if (!o.galaxies || !o.out) throw new Error(USAGE);
  return o;
}

/** ra, dec and z of every row, and whether ra and dec are float32 columns (then VAST computes positions in float32). */
async function readGalaxies(
  path: string,
  columns: Options['columns'],
): Promise<{ ra: Float64Array; dec: Float64Array; z: Float64Array; float32: boolean }> {
  const f = await openFits(path);
  try {
    const t = await f.readTable(1, { columns: [columns.ra, columns.dec, columns.z] });
    const raw = (name: string) => t.getChild(name)!.toArray() as ArrayLike<number>;
    const col = (name: string) => Float64Array.from(raw(name));
    const float32 = raw(columns.ra) instanceof Float32Array && raw(columns.dec) instanceof Float32Array;
    return { ra: col(columns.ra), dec: col(columns.dec), z: col(columns.z), float32 };
  } finally {
    await f.close();
  }
}

/** Every column of a table, in order, as bytes: the catalogue's identity for the determinism check. */
function hashTable(hash: ReturnType<typeof createHash>, t: Table): void {
  for (const field of t.schema.fields) {
    hash.update(field.name);
    const v = t.getChild(field.name)!.toArray() as Float64Array | Int32Array | BigInt64Array;
    hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
}

function column(t: Table, name: string): Float64Array {
  return Float64Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);
}

/** A header number as VAST's postprocessing.mknum writes it: 3 significant digits below 1, else 2 decimals. */
function vastHeaderNumber(v: number): number {
  return Math.abs(v) < 1 ? Number(v.toPrecision(3)) : Number(v.toFixed(2));
}

function bytes(a: Float64Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const galaxies = await readGalaxies(o.galaxies, o.columns);
  const t1 = performance.now();
  const found = o.voids
    ? undefined
    : await findVoids(galaxies, {
        zMin: o.zMin,
        zMax: o.zMax,
        omegaM: o.omegaM,
        h: o.h,
        distanceMetric: 'comoving',
        cell: o.cell,
        minMaximal: o.minMaximal,
        threads: o.threads,
        float32: galaxies.float32,
      });
  const t2 = performance.now();
  const catalogue = found ?? (await readVastHolesAndMask(o.voids!));
  const t2b = performance.now();
  const { float32 } = galaxies;
  const r = vastRadii(galaxies.z, { omegaM: o.omegaM, h: o.h, distanceMetric: 'comoving', float32 });
  const xyz = vastXyz(galaxies.ra, galaxies.dec, r, { float32 });
  const vflag = classifyGalaxies(xyz, catalogue);
  const t3 = performance.now();
  // VAST writes DLIMU with two decimals (postprocessing.mknum) and its classification reads that back: the galaxies
  // between the two far limits that no hole holds are outside (9) there. The same flags with that limit, for comparison.
  const rounded: SurveyMask = { ...catalogue.mask, rMax: vastHeaderNumber(catalogue.mask.rMax) };
  writeFileSync(join(o.out, 'vflag-dlimu2.u8'), classifyGalaxies(xyz, { holes: catalogue.holes, mask: rounded }));
  const cpu = process.cpuUsage(c0);

  const hash = createHash('sha256');
  if (found) {
    hashTable(hash, found.maximals);
    hashTable(hash, found.holes);
    hash.update(bytes(found.wall));
    hash.update(bytes(found.field));
    const m = found.maximals;
    writeFileSync(
      join(o.out, 'maximals.json'),
      JSON.stringify({ x: [...column(m, 'x')], y: [...column(m, 'y')], z: [...column(m, 'z')], radius: [...column(m, 'radius')] }),
    );
    writeFileSync(join(o.out, 'wall.f64'), bytes(found.wall));
    writeFileSync(join(o.out, 'field.f64'), bytes(found.field));
    const holes = ['x', 'y', 'z', 'radius'].map((c) => column(found.holes, c));
    writeFileSync(
      join(o.out, 'holes.f64'),
      bytes(Float64Array.from({ length: 4 * found.holes.numRows }, (_, k) => holes[k % 4]![Math.floor(k / 4)]!)),
    );
  }
  hash.update(bytes(vflag));
  writeFileSync(join(o.out, 'vflag.u8'), bytes(vflag));

  const vflagCounts: Record<string, number> = {};
  for (const f of vflag) vflagCounts[String(f)] = (vflagCounts[String(f)] ?? 0) + 1;
  const findSeconds = (t2 - t1) / 1000;
  const classifySeconds = (t3 - t2b) / 1000;
  const out: Measurement = {
    tool: 'skybook',
    threads: o.threads,
    cell: o.cell,
    readSeconds: (t1 - t0) / 1000,
    findSeconds,
    classifySeconds,
    seconds: findSeconds + classifySeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rows: galaxies.ra.length,
    wall: found ? found.wall.length / 3 : 0,
    field: found ? found.field.length / 3 : 0,
    maximals: found ? found.maximals.numRows : 0,
    holes: catalogue.holes.numRows,
    vflagCounts,
    catalogueSha256: hash.digest('hex'),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
