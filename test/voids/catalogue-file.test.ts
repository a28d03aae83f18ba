import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { writeFits } from '../../lib/fits/index.js';
import { readVoidCatalogue, writeVoidCatalogue } from '../../lib/voids/catalogue-file.js';
import type { SurveyMask } from '../../lib/voids/survey-mask.js';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-voidfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!HAVE_ASTROPY) console.warn(NO_ASTROPY_MESSAGE);

/** A small catalogue: 5 voids, 14 holes, a resolution-2 mask over a patch, 9 wall and 4 field galaxies. */
function catalogue() {
  const rng = Rng.for(9, 'catalogue');
  const u = (n: number, a: number, b: number) => Float64Array.from({ length: n }, () => rng.range(a, b));
  const x = u(5, -200, 200);
  const y = u(5, -200, 200);
  const z = u(5, 10, 200);
  const r = Float64Array.from(x, (_, i) => Math.hypot(x[i]!, y[i]!, z[i]!));
  const maximals = tableFromArrays({
    x,
    y,
    z,
    radius: u(5, 10, 25),
    void: Int32Array.of(0, 1, 2, 3, 4),
    edge: Int32Array.of(0, 1, 0, 0, 1),
    r,
    ra: Float64Array.from(x, (_, i) => ((Math.atan2(y[i]!, x[i]!) * 180) / Math.PI + 360) % 360),
    dec: Float64Array.from(z, (v, i) => (Math.asin(v / r[i]!) * 180) / Math.PI),
  });
  const holes = tableFromArrays({
    x: u(14, -200, 200),
    y: u(14, -200, 200),
    z: u(14, 10, 200),
    radius: u(14, 5, 25),
    void: Int32Array.from({ length: 14 }, (_, i) => i % 5),
  });
  const cells = new Uint8Array(720 * 360);
  for (let i = 200; i < 400; i++) for (let j = 180; j < 300; j++) cells[i * 360 + j] = 1;
  const mask: SurveyMask = { resolution: 2, cells, rMin: 0, rMax: 301.23456789 };
  return {
    maximals,
    holes,
    mask,
    wall: u(27, -100, 100),
    field: u(12, -100, 100),
    settings: {
      omegaM: 0.26,
      h: 1,
      zMin: 0,
      zMax: 0.1026,
      distanceMetric: 'comoving' as const,
      cell: 5,
      minMaximal: 10,
      inputFile: 'dr7.fits',
    },
  };
}

const column = (t: { getChild(n: string): { toArray(): unknown } | null }, n: string) =>
  Array.from(t.getChild(n)!.toArray() as ArrayLike<number>);

