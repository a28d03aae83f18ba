import { medianInPlace } from './median.js';
import { ML_MASK, type RestGridSpectrum } from './rest-frame-resample.js';

/**
 * Divides a rest-frame spectrum by its median flux over good pixels, in place, and scales ivar by scale^2; returns
 * the scale (NaN when the row has no good pixel or a median <= 0, and then every pixel gets ML_MASK.NO_SCALE).
 *
 * Why the median over good pixels and not an ivar-weighted mean in a fixed window: quasars at z 0.4-4 share no rest
 * window on DESI's 3600-9824 A (z = 4 reaches 720-1965 A, z = 0.4 reaches 2570-7017 A), and the median ignores the
 * unmasked artefacts the anomaly scores look for (spikes, absorbers) while an ivar-weighted mean would follow them.
 * The amplitude left over by different coverages is taken up by the free amplitude of the mean spectrum in the PCA fit.
 *
 * @example
 * const scale = normaliseRow(resampleToRest(wave, flux, ivar, mask, z, ML_GRID));
 */
export function normaliseRow(row: RestGridSpectrum): number {
  const good = new Float64Array(row.flux.length);
  let n = 0;
  for (let j = 0; j < row.flux.length; j++) if (row.mask[j] === 0) good[n++] = row.flux[j]!;
  const scale = medianInPlace(good.subarray(0, n));
  if (!(scale > 0)) {
    row.mask.fill(ML_MASK.NO_SCALE);
    row.flux.fill(0);
    row.ivar.fill(0);
    return Number.NaN;
  }
  const s2 = scale * scale;
  for (let j = 0; j < row.flux.length; j++) {
    row.flux[j]! /= scale;
    row.ivar[j]! *= s2;
  }
  return scale;
}
