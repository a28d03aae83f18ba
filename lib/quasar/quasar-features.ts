import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { BAL_COLUMNS } from './bal-columns.js';
import { AI_WINDOW, BAL_IONS, BAL_REDSHIFT } from './bal-windows.js';
import { fitQuasar, fitRestFrame, type FitQuasarOptions, type QuasarFit } from './fit-quasar.js';
import { type BalMeasurement, measureBal } from './measure-bal.js';
import { QUASAR_LINE_COLUMNS } from './quasar-columns.js';
import { restFrame, type ObservedSpectrum, type RestSpectrum } from './rest-frame.js';
import { wavelengthAtVelocity } from './velocity.js';
import { firstAtLeast } from './first-at-least.js';

/**
 * Everything measured on one quasar spectrum: the continuum and emission-line fit, the BAL catalogue quantities
 * measured against that fit's unabsorbed model, and why the spectrum could not be measured (`reason`, null when it was).
 *
 * @example
 * const f: QuasarFeatures = measureQuasar({ wave, flux, ivar, mask }, 2.3);
 * f.fit.values.civ_br_fwhm; f.bal.BI_CIV;
 */
export interface QuasarFeatures {
  fit: QuasarFit;
  bal: BalMeasurement;
  reason: string | null;
}

/**
 * Measures one observed spectrum at redshift z: {@link fitQuasar} (power law, Fe II when given, Gaussian line
 * complexes, luminosities), then {@link measureBal} on the flux divided by the fit's unabsorbed model. Bad data never
 * throws: an unknown redshift, no good pixels or no line in range give NaN values and a reason.
 *
 * @example
 * const f = measureQuasar({ wave: s.wavelength, flux, ivar, mask }, 2.3);
 * if (f.reason === null) console.log(f.fit.values.civ_blueshift, f.bal.BI_CIV);
 */
export function measureQuasar(spectrum: ObservedSpectrum, z: number, options: FitQuasarOptions = {}): QuasarFeatures {
  if (!Number.isFinite(z) || z <= -1) {
    const fit = fitQuasar({ wave: [], flux: [], ivar: [] }, 0, options);
    const reason = Number.isNaN(z) ? 'no redshift for this spectrum' : `redshift ${z} is not a redshift`;
    return { fit: { ...fit, reason }, bal: unmeasuredBal(reason), reason };
  }
  // Nothing measureQuasar returns holds the rest-frame arrays, so one set per thread serves every spectrum.
  const rest = restFrame(spectrum, z, scratch);
  scratch = rest;
  const fit = fitRestFrame(rest, z, options);
  if (fit.reason !== null) return { fit, bal: unmeasuredBal(fit.reason), reason: fit.reason };
  // measureBal reads only the CIV and SiIV windows: it gets the pixels of that range, the model evaluated there.
  // Outside baltools' redshift range measureBal only says so: no pixel, no model to evaluate.
  const searched = z >= BAL_REDSHIFT.min && z <= BAL_REDSHIFT.max;
  const i0 = searched ? firstAtLeast(rest.wave, BAL_MODEL_RANGE[0]) : 0;
  const i1 = searched ? firstAtLeast(rest.wave, BAL_MODEL_RANGE[1]) : 0;
  const wave = rest.wave.subarray(i0, i1);
  const model = fit.model(wave);
  const bal = measureBal(wave, rest.flux.subarray(i0, i1), rest.ivar.subarray(i0, i1), model, {
    z,
    mask: invert(rest.good.subarray(i0, i1)),
  });
  return { fit, bal, reason: null };
}

let scratch: RestSpectrum | undefined;

/** Rest wavelengths covering the AI windows (-25000..0 km/s) of SiIV and CIV, where measureBal reads the model. */
const BAL_MODEL_RANGE = [
  wavelengthAtVelocity(AI_WINDOW.vmin, BAL_IONS.SIIV) - 1,
  wavelengthAtVelocity(AI_WINDOW.vmax, BAL_IONS.CIV) + 1,
] as const;

/** measureBal's mask is non-zero where a pixel is bad; restFrame's `good` is the opposite. */
function invert(good: Uint8Array): Uint8Array {
  const bad = new Uint8Array(good.length);
  for (let i = 0; i < good.length; i++) bad[i] = good[i] ? 0 : 1;
  return bad;
}

/** A BAL row of NaN indices, -1 counts and -1 trough slots: what measureBal gives an ion it could not measure. */
function unmeasuredBal(reason: string): BalMeasurement {
  const row: Record<string, unknown> = {};
  for (const c of BAL_COLUMNS) {
    const slots = /^(\d+)E$/.exec(c.tform)?.[1];
    row[c.name] = slots ? new Array<number>(Number(slots)).fill(-1) : c.tform === 'J' ? -1 : Number.NaN;
  }
  return { ...(row as Omit<BalMeasurement, 'reason'>), reason: { CIV: reason, SIIV: reason } } as BalMeasurement;
}

