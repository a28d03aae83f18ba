import type { RestSpectrum } from './rest-frame.js';
import type { Eigenspectra, QuasarTemplates } from './quasar-templates.js';

/**
 * Options of {@link decomposeHost}; the defaults are PyQSOFit's.
 *
 * @example
 * decomposeHost(rest, 0.1, templates, { nGalaxy: 5, nQuasar: 10 } satisfies HostOptions);
 */
export interface HostOptions {
  /** Galaxy eigenspectra used (default 5). */
  nGalaxy?: number;
  /** Quasar eigenspectra used (default 20, PyQSOFit's Fit() default and its example's). */
  nQuasar?: number;
}

/**
 * A host-galaxy decomposition: `host` is the galaxy part of the fit at each of the spectrum's rest wavelengths (0 where
 * not applied or outside `range`, the rest wavelengths both eigenspectrum sets and the spectrum cover); `fraction`
 * the host's share of the fitted (host + quasar) flux near 4200, 5100 and 6000 A (NaN where not covered). `applied`
 * false and a `reason` when the decomposition was not made or was dropped.
 *
 * @example
 * const d: HostDecomposition = decomposeHost(rest, z, templates);
 * if (d.applied) d.fraction[5100]; // e.g. 0.6
 */
export interface HostDecomposition {
  applied: boolean;
  reason: string | null;
  host: Float64Array;
  range: readonly [number, number];
  fraction: { 4200: number; 5100: number; 6000: number };
  /** Good pixels the fit used. */
  npix: number;
}

/**
 * PyQSOFit decomposes only below this redshift: above it the galaxy eigenspectra (3450-8350 A rest) cover little
 * of an optical spectrum, and the host is faint against the quasar.
 *
 * @example
 * if (z < HOST_MAX_Z) decomposeHost(rest, z, templates);
 */
export const HOST_MAX_Z = 1.16;

/** Least a decomposition needs: good pixels in the overlap, and the overlap's share of the good pixels. */
const MIN_PIXELS = 100;
const MIN_OVERLAP_SHARE = 0.5;
/** A decomposition is dropped when the host or the quasar part is negative on more than this share of pixels. */
const MAX_NEGATIVE_SHARE = 0.1;
/** Half-width (A) of the bands the host fractions average over. */
const BAND = 25;

/**
 * Splits a rest-frame spectrum into a host galaxy and a quasar the way Vanden Berk et al. (2006) and Shen et al.
 * (2011) do, and PyQSOFit after them: over the rest wavelengths both the Yip et al. (2004) galaxy and quasar
 * eigenspectra cover, the spectrum is fitted (IVAR-weighted linear least squares over its good pixels) by the first
 * `nGalaxy` galaxy and the first `nQuasar` quasar eigenspectra; the galaxy combination is the host. Not applied for
 * z >= {@link HOST_MAX_Z} or too small an overlap; dropped (with a reason) when the host or the quasar part comes out
 * negative on more than 10% of the pixels, which means the eigenspectra do not describe the spectrum.
 *
 * @example
 * const d = decomposeHost(restFrame(spectrum, z), z, templates);
 * const agn = rest.flux.map((f, i) => f - d.host[i]!);
 */
