import type { RecordBatch } from 'apache-arrow';
import type { ColumnSpec } from '../desi/index.js';
import { batchFromSpecs, type ColumnSource } from './columns.js';
import { QUASAR_LINES } from './quasar-lines.js';
import { ANOMALIES, type MockQuasar } from './quasars.js';
import type { PlantedVoid, PlantedWall } from './structures.js';

const col = (name: string, tform: string, description: string, unit?: string): ColumnSpec =>
  unit ? { name, tform, description, unit } : { name, tform, description };

/**
 * Columns of truth/voids.parquet.
 *
 * @example
 * VOID_TRUTH_COLUMNS.map((c) => c.name); // ['VOID_ID', 'X', ...]
 */
export const VOID_TRUTH_COLUMNS: readonly ColumnSpec[] = [
  col('VOID_ID', 'J', 'Void number'),
  col('X', 'D', 'Comoving x of the centre (towards ra 0, dec 0)', 'Mpc/h'),
  col('Y', 'D', 'Comoving y of the centre (towards ra 90, dec 0)', 'Mpc/h'),
  col('Z', 'D', 'Comoving z of the centre (towards dec 90)', 'Mpc/h'),
  col('RADIUS', 'D', 'Radius of the empty sphere', 'Mpc/h'),
  col('RA', 'D', 'Right ascension of the centre', 'deg'),
  col('DEC', 'D', 'Declination of the centre', 'deg'),
  col('REDSHIFT', 'D', 'Redshift of the centre'),
  col('DISTANCE', 'D', 'Comoving distance of the centre', 'Mpc/h'),
];

/**
 * Columns of truth/walls.parquet.
 *
 * @example
 * WALL_TRUTH_COLUMNS.map((c) => c.name); // ['WALL_ID', 'NX', ...]
 */
export const WALL_TRUTH_COLUMNS: readonly ColumnSpec[] = [
  col('WALL_ID', 'J', 'Wall number'),
  col('NX', 'D', 'Unit normal x'),
  col('NY', 'D', 'Unit normal y'),
  col('NZ', 'D', 'Unit normal z'),
  col('OFFSET', 'D', 'Slab centre: n . x = OFFSET', 'Mpc/h'),
  col('THICKNESS', 'D', 'Full thickness of the slab', 'Mpc/h'),
];

/**
 * Columns of truth/quasars.parquet: identity, redshift, continuum, per-line truth, BAL, anomaly.
 *
 * @example
 * QUASAR_TRUTH_COLUMNS.find((c) => c.name === 'BI_CIV')!.unit; // 'km/s'
 */
export const QUASAR_TRUTH_COLUMNS: readonly ColumnSpec[] = [
  col('TARGETID', 'K', 'DESI TARGETID (MOCK bit set)'),
  col('HEALPIX', 'J', 'nside-64 NESTED pixel'),
  col('RA', 'D', 'Right ascension', 'deg'),
  col('DEC', 'D', 'Declination', 'deg'),
  col('Z', 'D', 'True redshift'),
  col('Z_REPORTED', 'D', 'Redshift written to REDSHIFTS/ZCATALOG (differs for WRONG_Z)'),
  col('MAG_R', 'E', 'r-band AB magnitude of the continuum at 6200 A observed', 'mag'),
  col('CONT_SLOPE', 'D', 'Power-law index of f_lambda ~ (lambda_rest/3000)^slope'),
  col('CONT_NORM', 'D', 'Continuum f_lambda at 3000 A rest', '1e-17 erg/s/cm2/A'),
  ...QUASAR_LINES.flatMap((l) => [
    col(`FWHM_BROAD_${l.name}`, 'D', `${l.name} ${l.rest} A broad component FWHM (0 = none)`, 'km/s'),
    col(`EW_BROAD_${l.name}`, 'D', `${l.name} broad component rest equivalent width`, 'Angstrom'),
    col(`FWHM_NARROW_${l.name}`, 'D', `${l.name} narrow component FWHM (0 = none)`, 'km/s'),
    col(`EW_NARROW_${l.name}`, 'D', `${l.name} narrow component rest equivalent width`, 'Angstrom'),
  ]),
  col('BAL', 'L', 'True when BAL troughs were injected'),
  col('BI_CIV', 'D', 'Balnicity index of the injected CIV troughs (baltools definition, noiseless)', 'km/s'),
  col('BI_SIIV', 'D', 'Balnicity index of the injected SiIV troughs', 'km/s'),
  col('BAL_TROUGHS', '200A', 'Injected troughs as JSON [[vcenter, width, depth], ...] (km/s, km/s, fraction)'),
  col('ANOMALY', 'I', 'Injected anomaly: 0 none, 1 SPIKES, 2 WRONG_Z, 3 ABSORBER, 4 DROPOUT'),
  col('ANOMALY_KIND', '8A', 'Name of the anomaly'),
  col('ABSORBER_Z', 'D', 'Redshift of the injected MgII absorber (NaN if none)'),
  col('HAS_SPECTRUM', 'L', 'True when a coadd file holds this quasar'),
];

