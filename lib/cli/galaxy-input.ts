import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Table, tableFromIPC, Type } from 'apache-arrow';
import { fileProblem, VoidsError } from '../errors/index.js';
import { describeColumns, FitsFile } from '../fits/index.js';

/**
 * The columns a void command reads from a galaxy table: sky position, redshift and, when the table has one, TARGETID
 * (exact int64), with the names they were found under and the HDU they came from (FITS).
 *
 * @example
 * const g = await readGalaxyColumns('vollim_dr7_cbp_102709.fits', {}); g.redshift.length // 120606
 */
export interface GalaxyColumns {
  file: string;
  hdu: string | undefined;
  ra: Float64Array;
  dec: Float64Array;
  redshift: Float64Array;
  targetid: BigInt64Array | undefined;
  names: { ra: string; dec: string; z: string; targetid: string | undefined };
  /** ra and dec are float32 columns (FITS E): VAST then computes positions in float32, and so does classification. */
  float32: boolean;
}

/**
 * Column names to look for; each defaults to the usual spellings in any case: ra or TARGET_RA, dec or TARGET_DEC,
 * z or redshift (VAST's files use lower case, DESI's upper case).
 *
 * @example
 * const names: GalaxyColumnNames = { z: 'Z_CMB' };
 */
export interface GalaxyColumnNames {
  ra?: string;
  dec?: string;
  z?: string;
}

const DEFAULTS = { ra: ['ra', 'target_ra'], dec: ['dec', 'target_dec'], z: ['z', 'redshift'] } as const;

/** The name in `have` matching one of `wanted` (case-insensitive, first wanted first), or undefined. */
function pick(have: readonly string[], wanted: readonly string[]): string | undefined {
  for (const w of wanted) {
    const hit = have.find((h) => h.toLowerCase() === w.toLowerCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Chooses the ra, dec, z (and TARGETID) columns among `have`; a missing one is a VoidsError naming file, HDU and column. */
function chooseColumns(have: readonly string[], names: GalaxyColumnNames, where: { file: string; hdu?: string }) {
  const one = (key: keyof typeof DEFAULTS) => {
    const wanted = names[key] !== undefined ? [names[key]!] : DEFAULTS[key];
    const found = pick(have, wanted);
    if (found === undefined)
      throw new VoidsError(
        `no ${wanted.join(' or ')} column${names[key] === undefined ? ` (name it with --${key === 'z' ? 'z' : key}-column)` : ''}; the table has ${have.join(', ') || 'no columns'}`,
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
function floats(t: Table, name: string, where: { file: string; hdu?: string }): Float64Array {
  const v = t.getChild(name)!;
  const raw = v.toArray() as unknown;
  if (!ArrayBuffer.isView(raw) || raw instanceof DataView)
    throw new VoidsError(`is ${String(v.type)}, not a number column`, { ...where, column: name });
  const out = Float64Array.from(raw as unknown as ArrayLike<number>, Number);
  if (v.nullCount > 0) for (let i = 0; i < out.length; i++) if (!v.isValid(i)) out[i] = Number.NaN;
  return out;
}

/** TARGETID as exact int64; a VoidsError naming the column when it is not an integer column or has nulls. */
function ids(t: Table, name: string, where: { file: string; hdu?: string }): BigInt64Array {
  const v = t.getChild(name)!;
  const raw = v.toArray() as unknown;
  if (v.nullCount > 0) {
    let row = 0;
    while (v.isValid(row)) row++;
    throw new VoidsError('TARGETID is null', { ...where, column: name, row });
  }
  if (raw instanceof BigInt64Array) return raw;
  if (raw instanceof BigUint64Array) return BigInt64Array.from(raw, (x) => BigInt.asIntN(64, x));
  if (
    raw instanceof Int32Array ||
    raw instanceof Int16Array ||
    raw instanceof Uint32Array ||
    raw instanceof Uint16Array ||
    raw instanceof Int8Array ||
    raw instanceof Uint8Array
  )
    return BigInt64Array.from(raw as ArrayLike<number>, (x) => BigInt(x));
  throw new VoidsError(`is ${String(v.type)}; TARGETID must be an integer column to stay exact`, { ...where, column: name });
}

/**
 * Reads the galaxy columns of a FITS table (its first BINTABLE HDU) or a Parquet file (by its `.parquet` name): only
 * the columns needed. A missing file or column, a table without rows, or a dec outside [-90, 90] is a VoidsError (exit
 * 2) naming the file, HDU, column and row. NaN, null and negative redshifts are returned as they are: classification
 * gives those rows vflag 9 and counts them.
 *
 * @example
 * const g = await readGalaxyColumns('galaxies.parquet', { z: 'Z' });
 */
export async function readGalaxyColumns(path: string, names: GalaxyColumnNames = {}): Promise<GalaxyColumns> {
  let table: Table;
  let hdu: string | undefined;
  let chosen: ReturnType<typeof chooseColumns>;
  if (path.toLowerCase().endsWith('.parquet')) {
    const bytes = await readFile(path).catch((e: unknown) => {
      throw new VoidsError(fileProblem(e), { file: path });
    });
    const pq = createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
    let fields: string[];
    try {
      fields = tableFromIPC(pq.readSchema(bytes).intoIPCStream()).schema.fields.map((f) => f.name);
    } catch (e) {
      throw new VoidsError(`not a Parquet file (${e instanceof Error ? e.message : String(e)})`, { file: path });
    }
    chosen = chooseColumns(fields, names, { file: path });
    const wanted = [chosen.ra, chosen.dec, chosen.z, ...(chosen.targetid ? [chosen.targetid] : [])];
    table = tableFromIPC(pq.readParquet(bytes, { columns: wanted }).intoIPCStream());
  } else {
    const fits = await FitsFile.open(path);
    try {
      const info = fits.hdus.find((h) => h.type === 'BINTABLE');
      if (!info)
        throw new VoidsError(`no table HDU (the file has ${fits.hdus.map((h) => `${h.name || `#${h.index}`} (${h.type})`).join(', ')})`, {
          file: path,
        });
      hdu = info.name || String(info.index);
      chosen = chooseColumns(
        describeColumns(info.header).map((c) => c.name),
        names,
        { file: path, hdu },
      );
      table = await fits.readTable(info.index, {
        columns: [chosen.ra, chosen.dec, chosen.z, ...(chosen.targetid ? [chosen.targetid] : [])],
      });
    } finally {
      await fits.close();
    }
  }
  const where = hdu === undefined ? { file: path } : { file: path, hdu };
  if (table.numRows === 0) throw new VoidsError('the galaxy table has no rows', where);
  const ra = floats(table, chosen.ra, where);
  const dec = floats(table, chosen.dec, where);
  const redshift = floats(table, chosen.z, where);
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
    file: path,
    hdu,
    float32: single(chosen.ra) && single(chosen.dec),
    ra,
    dec,
    redshift,
    targetid: chosen.targetid ? ids(table, chosen.targetid, where) : undefined,
    names: { ra: chosen.ra, dec: chosen.dec, z: chosen.z, targetid: chosen.targetid },
  };
}
