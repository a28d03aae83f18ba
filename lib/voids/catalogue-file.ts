import { Table as ArrowTable, Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, type Table } from 'apache-arrow';
import { VoidsError } from '../errors/index.js';
import { type CardInput, type CardValue, FitsFile, type HduInfo, writeFits } from '../fits/index.js';
import type { SurveyMask } from './survey-mask.js';
import type { VoidFinderSettings } from './void-catalogue.js';
import { columnName, float64Column, int32Column } from './table-columns.js';

/**
 * What a VoidFinder run records in the PRIMARY header, as far as skybook knows its meaning: `findVoids`'s settings
 * (VAST's keywords: OMEGAM, HP, ZLIML, ZLIMU, METRIC, HGEL, MMR, GOX/GOY/GOZ for the grid origin, DLIML/DLIMU for
 * rMin/rMax) and the input's name (INFILE). Every field is optional: a foreign file may lack any of them. VAST's own
 * files round DLIML, DLIMU and the grid origin to 2 decimals, and overwrite MMR with its neighbour-grid edge (the card's
 * comment says so), which is then not read as the smallest maximal radius.
 *
 * @example
 * const s: CatalogueSettings = { omegaM: 0.26, h: 1, zMin: 0, zMax: 0.1026, distanceMetric: 'comoving', cell: 5, minMaximal: 10 };
 */
export type CatalogueSettings = VoidFinderSettings & { inputFile?: string };

/**
 * A VoidFinder catalogue as a file holds it: MAXIMALS (x, y, z, radius, void, edge, r, ra, dec, then any further
 * columns the file has, lower-cased), HOLES (x, y, z, radius, void), the survey mask (undefined when the file has no
 * MASK HDU, as the DESIVAST DR1 files do not), the wall and field galaxies (interleaved x y z; empty when absent), the
 * distance limits (PRIMARY DLIML, DLIMU; undefined when absent), the settings found, and every PRIMARY card.
 *
 * @example
 * const cat = await readVoidCatalogue('DR7_VoidFinder_Output.fits'); cat.maximals.numRows
 */
export interface VoidCatalogueFile {
  maximals: Table;
  holes: Table;
  mask: SurveyMask | undefined;
  wall: Float64Array;
  field: Float64Array;
  distanceLimits: [number, number] | undefined;
  settings: CatalogueSettings;
  header: Record<string, CardValue | undefined>;
  file: string;
}

/**
 * What {@link writeVoidCatalogue} writes: the tables and mask are required; wall and field galaxies and settings are
 * written when given (a `VoidCatalogue` from `findVoids` fits as it is).
 *
 * @example
 * await writeVoidCatalogue('voids.fits', { maximals, holes, mask, wall, field, settings });
 */
export interface CatalogueToWrite {
  maximals: Table;
  holes: Table;
  mask: SurveyMask;
  wall?: Float64Array;
  field?: Float64Array;
  settings?: CatalogueSettings;
}

const MAXIMAL_COLUMNS = ['x', 'y', 'z', 'radius', 'void', 'edge', 'r', 'ra', 'dec'] as const;
const HOLE_COLUMNS = ['x', 'y', 'z', 'radius', 'void'] as const;
const INTEGER_COLUMNS = new Set(['void', 'edge']);
const UNITS: Record<string, string> = { x: 'Mpc/h', y: 'Mpc/h', z: 'Mpc/h', radius: 'Mpc/h', r: 'Mpc/h', ra: 'deg', dec: 'deg' };
const DEG_PER_RAD = 180 / Math.PI;