/** The voids truth as one record batch. @example const b = voidTruth(plan.voids); */
export function voidTruth(voids: readonly PlantedVoid[]): RecordBatch {
  const f = (k: keyof PlantedVoid) => Float64Array.from(voids, (v) => v[k]);
  return batchFromSpecs(VOID_TRUTH_COLUMNS, voids.length, {
    VOID_ID: Int32Array.from(voids, (v) => v.id),
    X: f('x'),
    Y: f('y'),
    Z: f('z'),
    RADIUS: f('radius'),
    RA: f('ra'),
    DEC: f('dec'),
    REDSHIFT: f('redshift'),
    DISTANCE: f('distance'),
  });
}

/** The walls truth as one record batch. @example const b = wallTruth(plan.walls); */
export function wallTruth(walls: readonly PlantedWall[]): RecordBatch {
  const f = (k: keyof PlantedWall) => Float64Array.from(walls, (w) => w[k]);
  return batchFromSpecs(WALL_TRUTH_COLUMNS, walls.length, {
    WALL_ID: Int32Array.from(walls, (w) => w.id),
    NX: f('nx'),
    NY: f('ny'),
    NZ: f('nz'),
    OFFSET: f('offset'),
    THICKNESS: f('thickness'),
  });
}

/** The truth rows of some quasars. @example await writer.write(quasarTruth(content.quasars, true)); */
export function quasarTruth(qs: readonly MockQuasar[], hasSpectrum: boolean): RecordBatch {
  const n = qs.length;
  const v: ColumnSource = {
    TARGETID: BigInt64Array.from(qs, (q) => q.targetid),
    HEALPIX: Int32Array.from(qs, (q) => q.healpix),
    RA: Float64Array.from(qs, (q) => q.ra),
    DEC: Float64Array.from(qs, (q) => q.dec),
    Z: Float64Array.from(qs, (q) => q.z),
    Z_REPORTED: Float64Array.from(qs, (q) => q.zReported),
    MAG_R: Float32Array.from(qs, (q) => q.magR),
    CONT_SLOPE: Float64Array.from(qs, (q) => q.model.slope),
    CONT_NORM: Float64Array.from(qs, (q) => q.model.norm),
    BAL: qs.map((q) => q.model.troughs.length > 0),
    BI_CIV: Float64Array.from(qs, (q) => q.biCiv),
    BI_SIIV: Float64Array.from(qs, (q) => q.biSiiv),
    BAL_TROUGHS: qs.map((q) => JSON.stringify(q.model.troughs.map((t) => [t.vCenter, t.width, t.depth]))),
    ANOMALY: Int16Array.from(qs, (q) => ANOMALIES[q.anomaly]),
    ANOMALY_KIND: qs.map((q) => q.anomaly),
    ABSORBER_Z: Float64Array.from(qs, (q) => q.model.absorber?.z ?? NaN),
    HAS_SPECTRUM: new Array<boolean>(n).fill(hasSpectrum),
  };
  QUASAR_LINES.forEach((l, k) => {
    v[`FWHM_BROAD_${l.name}`] = Float64Array.from(qs, (q) => q.model.lines[k]!.fwhmBroad);
    v[`EW_BROAD_${l.name}`] = Float64Array.from(qs, (q) => q.model.lines[k]!.ewBroad);
    v[`FWHM_NARROW_${l.name}`] = Float64Array.from(qs, (q) => q.model.lines[k]!.fwhmNarrow);
    v[`EW_NARROW_${l.name}`] = Float64Array.from(qs, (q) => q.model.lines[k]!.ewNarrow);
  });
  return batchFromSpecs(QUASAR_TRUTH_COLUMNS, n, v);
}