describe('writeVoidCatalogue / readVoidCatalogue', () => {
  const file = join(dir, 'ours.fits');

  it('round-trips every table, the mask, the galaxies and the settings, exactly', async () => {
    const cat = catalogue();
    await writeVoidCatalogue(file, cat);
    const back = await readVoidCatalogue(file);
    expect(back.maximals.schema.fields.map((f) => f.name)).toEqual(['x', 'y', 'z', 'radius', 'void', 'edge', 'r', 'ra', 'dec']);
    for (const f of cat.maximals.schema.fields) expect(column(back.maximals, f.name)).toEqual(column(cat.maximals, f.name));
    for (const f of cat.holes.schema.fields) expect(column(back.holes, f.name)).toEqual(column(cat.holes, f.name));
    expect(back.mask).toEqual(cat.mask);
    expect(Array.from(back.wall)).toEqual(Array.from(cat.wall));
    expect(Array.from(back.field)).toEqual(Array.from(cat.field));
    expect(back.settings).toEqual({ ...cat.settings, rMin: 0, rMax: 301.23456789 });
    expect(back.distanceLimits).toEqual([0, 301.23456789]);
    expect(back.header.VOID).toBe(5);
  });

  it('writes the same bytes for the same catalogue, and refuses to overwrite unless asked', async () => {
    const again = join(dir, 'again.fits');
    await writeVoidCatalogue(again, catalogue());
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);
    await expect(writeVoidCatalogue(again, catalogue())).rejects.toThrow(/exists/);
    await writeVoidCatalogue(again, catalogue(), { overwrite: true });
  });

  it.skipIf(!HAVE_ASTROPY)("astropy reads our file and finds VAST's HDUs, columns, types and keywords", () => {
    const seen = JSON.parse(
      runPython(
        `import sys, json, warnings
from astropy.io import fits
warnings.simplefilter('error')
with fits.open(sys.argv[1], checksum=True) as h:
    out = {'hdus': [x.name for x in h],
           'maximals': h['MAXIMALS'].columns.names, 'mtypes': [h['MAXIMALS'].data[c].dtype.str[1:] for c in h['MAXIMALS'].columns.names],
           'holes': h['HOLES'].columns.names, 'wall': h['WALL'].columns.names,
           'mask_shape': list(h['MASK'].data.shape), 'mask_sum': int(h['MASK'].data.sum()), 'mask_cell': int(h['MASK'].data[250, 200]),
           'primary': {k: h[0].header[k] for k in ['DLIML', 'DLIMU', 'MSKRES', 'OMEGAM', 'HP', 'ZLIMU', 'METRIC', 'VOID', 'WALLNUM']},
           'maskres': h['MASK'].header['MSKRES'], 'hole_count': h['HOLES'].header['HOLE'],
           'radius': h['HOLES'].data['radius'].tolist(), 'units': h['MAXIMALS'].columns.units}
print(json.dumps(out))`,
        [file],
      ),
    );
    const cat = catalogue();
    expect(seen.hdus).toEqual(['PRIMARY', 'MAXIMALS', 'HOLES', 'MASK', 'WALL', 'FIELD']);
    expect(seen.maximals).toEqual(['x', 'y', 'z', 'radius', 'void', 'edge', 'r', 'ra', 'dec']);
    expect(seen.mtypes).toEqual(['f8', 'f8', 'f8', 'f8', 'i4', 'i4', 'f8', 'f8', 'f8']);
    expect(seen.holes).toEqual(['x', 'y', 'z', 'radius', 'void']);
    expect(seen.wall).toEqual(['x', 'y', 'z']);
    expect(seen.mask_shape).toEqual([720, 360]); // numpy (360 r, 180 r): mask[ra cell, dec cell], as VAST indexes it
    expect(seen.mask_sum).toBe(200 * 120);
    expect(seen.mask_cell).toBe(1);
    expect(seen.primary).toEqual({
      DLIML: 0,
      DLIMU: 301.23456789,
      MSKRES: 2,
      OMEGAM: 0.26,
      HP: 1,
      ZLIMU: 0.1026,
      METRIC: 'comoving',
      VOID: 5,
      WALLNUM: 9,
    });
    expect(seen.maskres).toBe(2);
    expect(seen.hole_count).toBe(14);
    expect(seen.radius).toEqual(column(cat.holes, 'radius'));
    expect(seen.units.slice(0, 4)).toEqual(['Mpc/h', 'Mpc/h', 'Mpc/h', 'Mpc/h']);
  });
});

/**
 * Writes a catalogue the way VAST's postprocessing.py does (without importing VAST): a PrimaryHDU with its keywords
 * (distance limits rounded by its mknum), BinTableHDUs whose data is set from astropy Tables (int64 void and edge,
 * units), the mask as an int image with MSKRES, WALL and FIELD; `upper` capitalises the column names as
 * capitalize_colnames=True does. `desivast` writes the DESIVAST DR1 layout instead: PRIMARY, MAXIMALS with R_EFF and
 * R_EFF_UNCERT, HOLES, upper case, nothing else. Prints the values it wrote, as JSON.
 */