/** An Arrow table of float64 / int32 columns in the given order, units in field metadata for the FITS writer. */
function vastTable(columns: [string, Float64Array | Int32Array][]): ArrowTable {
  const fields = columns.map(
    ([name, v]) =>
      new Field(
        name,
        v instanceof Int32Array ? new Int32() : new Float64(),
        false,
        new Map(UNITS[name] ? [['fits.TUNIT', UNITS[name]!]] : []),
      ),
  );
  const n = columns[0]?.[1].length ?? 0;
  const schema = new Schema(fields);
  const children = columns.map(([, v], i) => makeData({ type: fields[i]!.type, length: n, data: v } as never));
  const data = makeData({ type: new Struct(fields), length: n, nullCount: 0, children } as never);
  return new ArrowTable(schema, [new RecordBatch(schema, data as never)]);
}

/** The maximals' distance and sky position from x, y, z, as VAST's xyz_to_radecz computes them (ra not wrapped below 0). */
function skyOfCentres(x: Float64Array, y: Float64Array, z: Float64Array): { r: Float64Array; ra: Float64Array; dec: Float64Array } {
  const n = x.length;
  const r = new Float64Array(n);
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    r[i] = Math.sqrt(x[i]! * x[i]! + y[i]! * y[i]! + z[i]! * z[i]!);
    ra[i] = Math.atan(y[i]! / x[i]!) * DEG_PER_RAD + (y[i] !== 0 && x[i]! < 0 ? 180 : 0);
    dec[i] = Math.asin(z[i]! / r[i]!) * DEG_PER_RAD;
  }
  return { r, ra, dec };
}

/** MAXIMALS in VAST's column order and types; further columns kept after them. */
function maximalsTable(t: Table, where: { file?: string; hdu: string }, keepExtra: boolean): ArrowTable {
  const x = float64Column(t, 'x', where);
  const y = float64Column(t, 'y', where);
  const z = float64Column(t, 'z', where);
  // VAST's maximal_spheres_only runs have no r, ra, dec: they follow from the centre
  const sky = columnName(t, 'r') === undefined ? skyOfCentres(x, y, z) : undefined;
  const cols: [string, Float64Array | Int32Array][] = MAXIMAL_COLUMNS.map((name) => {
    if (name === 'x') return [name, x];
    if (name === 'y') return [name, y];
    if (name === 'z') return [name, z];
    if (sky && (name === 'r' || name === 'ra' || name === 'dec')) return [name, sky[name]];
    return [name, INTEGER_COLUMNS.has(name) ? int32Column(t, name, where) : float64Column(t, name, where)];
  });
  if (keepExtra) {
    for (const f of t.schema.fields) {
      const lower = f.name.toLowerCase();
      if ((MAXIMAL_COLUMNS as readonly string[]).includes(lower)) continue;
      cols.push([lower, float64Column(t, f.name, where)]);
    }
  }
  return vastTable(cols);
}

function holesTable(t: Table, where: { file?: string; hdu: string }): ArrowTable {
  return vastTable(HOLE_COLUMNS.map((name) => [name, name === 'void' ? int32Column(t, name, where) : float64Column(t, name, where)]));
}

function xyzTable(xyz: Float64Array): ArrowTable {
  const n = xyz.length / 3;
  const axes = [0, 1, 2].map((a) => Float64Array.from({ length: n }, (_, i) => xyz[3 * i + a]!));
  return vastTable([
    ['x', axes[0]!],
    ['y', axes[1]!],
    ['z', axes[2]!],
  ]);
}

function checkMask(mask: SurveyMask, file: string): void {
  const res = mask.resolution;
  if (!Number.isInteger(res) || res < 1) throw new VoidsError(`mask resolution ${res} is not a whole number >= 1`, { file, hdu: 'MASK' });
  if (mask.cells.length !== 360 * res * 180 * res)
    throw new VoidsError(`mask has ${mask.cells.length} cells; resolution ${res} needs ${360 * res} x ${180 * res}`, { file, hdu: 'MASK' });
}

