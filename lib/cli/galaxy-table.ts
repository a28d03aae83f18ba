import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Table, tableFromIPC, Type } from 'apache-arrow';
import { fileProblem, VoidsError } from '../errors/index.js';
import { openFits } from '../fits/index.js';

/**
 * The columns the void commands read from a galaxy table: ra, dec, z as float64 (nulls as NaN), TARGETID as exact
 * int64 when the table has one, whether ra and dec are float32 (VAST then computes positions in float32), where they
 * came from (file, HDU name or index) and the names the file spells them with.
 *
 * @example
 * const g = await readGalaxyColumns('vollim_dr7_cbp_102709.fits'); g.z.length // 120606
 */
export interface GalaxyColumns {
  ra: Float64Array;
  dec: Float64Array;
  z: Float64Array;
  targetid: BigInt64Array | undefined;
  float32: boolean;
  file: string;
  /** The FITS HDU the table is in, by EXTNAME or else index (undefined for Parquet). */
  hdu: string | number | undefined;
  names: { ra: string; dec: string; z: string; targetid: string | undefined };
}

/**
 * Column names to look for (any case); unset, each takes its usual spellings: ra or TARGET_RA, dec or TARGET_DEC,
 * z or redshift (VAST's files use lower case, DESI's upper case).
 *
 * @example
 * const names: GalaxyColumnNames = { z: 'Z_CMB' };
 */
export interface GalaxyColumnNames {
  ra?: string | undefined;
  dec?: string | undefined;
  z?: string | undefined;
}

const DEFAULTS = { ra: ['ra', 'target_ra'], dec: ['dec', 'target_dec'], z: ['z', 'redshift'] } as const;