const VAST_WRITER = `import sys, json
import numpy as np
from astropy.table import Table
from astropy.io import fits
out, style = sys.argv[1], sys.argv[2]
def mknum(flt):
    return float(f"{flt:.3g}") if abs(flt) < 1 else float(f"{flt:.2f}")
rng = np.random.default_rng(11)
xyz = rng.uniform(-150, 150, (6, 3)); xyz[:, 2] = np.abs(xyz[:, 2]) + 20
maximals = Table(np.column_stack([xyz, rng.uniform(10, 20, 6)]), names=('x', 'y', 'z', 'radius'))
maximals['void'] = np.arange(6)
maximals['edge'] = 0
maximals['edge'][[1, 4]] = 1
r = np.linalg.norm(xyz, axis=1)
maximals['r'] = r
maximals['ra'] = np.arctan(maximals['y'] / maximals['x']) * 180 / np.pi
maximals['dec'] = np.arcsin(maximals['z'] / r) * 180 / np.pi
maximals['ra'][np.logical_and(maximals['y'] != 0, maximals['x'] < 0)] += 180.
holes = Table(np.column_stack([rng.uniform(-150, 150, (20, 3)), rng.uniform(5, 15, 20)]), names=('x', 'y', 'z', 'radius'))
holes['void'] = np.repeat(np.arange(5), 4).astype(np.int64)
for t in (maximals, holes):
    for c in ('x', 'y', 'z', 'radius'):
        t[c].unit = 'Mpc/h'
hdul = fits.HDUList([fits.PrimaryHDU(header=fits.Header())])
if style == 'desivast':
    maximals['r_eff'] = maximals['radius'] * 1.3
    maximals['r_eff_uncert'] = maximals['radius'] * 0.1
if style in ('upper', 'desivast'):
    for t in (maximals, holes):
        for c in t.colnames:
            t[c].name = c.upper()
mask = np.zeros((360, 180), dtype=bool)
mask[100:250, 90:150] = True
wall = rng.uniform(-100, 100, (7, 3)); field = rng.uniform(-100, 100, (3, 3))
h = hdul['PRIMARY'].header
if style != 'desivast':
    h['INFILE'] = ('vollim_dr7_cbp_102709.fits', 'Input Galaxy Table')
    h['METRIC'] = ('comoving', 'Distance Metric')
    h['DLIML'] = (mknum(0.0), 'Lower Distance Limit (Mpc/h)')
    h['DLIMU'] = (mknum(301.23456), 'Upper Distance Limit (Mpc/h)')
    h['ZLIML'] = (0.0, 'Lower Redshift Limit')
    h['ZLIMU'] = (0.1026, 'Upper Redshift Limit')
    h['OMEGAM'] = (0.26, 'Matter Density')
    h['HP'] = (1.0, 'Reduced Hubble Parameter h (((km/s)/Mpc)/100)')
    h['HGEL'] = (mknum(5.0), 'Hole Grid Edge Length')
    h['GOX'] = (mknum(-301.1812), 'Grid Origin X Coordinate')
    h['GOY'] = (mknum(-274.3456), 'Grid Origin Y Coordinate')
    h['GOZ'] = (mknum(-18.4213), 'Grid Origin Z Coordinate')
    h['MMR'] = (mknum(10.0), 'Minimum Allowed Maximal Radius')
    h['MMR'] = (mknum(15.0), 'Edge Length of NN Grid')  # VAST overwrites it, as its save_output_from_find_voids does
    for name, xyzs in (('WALL', wall), ('FIELD', field)):
        hdu = fits.BinTableHDU(); hdu.name = name; hdul.append(hdu)
        names = ['X', 'Y', 'Z'] if style == 'upper' else ['x', 'y', 'z']
        hdul[name].data = fits.BinTableHDU(Table(data=xyzs, names=names, units=['Mpc/h'] * 3)).data
        hdul[name].header[name + 'NUM'] = (len(xyzs), 'Galaxy Count')
for name, t in (('MAXIMALS', maximals), ('HOLES', holes)):
    hdu = fits.BinTableHDU(); hdu.name = name; hdul.append(hdu)
    hdul[name].data = fits.BinTableHDU(t).data
    hdul[name].header['VOID'] = (len(maximals), 'Void Count')
if style != 'desivast':
    hdu = fits.ImageHDU(); hdu.name = 'MASK'; hdul.append(hdu)
    hdul['MASK'].data = fits.ImageHDU(mask.astype(int)).data
    hdul['MASK'].header['MSKRES'] = (1, 'Mask Resolution')
    h['MSKRES'] = (1, 'Mask Resolution')
hdul.writeto(out, overwrite=True)
print(json.dumps({'maximals': {c.lower(): maximals[c].tolist() for c in maximals.colnames},
                  'holes': {c.lower(): holes[c].tolist() for c in holes.colnames},
                  'mask': np.flatnonzero(mask.ravel()).tolist(), 'wall': wall.ravel().tolist(), 'field': field.ravel().tolist()}))`;

