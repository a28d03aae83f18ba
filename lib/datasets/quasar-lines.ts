import type { Rng } from './random.js';

/**
 * The emission lines the mock quasars carry: name, vacuum rest wavelength (Angstrom, DOMAIN.md's SDSS list), and
 * the typical rest equivalent widths (Angstrom) and FWHMs (km/s) of their broad and narrow components (0 = absent).
 * Typical values follow composite-spectrum and PyQSOFit-fit ranges; they only need to be plausible, since every
 * drawn value is written to the truth table.
 *
 * @example
 * QUASAR_LINES.find((l) => l.name === 'CIV')!.rest; // 1549.48
 */
export const QUASAR_LINES = [
  { name: 'LYA', rest: 1215.67, broadEw: 60, narrowEw: 10 },
  { name: 'NV', rest: 1240.81, broadEw: 15, narrowEw: 0 },
  { name: 'SIIV', rest: 1398.0, broadEw: 8, narrowEw: 0 },
  { name: 'CIV', rest: 1549.48, broadEw: 30, narrowEw: 5 },
  { name: 'CIII', rest: 1908.73, broadEw: 20, narrowEw: 2 },
  { name: 'MGII', rest: 2800.32, broadEw: 30, narrowEw: 3 },
  { name: 'HB', rest: 4862.68, broadEw: 60, narrowEw: 4 },
  { name: 'OIII', rest: 5008.24, broadEw: 0, narrowEw: 15 },
  { name: 'HA', rest: 6564.61, broadEw: 250, narrowEw: 20 },
] as const;

/**
 * Name of one of QUASAR_LINES.
 *
 * @example
 * const l: QuasarLineName = 'CIV';
 */
export type QuasarLineName = (typeof QUASAR_LINES)[number]['name'];

/**
 * One line's injected truth: rest wavelength, and FWHM (km/s) and rest EW (Angstrom) per component.
 *
 * @example
 * const civ: LineTruth = drawLines(rng).find((l) => l.name === 'CIV')!;
 */
export interface LineTruth {
  name: QuasarLineName;
  rest: number;
  fwhmBroad: number;
  ewBroad: number;
  fwhmNarrow: number;
  ewNarrow: number;
}

/**
 * Draws one quasar's line parameters. Broad FWHMs share one per-object factor (a black-hole-mass proxy) so lines of
 * one object look alike; EWs scatter log-normally around the typical values (0.25 dex).
 *
 * @example
 * const lines = drawLines(Rng.for(1, 'q', 7));
 */
export function drawLines(rng: Rng): LineTruth[] {
  const broadBase = 2000 + 5000 * rng.uniform();
  const narrowBase = 350 + 450 * rng.uniform();
  return QUASAR_LINES.map((l) => {
    const scatter = () => 10 ** (0.25 * rng.normal());
    const hasBroad = l.broadEw > 0;
    const hasNarrow = l.narrowEw > 0;
    return {
      name: l.name,
      rest: l.rest,
      fwhmBroad: hasBroad ? round1(broadBase * (0.85 + 0.3 * rng.uniform())) : 0,
      ewBroad: hasBroad ? round3(l.broadEw * scatter()) : 0,
      fwhmNarrow: hasNarrow ? round1(narrowBase * (0.85 + 0.3 * rng.uniform())) : 0,
      ewNarrow: hasNarrow ? round3(l.narrowEw * scatter()) : 0,
    };
  });
}

// Rounded truth values are exactly what is injected, so a reader comparing to the table sees no float noise.
function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