/** The column of `have` matching one of `wanted` (any case, earlier wanted first). */
function pick(have: readonly string[], wanted: readonly string[]): string | undefined {
  for (const w of wanted) {
    const hit = have.find((h) => h.toLowerCase() === w.toLowerCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}

type Where = { file: string; hdu?: string | number };

/** ra, dec, z (and TARGETID) among `have`; a missing one is a VoidsError naming file, HDU and column, with the option to name it. */
function chooseColumns(have: readonly string[], names: GalaxyColumnNames, where: Where) {
  const one = (key: keyof typeof DEFAULTS) => {
    const given = names[key];
    const wanted = given !== undefined ? [given] : DEFAULTS[key];
    const found = pick(have, wanted);
    if (found === undefined)
      throw new VoidsError(
        `no ${wanted.join(' or ')} column (the table has ${have.join(', ') || 'no columns'}); name the ${key} column with --${key}-column`,
        { ...where, column: wanted[0] },
      );
    return found;
  };
  return { ra: one('ra'), dec: one('dec'), z: one('z'), targetid: pick(have, ['targetid']) };
}

interface ParquetWasm {
  readParquet(bytes: Uint8Array, options?: { columns?: string[] }): { intoIPCStream(): Uint8Array };
  readSchema(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

/** A numeric column as float64, nulls as NaN; a VoidsError naming the column when it is not numeric. */
function floats(t: Table, name: string, where: Where): Float64Array {
  const v = t.getChild(name)!;
  const raw = v.toArray() as unknown;
  if (!ArrayBuffer.isView(raw) || raw instanceof DataView)
    throw new VoidsError(`is ${String(v.type)}, not a number column`, { ...where, column: name });
  const out = Float64Array.from(raw as unknown as ArrayLike<number>, Number);
  if (v.nullCount > 0) for (let i = 0; i < out.length; i++) if (!v.isValid(i)) out[i] = Number.NaN;
  return out;
}

/** TARGETID as exact int64; a VoidsError naming the column when it is not an integer column, or the row of a null. */
function ids(t: Table, name: string, where: Where): BigInt64Array {
  const v = t.getChild(name)!;
  if (v.nullCount > 0) {
    let row = 0;
    while (v.isValid(row)) row++;
    throw new VoidsError('TARGETID is null', { ...where, column: name, row });
  }
  const raw = v.toArray() as unknown;
  if (raw instanceof BigInt64Array) return raw;
  if (raw instanceof BigUint64Array) return BigInt64Array.from(raw, (x) => BigInt.asIntN(64, x));
  if (v.type.typeId === Type.Int) return BigInt64Array.from(raw as ArrayLike<number>, (x) => BigInt(x));
  throw new VoidsError(`is ${String(v.type)}; TARGETID must be an integer column to stay exact`, { ...where, column: name });
}

/** The first bytes of a file (to tell Parquet from FITS), or a VoidsError naming it. */
async function magic(path: string): Promise<string> {
  try {
    const fh = await open(path, 'r');
    try {
      const b = Buffer.alloc(4);
      await fh.read(b, 0, 4, 0);
      return b.toString('latin1');
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new VoidsError(fileProblem(e), { file: path });
  }
}

/**
 * Reads the galaxy columns of a FITS table (its first binary or ASCII table HDU) or a Parquet file (told apart by its
 * first bytes), only the columns needed. A missing file or column, a table without rows, or a dec outside [-90, 90]
 * is a VoidsError (exit 2) naming the file, HDU, column and row. NaN, null and negative redshifts come back as they
 * are: `voids find` refuses them, `voids classify` gives those rows vflag 9 and counts them.
 *
 * @example
 * const g = await readGalaxyColumns('galaxies.parquet', { z: 'Z' });
 */
export async function readGalaxyColumns(path: string, names: GalaxyColumnNames = {}): Promise<GalaxyColumns> {
  let table: Table;
  let hdu: string | number | undefined;
  let chosen: ReturnType<typeof chooseColumns>;
  if ((await magic(path)) === 'PAR1') {
    const bytes = await readFile(path).catch((e: unknown) => {
      throw new VoidsError(fileProblem(e), { file: path });
    });
    const pq = createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
    let fields: string[];
    try {
      fields = tableFromIPC(pq.readSchema(bytes).intoIPCStream()).schema.fields.map((f) => f.name);
    } catch (e) {
      throw new VoidsError(`not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`, { file: path });
    }
    chosen = chooseColumns(fields, names, { file: path });
    table = tableFromIPC(
      pq.readParquet(bytes, { columns: [chosen.ra, chosen.dec, chosen.z, ...(chosen.targetid ? [chosen.targetid] : [])] }).intoIPCStream(),
    );
  } else {
    const fits = await openFits(path);
    try {
      const info = fits.hdus.find((h) => h.type === 'BINTABLE' || h.type === 'TABLE');
      if (!info)
        throw new VoidsError(
          `no table HDU (galaxies need a binary or ASCII table with ra, dec and z columns; the file has ${fits.hdus.map((h) => `${h.name || `#${h.index}`} (${h.type})`).join(', ')})`,
          { file: path },
        );
      hdu = info.name || info.index;
      const fieldCount = Number(info.header.get('TFIELDS') ?? 0);
      const present = Array.from({ length: fieldCount }, (_, i) => String(info.header.get(`TTYPE${i + 1}`) ?? '').trim());
      chosen = chooseColumns(present, names, { file: path, hdu });
      table = await fits.readTable(info.index, {
        columns: [chosen.ra, chosen.dec, chosen.z, ...(chosen.targetid ? [chosen.targetid] : [])],
      });
    } finally {
      await fits.close();
    }
  }
  const where: Where = hdu === undefined ? { file: path } : { file: path, hdu };
  if (table.numRows === 0) throw new VoidsError('no galaxies (an empty table)', where);
  const ra = floats(table, chosen.ra, where);
  const dec = floats(table, chosen.dec, where);
  const z = floats(table, chosen.z, where);
  for (let i = 0; i < dec.length; i++) {
    const d = dec[i]!;
    if (Number.isFinite(d) && (d < -90 || d > 90))
      throw new VoidsError(`dec ${d} is outside [-90, 90] degrees`, { ...where, column: chosen.dec, row: i });
  }
  const single = (name: string) => {
    const t = table.getChild(name)!.type;
    return t.typeId === Type.Float && (t as unknown as { precision: number }).precision === 1;
  };
  return {
    ra,
    dec,
    z,
    targetid: chosen.targetid ? ids(table, chosen.targetid, where) : undefined,
    float32: single(chosen.ra) && single(chosen.dec),
    file: path,
    hdu,
    names: { ra: chosen.ra, dec: chosen.dec, z: chosen.z, targetid: chosen.targetid },
  };
}