describe.skipIf(!HAVE_ASTROPY)('readVoidCatalogue reads files written as VAST and DESIVAST write them', () => {
  for (const style of ['lower', 'upper', 'desivast'] as const) {
    it(`${style === 'desivast' ? 'the DESIVAST DR1 layout' : `VAST's postprocessing, ${style}-case columns`}`, async () => {
      const file = join(dir, `vast-${style}.fits`);
      const want = JSON.parse(runPython(VAST_WRITER, [file, style])) as {
        maximals: Record<string, number[]>;
        holes: Record<string, number[]>;
        mask: number[];
        wall: number[];
        field: number[];
      };
      const cat = await readVoidCatalogue(file);
      for (const [name, values] of Object.entries(want.maximals)) expect(column(cat.maximals, name), name).toEqual(values);
      for (const [name, values] of Object.entries(want.holes)) expect(column(cat.holes, name), name).toEqual(values);
      expect(cat.maximals.schema.fields.map((f) => f.name).slice(0, 9)).toEqual([
        'x',
        'y',
        'z',
        'radius',
        'void',
        'edge',
        'r',
        'ra',
        'dec',
      ]);
      if (style === 'desivast') {
        expect(cat.mask).toBeUndefined();
        expect(cat.distanceLimits).toBeUndefined();
        expect(cat.maximals.schema.fields.map((f) => f.name).slice(9)).toEqual(['r_eff', 'r_eff_uncert']);
        expect(cat.wall.length + cat.field.length).toBe(0);
        return;
      }
      expect(cat.mask!.resolution).toBe(1);
      expect(cat.mask!.rMin).toBe(0);
      expect(cat.mask!.rMax).toBe(301.23); // VAST's mknum keeps 2 decimals
      expect(Array.from(cat.mask!.cells.keys()).filter((i) => cat.mask!.cells[i])).toEqual(want.mask);
      expect(Array.from(cat.wall)).toEqual(want.wall);
      expect(Array.from(cat.field)).toEqual(want.field);
      expect(cat.settings).toEqual({
        omegaM: 0.26,
        h: 1,
        zMin: 0,
        zMax: 0.1026,
        distanceMetric: 'comoving',
        cell: 5,
        gridOrigin: [-301.18, -274.35, -18.42], // VAST's 2 decimals
        rMin: 0,
        rMax: 301.23,
        inputFile: 'vollim_dr7_cbp_102709.fits',
      }); // no minMaximal: VAST's last MMR card holds its neighbour-grid edge
    });
  }
});

describe('readVoidCatalogue: bad files', () => {
  it('a file without MAXIMALS names the file and says what it is not', async () => {
    const f = join(dir, 'no-maximals.fits');
    await writeFits(f, [{ kind: 'image' }, { kind: 'table', table: tableFromArrays({ x: Float64Array.of(1) }), name: 'HOLES' }]);
    const e = (await readVoidCatalogue(f).then(
      () => undefined,
      (x: unknown) => x,
    )) as Error & { exitCode: number };
    expect(e.message).toBe(`${f}: no MAXIMALS HDU: not a VoidFinder catalogue (the file has PRIMARY, HOLES)`);
    expect(e.exitCode).toBe(2);
  });

  it('a missing column is named with its file and HDU', async () => {
    const f = join(dir, 'no-radius.fits');
    const cat = catalogue();
    await writeFits(f, [
      { kind: 'image' },
      { kind: 'table', table: cat.maximals, name: 'MAXIMALS' },
      { kind: 'table', table: cat.holes.select(['x', 'y', 'z', 'void']), name: 'HOLES' },
    ]);
    await expect(readVoidCatalogue(f)).rejects.toThrow(`${f}: HDU HOLES: column radius: no radius column (the table has x, y, z, void)`);
    expect(existsSync(f)).toBe(true);
  });
});

describe('writeVoidTable', () => {
  it('writes MAXIMALS and HOLES as Parquet or Arrow IPC by extension, reads back the same, refuses what it cannot', async () => {
    const { writeVoidTable } = await import('../../lib/voids/table-file.js');
    const { tableFromIPC } = await import('apache-arrow');
    const { createRequire } = await import('node:module');
    const pq = createRequire(import.meta.url)('parquet-wasm/node') as { readParquet(b: Uint8Array): { intoIPCStream(): Uint8Array } };
    const cat = catalogue();
    const parquet = join(dir, 'maximals.parquet');
    const arrow = join(dir, 'holes.arrow');
    await writeVoidTable(parquet, cat.maximals);
    await writeVoidTable(arrow, cat.holes);
    const m = tableFromIPC(pq.readParquet(readFileSync(parquet)).intoIPCStream());
    const h = tableFromIPC(readFileSync(arrow));
    for (const f of cat.maximals.schema.fields) expect(column(m, f.name)).toEqual(column(cat.maximals, f.name));
    for (const f of cat.holes.schema.fields) expect(column(h, f.name)).toEqual(column(cat.holes, f.name));
    await expect(writeVoidTable(parquet, cat.maximals)).rejects.toThrow(/maximals\.parquet: exists/);
    await expect(writeVoidTable(join(dir, 'x.csv'), cat.maximals)).rejects.toThrow(/x\.csv: unknown table format/);
  });
});