/**
 * Writes a VoidFinder catalogue in VAST's file layout (its postprocessing.py): PRIMARY (no data; DLIML, DLIMU, MSKRES,
 * the settings as OMEGAM, HP, ZLIML, ZLIMU, METRIC, HGEL, MMR, INFILE, and the counts VOID, GALAXY, WALLNUM, FIELDNUM),
 * MAXIMALS (x, y, z, radius, void, edge, r, ra, dec; VOID), HOLES (x, y, z, radius, void; VOID, HOLE), MASK (the mask
 * as an 8-bit image of 360 x 180 cells per resolution step, numpy shape (360 r, 180 r); MSKRES), WALL and FIELD (x, y,
 * z; WALLNUM, FIELDNUM). Columns are lower case with units, as VAST writes them by default. Unlike VAST, DLIML and
 * DLIMU keep every digit (VAST rounds them to 2 decimals), so a catalogue read back classifies exactly as the one
 * written. Nothing time-dependent is written: the same catalogue gives the same bytes. The file appears only when
 * complete.
 *
 * @example
 * await writeVoidCatalogue('DR7_VoidFinder_Output.fits', catalogue, { overwrite: true });
 */
export async function writeVoidCatalogue(path: string, catalogue: CatalogueToWrite, options: { overwrite?: boolean } = {}): Promise<void> {
  const { mask, settings = {} } = catalogue;
  checkMask(mask, path);
  const maximals = maximalsTable(catalogue.maximals, { hdu: 'MAXIMALS' }, false);
  const holes = holesTable(catalogue.holes, { hdu: 'HOLES' });
  const wall = catalogue.wall ?? new Float64Array(0);
  const field = catalogue.field ?? new Float64Array(0);
  for (const [name, xyz] of [
    ['wall', wall],
    ['field', field],
  ] as const)
    if (xyz.length % 3 !== 0)
      throw new VoidsError(`${name} positions: length ${xyz.length} is not a multiple of 3`, { scope: 'writeVoidCatalogue' });
  const voids = maximals.numRows;
  const primary: CardInput[] = [];
  const card = (keyword: string, value: CardValue | undefined, comment: string) => {
    if (value !== undefined) primary.push({ keyword, value, comment });
  };
  card('INFILE', settings.inputFile, 'Input Galaxy Table');
  card('METRIC', settings.distanceMetric, 'Distance Metric');
  card('DLIML', mask.rMin, 'Lower Distance Limit (Mpc/h)');
  card('DLIMU', mask.rMax, 'Upper Distance Limit (Mpc/h)');
  card('ZLIML', settings.zMin, 'Lower Redshift Limit');
  card('ZLIMU', settings.zMax, 'Upper Redshift Limit');
  card('OMEGAM', settings.omegaM, 'Matter Density');
  card('HP', settings.h, 'Reduced Hubble Parameter h (((km/s)/Mpc)/100)');
  card('MSKRES', mask.resolution, 'Mask Resolution');
  card('GALAXY', (wall.length + field.length) / 3, 'Galaxy Count');
  card('WALLNUM', wall.length / 3, 'Wall Galaxy Count');
  card('FIELDNUM', field.length / 3, 'Field Galaxy Count');
  card('VOID', voids, 'Void Count');
  card('HGEL', settings.cell, 'Hole Grid Edge Length');
  card('GOX', settings.gridOrigin?.[0], 'Grid Origin X Coordinate');
  card('GOY', settings.gridOrigin?.[1], 'Grid Origin Y Coordinate');
  card('GOZ', settings.gridOrigin?.[2], 'Grid Origin Z Coordinate');
  card('MMR', settings.minMaximal, 'Minimum Allowed Maximal Radius');
  // float header values keep their type even when whole (DLIML = 0.0, not 0), as VAST's are floats
  for (const c of primary)
    if (typeof c.value === 'number' && !['MSKRES', 'GALAXY', 'WALLNUM', 'FIELDNUM', 'VOID'].includes(c.keyword)) c.isInteger = false;
  await writeFits(
    path,
    [
      { kind: 'image', cards: primary },
      { kind: 'table', table: maximals, name: 'MAXIMALS', cards: [{ keyword: 'VOID', value: voids, comment: 'Void Count' }] },
      {
        kind: 'table',
        table: holes,
        name: 'HOLES',
        cards: [
          { keyword: 'VOID', value: voids, comment: 'Void Count' },
          { keyword: 'HOLE', value: holes.numRows, comment: 'Hole Count' },
        ],
      },
      {
        kind: 'image',
        name: 'MASK',
        data: mask.cells,
        naxis: [180 * mask.resolution, 360 * mask.resolution],
        cards: [{ keyword: 'MSKRES', value: mask.resolution, comment: 'Mask Resolution' }],
      },
      {
        kind: 'table',
        table: xyzTable(wall),
        name: 'WALL',
        cards: [{ keyword: 'WALLNUM', value: wall.length / 3, comment: 'Wall Galaxy Count' }],
      },
      {
        kind: 'table',
        table: xyzTable(field),
        name: 'FIELD',
        cards: [{ keyword: 'FIELDNUM', value: field.length / 3, comment: 'Field Galaxy Count' }],
      },
    ],
    { overwrite: options.overwrite ?? false },
  );
}