export function decomposeHost(
  rest: RestSpectrum,
  z: number,
  templates: Pick<QuasarTemplates, 'galaxy' | 'quasar'>,
  options: HostOptions = {},
): HostDecomposition {
  const { wave, good, flux, ivar } = rest;
  const n = wave.length;
  const gal = templates.galaxy.components.slice(0, options.nGalaxy ?? 5);
  const qso = templates.quasar.components.slice(0, options.nQuasar ?? 20);
  const lo = Math.max(templates.galaxy.wave[0]!, templates.quasar.wave[0]!);
  const hi = Math.min(templates.galaxy.wave.at(-1)!, templates.quasar.wave.at(-1)!);
  const out: HostDecomposition = {
    applied: false,
    reason: null,
    host: new Float64Array(n),
    range: [lo, hi],
    fraction: { 4200: Number.NaN, 5100: Number.NaN, 6000: Number.NaN },
    npix: 0,
  };
  const skip = (reason: string) => Object.assign(out, { reason });
  if (!(z < HOST_MAX_Z)) return skip(`no host decomposition at z=${z.toFixed(3)} >= ${HOST_MAX_Z}`);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (good[i] && wave[i]! >= lo && wave[i]! <= hi) idx.push(i);
  if (idx.length < MIN_PIXELS || idx.length < MIN_OVERLAP_SHARE * rest.ngood)
    return skip(`no host decomposition: ${idx.length} of ${rest.ngood} good pixels in the eigenspectra's ${lo}-${hi} A`);
  out.npix = idx.length;
  // Each eigenspectrum interpolated at the spectrum's rest wavelengths, over the whole overlap (good pixels or not:
  // the host is subtracted from every pixel there).
  const i0 = wave.findIndex((w) => w >= lo);
  let i1 = n;
  while (i1 > 0 && wave[i1 - 1]! > hi) i1--;
  const basis = [...gal, ...qso].map((c, k) => interpolate(k < gal.length ? templates.galaxy : templates.quasar, c, wave, i0, i1));
  const m = basis.length;
  const ata = new Float64Array(m * m);
  const atb = new Float64Array(m);
  for (const i of idx) {
    const w = ivar[i]!;
    for (let a = 0; a < m; a++) {
      const va = basis[a]![i]! * w;
      atb[a]! += va * flux[i]!;
      for (let b = 0; b <= a; b++) ata[a * m + b]! += va * basis[b]![i]!;
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) ata[b * m + a] = ata[a * m + b]!;
  const coef = solveSymmetric(ata, atb, m);
  if (!coef) return skip('no host decomposition: the eigenspectra fit is singular');
  const qsoPart = new Float64Array(n);
  for (let i = i0; i < i1; i++) {
    let h = 0;
    let q = 0;
    for (let a = 0; a < m; a++) {
      if (a < gal.length) h += coef[a]! * basis[a]![i]!;
      else q += coef[a]! * basis[a]![i]!;
    }
    out.host[i] = h;
    qsoPart[i] = q;
  }
  let hostNegative = 0;
  let qsoNegative = 0;
  for (const i of idx) {
    if (out.host[i]! < 0) hostNegative++;
    if (qsoPart[i]! < 0) qsoNegative++;
  }
  const limit = MAX_NEGATIVE_SHARE * idx.length;
  if (hostNegative > limit || qsoNegative > limit) {
    out.host.fill(0);
    const [what, count] = hostNegative > limit ? ['host', hostNegative] : ['quasar part', qsoNegative];
    return skip(`host decomposition dropped: the ${what} is negative on ${count} of ${idx.length} pixels`);
  }
  bridgeNarrowLines(wave, out.host, i0, i1);
  for (const lam of [4200, 5100, 6000] as const) {
    let h = 0;
    let t = 0;
    for (let i = i0; i < i1; i++) {
      if (Math.abs(wave[i]! - lam) > BAND) continue;
      h += out.host[i]!;
      t += out.host[i]! + qsoPart[i]!;
    }
    if (t > 0) out.fraction[lam] = h / t;
  }
  out.applied = true;
  return out;
}

/**
 * The galaxy eigenspectra carry the host's narrow emission lines, which the eigenspectra fit scales along with its
 * stars: left in, they would be subtracted from the quasar's lines. As PyQSOFit does, the host is bridged by a straight
 * line across each of these narrow-line regions (rest A, vacuum).
 */
const NARROW_LINE_REGIONS: readonly (readonly [number, number])[] = [
  [3717, 3740], // [O II] 3727, 3730
  [4092, 4112], // Hdelta
  [4331, 4351], // Hgamma
  [4852, 4872], // Hbeta
  [4950, 4970], // [O III] 4960
  [4998, 5018], // [O III] 5008
  [6540, 6595], // [N II] 6550, Halpha, [N II] 6585
  [6705, 6745], // [S II] 6718, 6733
];

function bridgeNarrowLines(wave: Float64Array, host: Float64Array, i0: number, i1: number): void {
  for (const [lo, hi] of NARROW_LINE_REGIONS) {
    let a = i0;
    while (a < i1 && wave[a]! < lo) a++;
    let b = a;
    while (b < i1 && wave[b]! <= hi) b++;
    // Anchors: the pixels just outside the region, both inside the decomposed range.
    if (a === b || a === i0 || b === i1) continue;
    const [x0, y0, x1, y1] = [wave[a - 1]!, host[a - 1]!, wave[b]!, host[b]!];
    for (let i = a; i < b; i++) host[i] = y0 + ((wave[i]! - x0) / (x1 - x0)) * (y1 - y0);
  }
}

/** Component `c` of `e` at wave[i0..i1) (linear interpolation; the range lies inside e.wave). */
function interpolate(e: Eigenspectra, c: Float64Array, wave: Float64Array, i0: number, i1: number): Float64Array {
  const out = new Float64Array(wave.length);
  const ew = e.wave;
  let j = 0;
  for (let i = i0; i < i1; i++) {
    const w = wave[i]!;
    while (j < ew.length - 2 && ew[j + 1]! < w) j++;
    const t = (w - ew[j]!) / (ew[j + 1]! - ew[j]!);
    out[i] = c[j]! + t * (c[j + 1]! - c[j]!);
  }
  return out;
}

/**
 * Solves the symmetric positive definite system a x = b (n x n, row-major) by Cholesky, after scaling to unit
 * diagonal (the eigenspectra differ in scale by orders of magnitude); undefined when it is not positive definite.
 */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const d = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    if (!(a[k * n + k]! > 0)) return undefined;
    d[k] = 1 / Math.sqrt(a[k * n + k]!);
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]! * d[i]! * d[j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 1e-12)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]! * d[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = 0; i < n; i++) x[i]! *= d[i]!;
  return x;
}
