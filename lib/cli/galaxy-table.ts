import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Table, tableFromIPC, Type } from 'apache-arrow';
import { fileProblem, VoidsError } from '../errors/index.js';
import { openFits } from '../fits/index.js';

/** Galaxy columns read from a FITS or Parquet table, as float64 (nulls as NaN), with where they came from. */
export interface GalaxyColumns {
  ra: Float64Array;
  dec: Float64Array;
  z: Float64Array;
  /** Whether ra and dec are stored as float32 (FITS `E`, Arrow Float32): VAST then computes positions in float32. */
  float32: boolean;
  file: string;
  /** The FITS HDU the table is in (undefined for Parquet). */
  hdu: number | undefined;
  /** The column names as the file spells them. */
  names: { ra: string; dec: string; z: string };
}

/** The three column names to look for (matched case-insensitively), with the option that renames each. */
export interface GalaxyColumnNames {
  ra?: string;
  dec?: string;
  z?: string;
}

/**
 * Reads ra, dec and z from a galaxy table: a FITS file (its first binary or ASCII table HDU) or a Parquet file (told
 * apart by their first bytes). A missing column is a VoidsError naming the file, HDU and column and listing the
 * columns there are; an empty table is one too.
 *
 * @example
 * const g = await readGalaxyColumns('vollim_dr7_cbp_102709.fits', { z: 'z' });
 */
export async function readGalaxyColumns(path: string, names: GalaxyColumnNames = {}): Promise<GalaxyColumns> {
  const want = { ra: names.ra ?? 'ra', dec: names.dec ?? 'dec', z: names.z ?? 'z' };
  let magic: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      magic = Buffer.alloc(6);
      await fh.read(magic, 0, 6, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new VoidsError(fileProblem(e), { file: path });
  }
  let table: Table;
  let hdu: number | undefined;
  if (magic.subarray(0, 4).toString('latin1') === 'PAR1') table = await readParquetTable(path);
  else {
    const fits = await openFits(path);
    try {
      const h = fits.hdus.find((x) => x.type === 'BINTABLE' || x.type === 'TABLE');
      if (!h) throw new VoidsError('no table HDU (galaxies need a binary or ASCII table with ra, dec and z columns)', { file: path });
      hdu = h.index;
      const fields = Number(h.header.get('TFIELDS') ?? 0);
      const present = Array.from({ length: fields }, (_, i) => String(h.header.get(`TTYPE${i + 1}`) ?? '').trim());
      const pick = (n: string) => present.find((p) => p.toLowerCase() === n.toLowerCase());
      const wanted = [want.ra, want.dec, want.z].map((n) => pick(n) ?? n);
      for (const [key, n] of Object.entries(want)) if (!pick(n)) throw missing(path, hdu, key, n, present);
      table = await fits.readTable(h.index, { columns: wanted });
    } finally {
      await fits.close();
    }
  }
  const present = table.schema.fields.map((f) => f.name);
  const found = {} as { ra: string; dec: string; z: string };
  for (const key of ['ra', 'dec', 'z'] as const) {
    const name = present.find((p) => p.toLowerCase() === want[key].toLowerCase());
    if (!name) throw missing(path, hdu, key, want[key], present);
    found[key] = name;
  }
  if (table.numRows === 0) throw new VoidsError('no galaxies (an empty table)', { file: path, ...(hdu !== undefined ? { hdu } : {}) });
  const column = (name: string) => {
    const v = table.getChild(name)!;
    const out = new Float64Array(table.numRows);
    if (v.nullCount === 0) {
      const arr = v.toArray() as ArrayLike<number | bigint>;
      for (let i = 0; i < out.length; i++) out[i] = Number(arr[i]);
    } else for (let i = 0; i < out.length; i++) out[i] = v.get(i) === null ? Number.NaN : Number(v.get(i));
    return out;
  };
  const isFloat32 = (name: string) => {
    const t = table.getChild(name)!.type;
    return t.typeId === Type.Float && (t as { precision: number }).precision === 1;
  };
  return {
    ra: column(found.ra),
    dec: column(found.dec),
    z: column(found.z),
    float32: isFloat32(found.ra) && isFloat32(found.dec),
    file: path,
    hdu,
    names: found,
  };
}

function missing(file: string, hdu: number | undefined, key: string, name: string, present: string[]): VoidsError {
  return new VoidsError(
    `no such column (the table has ${present.join(', ') || 'no columns'}); name the ${key} column with --${key}-column`,
    {
      file,
      ...(hdu !== undefined ? { hdu } : {}),
      column: name,
    },
  );
}

interface ParquetReader {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

async function readParquetTable(path: string): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new VoidsError(fileProblem(e), { file: path });
  }
  try {
    const pq = createRequire(import.meta.url)('parquet-wasm/node') as ParquetReader;
    return tableFromIPC(pq.readParquet(bytes).intoIPCStream());
  } catch (e) {
    throw new VoidsError(`not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`, { file: path });
  }
}