/** A header number, or undefined when the card is absent; a VoidsError naming the keyword when it is not a number. */
function headerNumber(h: HduInfo, keyword: string, file: string): number | undefined {
  const v = h.header.get(keyword);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new VoidsError(`${keyword} is ${JSON.stringify(v)}, not a number`, { file, hdu: h.name || h.index });
}

/** The interleaved x y z of a WALL or FIELD table (empty for a table without rows or columns). */
function xyzOf(t: Table, where: { file: string; hdu: string }): Float64Array {
  if (t.numRows === 0) return new Float64Array(0);
  const axes = ['x', 'y', 'z'].map((a) => float64Column(t, a, where));
  const out = new Float64Array(3 * t.numRows);
  for (let i = 0; i < t.numRows; i++) for (let a = 0; a < 3; a++) out[3 * i + a] = axes[a]![i]!;
  return out;
}

/**
 * Reads a VoidFinder catalogue: skybook's own files, VAST's `{survey}_VoidFinder_Output.fits` (lower- or upper-case
 * columns, int64 ids) and the DESIVAST DR1 VoidFinder files (`DESIVAST_BGS_VOLLIM_VoidFinder_{NGC,SGC}.fits`: PRIMARY,
 * MAXIMALS with upper-case X, Y, Z, RADIUS, VOID, EDGE, R, RA, DEC, R_EFF, R_EFF_UNCERT, and HOLES with X, Y, Z,
 * RADIUS, VOID; no MASK, WALL or FIELD: the layout as listed by the desi-cosmic-void-galaxies project's inspection of
 * the released files, Pxomox-Astronomy-Lab/desi-cosmic-void-galaxies, infrastructure/deployment/dataset-downloads/
 * desivast-fits-inspector-output.md). Columns come back lower case, float64 and int32. A file without MAXIMALS or
 * HOLES, a missing column, or a mask whose shape does not fit its MSKRES is a VoidsError (exit 2) naming the file, HDU
 * and column. Without a MASK HDU `mask` is undefined: classify against a mask built from the galaxies
 * (`buildSurveyMask`), as VAST would have made it.
 *
 * @example
 * const cat = await readVoidCatalogue('DESIVAST_BGS_VOLLIM_VoidFinder_NGC.fits');
 * cat.maximals.getChild('r_eff'); // DESIVAST's effective radii, kept
 */
