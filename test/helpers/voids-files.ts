import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Table, tableFromArrays } from 'apache-arrow';
import { Rng } from '../../lib/core/index.js';
import { writeFits } from '../../lib/fits/index.js';
import { tableFileBytes, writeVoidCatalogue } from '../../lib/voids/index.js';

/**
 * Small void-science inputs for CLI tests, written into `dir`: a VoidFinder catalogue (`voids.fits`: 3 voids, 12
 * holes, a footprint of ra 150..210, dec 0..40, 0..300 Mpc/h), a galaxy table of `rows` galaxies in and around it
 * (`galaxies.fits`, HDU GALAXIES: ra, dec, z as float64 and TARGETID as int64 beyond 2^53; rows 3 and 7 have NaN and
 * negative z), the same as Parquet, and broken variants: no z column, no rows, a dec of 95 in row 2, no TARGETID.
 *
 * @example
 * const files = await writeVoidFiles(dir); // files.voids, files.galaxies, ...
 */
export async function writeVoidFiles(dir: string, rows = 400) {
  const rng = Rng.for(17, 'void-files');
  const cells = new Uint8Array(360 * 180);
  for (let ra = 150; ra < 210; ra++) for (let dec = 0; dec < 40; dec++) cells[ra * 180 + dec + 90] = 1;
  const mask = { resolution: 1, cells, rMin: 0, rMax: 300 };
  const sky = (ra: number, dec: number, r: number) => {
    const a = (ra * Math.PI) / 180;
    const d = (dec * Math.PI) / 180;
    return [r * Math.cos(a) * Math.cos(d), r * Math.sin(a) * Math.cos(d), r * Math.sin(d)] as const;
  };
  const hx: number[] = [];
  const hy: number[] = [];
  const hz: number[] = [];
  const hr: number[] = [];
  const hv: number[] = [];
  for (let i = 0; i < 12; i++) {
    const [x, y, z] = sky(rng.range(160, 200), rng.range(8, 32), rng.range(80, 250));
    hx.push(x);
    hy.push(y);
    hz.push(z);
    hr.push(rng.range(10, 30));
    hv.push(i % 3);
  }
  const holes = tableFromArrays({
    x: Float64Array.from(hx),
    y: Float64Array.from(hy),
    z: Float64Array.from(hz),
    radius: Float64Array.from(hr),
    void: Int32Array.from(hv),
  });
  const first = [0, 1, 2];
  const maximals = tableFromArrays({
    x: Float64Array.from(first, (i) => hx[i]!),
    y: Float64Array.from(first, (i) => hy[i]!),
    z: Float64Array.from(first, (i) => hz[i]!),
    radius: Float64Array.from(first, (i) => hr[i]!),
    void: Int32Array.of(0, 1, 2),
    edge: Int32Array.of(0, 0, 1),
    r: Float64Array.from(first, (i) => Math.hypot(hx[i]!, hy[i]!, hz[i]!)),
    ra: Float64Array.from(first, (i) => (Math.atan2(hy[i]!, hx[i]!) * 180) / Math.PI + 360),
    dec: Float64Array.from(first, (i) => (Math.asin(hz[i]! / Math.hypot(hx[i]!, hy[i]!, hz[i]!)) * 180) / Math.PI),
  });
  const voids = join(dir, 'voids.fits');
  await writeVoidCatalogue(voids, { maximals, holes, mask, settings: { omegaM: 0.3, h: 1, zMin: 0, zMax: 0.1 } });

  const ra = Float64Array.from({ length: rows }, () => rng.range(140, 220));
  const dec = Float64Array.from({ length: rows }, () => rng.range(-5, 45));
  const z = Float64Array.from({ length: rows }, () => rng.range(0.005, 0.11));
  z[3] = Number.NaN;
  z[7] = -0.01;
  const TARGETID = BigInt64Array.from({ length: rows }, (_, i) => 39627788000000000n + BigInt(i) * 3n + 1n);
  const galaxyTable = tableFromArrays({ ra, dec, z, TARGETID });
  const fitsTable = async (name: string, table: Table) => {
    const path = join(dir, name);
    await writeFits(path, [{ kind: 'image' }, { kind: 'table', table, name: 'GALAXIES' }]);
    return path;
  };
  const galaxies = await fitsTable('galaxies.fits', galaxyTable);
  const galaxiesParquet = join(dir, 'galaxies.parquet');
  writeFileSync(galaxiesParquet, tableFileBytes(galaxiesParquet, galaxyTable));
  const badDec = dec.slice();
  badDec[2] = 95;
  return {
    voids,
    galaxies,
    galaxiesParquet,
    rows,
    noZ: await fitsTable('no-z.fits', tableFromArrays({ ra, dec })),
    noRows: await fitsTable('no-rows.fits', tableFromArrays({ ra: new Float64Array(0), dec: new Float64Array(0), z: new Float64Array(0) })),
    badDec: await fitsTable('bad-dec.fits', tableFromArrays({ ra, dec: badDec, z })),
    noTargetid: await fitsTable('no-targetid.fits', tableFromArrays({ ra, dec, z })),
  };
}