/**
 * The columns of a quasar features table, in order: identity (TARGETID, Z, the file and row the spectrum came from),
 * STATUS (`ok` or `failed`) and REASON, the line fit's columns (lower-case, QUASAR_LINE_COLUMNS: float64, null where not
 * measured), then the DESI BAL catalogue's columns (BAL_COLUMNS, upper-case as the catalogue names them) and
 * BAL_REASON (why CIV was not searched, null when it was).
 *
 * @example
 * QUASAR_FEATURE_SCHEMA.fields.map((f) => f.name).slice(0, 6); // ['TARGETID', 'Z', 'FILE', 'ROW', 'STATUS', 'REASON']
 */
export const QUASAR_FEATURE_SCHEMA = new Schema([
  new Field('TARGETID', new Int64(), false),
  new Field('Z', new Float64(), true),
  new Field('FILE', new Utf8(), false),
  new Field('ROW', new Int32(), false),
  new Field('STATUS', new Utf8(), false),
  new Field('REASON', new Utf8(), true),
  ...QUASAR_LINE_COLUMNS.map((c) => new Field(c.name, new Float64(), true)),
  ...BAL_COLUMNS.map((c) => {
    const slots = /^(\d+)E$/.exec(c.tform)?.[1];
    if (slots) return new Field(c.name, new FixedSizeList(Number(slots), new Field('v', new Float32(), false)), false);
    return new Field(c.name, c.tform === 'J' ? new Int32() : new Float32(), c.tform !== 'J');
  }),
  new Field('BAL_REASON', new Utf8(), true),
]);

/**
 * One spectrum's row of a features table: where it came from and what was measured.
 *
 * @example
 * rows.push({ targetid, z, file: 'coadd-main-dark-27256.fits', row: 7, features: measureQuasar(spec, z) });
 */
export interface FeatureRow {
  targetid: bigint;
  z: number;
  file: string;
  row: number;
  features: QuasarFeatures;
}

/** Validity bitmap (bit set = valid) of `n` values. */
function validity(n: number, valid: (i: number) => boolean): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

/**
 * The rows as one record batch of {@link QUASAR_FEATURE_SCHEMA}: NaN features become nulls, so a reader sees "not
 * measured" as SQL NULL, never as a number.
 *
 * @example
 * await writer.write(featureBatch(rows));
 */
export function featureBatch(rows: readonly FeatureRow[]): RecordBatch {
  const n = rows.length;
  const children = QUASAR_FEATURE_SCHEMA.fields.map((field) => {
    const name = field.name;
    const type = field.type;
    const text = (get: (r: FeatureRow) => string | null) => vectorFromArray(rows.map(get), new Utf8()).data[0]!;
    switch (name) {
      case 'TARGETID':
        return makeData({ type, length: n, data: BigInt64Array.from(rows, (r) => r.targetid) } as never);
      case 'ROW':
        return makeData({ type, length: n, data: Int32Array.from(rows, (r) => r.row) } as never);
      case 'FILE':
        return text((r) => r.file);
      case 'STATUS':
        return text((r) => (r.features.reason === null ? 'ok' : 'failed'));
      case 'REASON':
        return text((r) => r.features.reason);
      case 'BAL_REASON':
        return text((r) => r.features.bal.reason.CIV);
    }
    if (name === 'Z' || type instanceof Float64 || type instanceof Float32) {
      const values =
        name === 'Z'
          ? Float64Array.from(rows, (r) => r.z)
          : type instanceof Float64
            ? Float64Array.from(rows, (r) => r.features.fit.values[name] ?? Number.NaN)
            : Float32Array.from(rows, (r) => (r.features.bal as unknown as Record<string, number>)[name] ?? Number.NaN);
      const { bitmap, nulls } = validity(n, (i) => !Number.isNaN(values[i]!));
      return makeData({ type, length: n, data: values, nullBitmap: bitmap, nullCount: nulls } as never);
    }
    if (type instanceof Int32)
      return makeData({
        type,
        length: n,
        data: Int32Array.from(rows, (r) => (r.features.bal as unknown as Record<string, number>)[name]!),
      } as never);
    const list = type as FixedSizeList<Float32>;
    const size = list.listSize;
    const flat = new Float32Array(n * size);
    rows.forEach((r, i) => flat.set((r.features.bal as unknown as Record<string, number[]>)[name]!.slice(0, size), i * size));
    const child = makeData({ type: list.children[0]!.type, length: n * size, data: flat } as never);
    return makeData({ type: list, length: n, child } as never);
  });
  return new RecordBatch(
    QUASAR_FEATURE_SCHEMA,
    makeData({ type: new Struct(QUASAR_FEATURE_SCHEMA.fields), length: n, nullCount: 0, children } as never) as never,
  );
}