export async function readVoidCatalogue(path: string): Promise<VoidCatalogueFile> {
  const fits = await FitsFile.open(path);
  try {
    const find = (name: string) => fits.hdus.find((h) => h.name.toUpperCase() === name);
    const names = () => fits.hdus.map((h) => h.name || `#${h.index}`).join(', ');
    const maximalsHdu = find('MAXIMALS');
    if (!maximalsHdu) throw new VoidsError(`no MAXIMALS HDU: not a VoidFinder catalogue (the file has ${names()})`, { file: path });
    const holesHdu = find('HOLES');
    if (!holesHdu)
      throw new VoidsError(`no HOLES HDU: a VoidFinder catalogue needs its holes to classify galaxies (the file has ${names()})`, {
        file: path,
      });
    const primary = fits.hdus[0]!;
    const header: Record<string, CardValue | undefined> = {};
    for (const c of primary.header.cards)
      if (c.keyword && c.keyword !== 'COMMENT' && c.keyword !== 'HISTORY' && c.keyword !== 'CONTINUE' && !(c.keyword in header))
        header[c.keyword] = c.value;
    const num = (k: string) => headerNumber(primary, k, path);
    const metric = primary.header.get('METRIC');
    const infile = primary.header.get('INFILE');
    const settings: CatalogueSettings = {};
    const set = <K extends keyof CatalogueSettings>(key: K, value: CatalogueSettings[K] | undefined) => {
      if (value !== undefined) settings[key] = value;
    };
    set('omegaM', num('OMEGAM'));
    set('h', num('HP'));
    set('zMin', num('ZLIML'));
    set('zMax', num('ZLIMU'));
    if (metric === 'comoving' || metric === 'redshift') settings.distanceMetric = metric;
    set('cell', num('HGEL'));
    // VAST writes MMR twice, the second time with its neighbour-grid edge ("Edge Length of NN Grid"): not a radius
    if (!/NN Grid/i.test(primary.header.card('MMR')?.comment ?? '')) set('minMaximal', num('MMR'));
    const origin = [num('GOX'), num('GOY'), num('GOZ')];
    if (origin.every((v) => v !== undefined)) settings.gridOrigin = origin as [number, number, number];
    if (typeof infile === 'string') settings.inputFile = infile;
    const rMin = num('DLIML');
    const rMax = num('DLIMU');
    set('rMin', rMin);
    set('rMax', rMax);
    const distanceLimits: [number, number] | undefined = rMin !== undefined && rMax !== undefined ? [rMin, rMax] : undefined;

    const maximals = maximalsTable(await fits.readTable(maximalsHdu.index), { file: path, hdu: 'MAXIMALS' }, true);
    const holes = holesTable(await fits.readTable(holesHdu.index), { file: path, hdu: 'HOLES' });

    let mask: SurveyMask | undefined;
    const maskHdu = find('MASK');
    if (maskHdu) {
      const where = { file: path, hdu: 'MASK' };
      if (!distanceLimits)
        throw new VoidsError('a MASK without the distance limits DLIML and DLIMU in PRIMARY', { file: path, hdu: 'PRIMARY' });
      const image = await fits.readImage(maskHdu.index);
      const [n1 = 0, n2 = 0] = image.naxis;
      const resolution = headerNumber(maskHdu, 'MSKRES', path) ?? num('MSKRES') ?? n2 / 360;
      if (image.naxis.length !== 2 || n1 !== 180 * resolution || n2 !== 360 * resolution)
        throw new VoidsError(
          `mask is ${image.naxis.join(' x ')} (NAXIS1 x NAXIS2); MSKRES ${resolution} needs ${180 * resolution} x ${360 * resolution}`,
          where,
        );
      const cells = new Uint8Array(image.data.length);
      for (let i = 0; i < cells.length; i++) cells[i] = image.data[i] ? 1 : 0;
      mask = { resolution, cells, rMin: distanceLimits[0], rMax: distanceLimits[1] };
    }
    const readXyz = async (name: string) => {
      const h = find(name);
      return h ? xyzOf(await fits.readTable(h.index), { file: path, hdu: name }) : new Float64Array(0);
    };
    return {
      maximals,
      holes,
      mask,
      wall: await readXyz('WALL'),
      field: await readXyz('FIELD'),
      distanceLimits,
      settings,
      header,
      file: path,
    };
  } finally {
    await fits.close();
  }
}
