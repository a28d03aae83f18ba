import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { openFits } from '../../lib/fits/index.js';
import { findVoids } from '../../lib/voids/index.js';
import { classifySkyGalaxies } from '../../lib/voids/membership.js';
import { readVastHolesAndMask } from './vast.js';

/**
 * The skybook side of bench/voids, run by the driver in a fresh process: reads a galaxy table (ra, dec, z), runs
 * `findVoids` then classifies every row with `classifySkyGalaxies` (positions as VAST computes them, then
 * `classifyGalaxies`) against the voids just found (or, with `--voids FILE`,
 * against VAST's own output FITS, without finding). Writes what the driver
 * compares with VAST into OUT (maximals.json, wall.f64, field.f64: interleaved xyz little-endian, vflag.u8) and prints
 * one JSON line: the seconds of each step (not Node's start or the imports), CPU seconds, peak RSS, counts and a
 * sha256 of the whole catalogue (to check that every thread count gives the same bytes).
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
  /** classifySkyGalaxies: comoving xyz of every row, then the vflags. */
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

async function readGalaxies(path: string, columns: Options['columns']): Promise<{ ra: Float64Array; dec: Float64Array; z: Float64Array }> {
  const f = await openFits(path);
  try {
    const t = await f.readTable(1, { columns: [columns.ra, columns.dec, columns.z] });
    const col = (name: string) => Float64Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);
    return { ra: col(columns.ra), dec: col(columns.dec), z: col(columns.z) };
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
      });
  const t2 = performance.now();
  const catalogue = found ?? (await readVastHolesAndMask(o.voids!));
  const t2b = performance.now();
  const { vflag } = classifySkyGalaxies({ ra: galaxies.ra, dec: galaxies.dec, redshift: galaxies.z }, catalogue, {
    omegaM: o.omegaM,
    h: o.h,
    distanceMetric: 'comoving',
  });
  const t3 = performance.now();
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
