import { emissionLine, type EmissionLineName } from '../quasar/index.js';
import type { Rng } from './random.js';

// Generator parameters: which lines of lib/quasar's list the mock quasars carry, under the names of the truth
// table's columns (FWHM_BROAD_OIII is [OIII] 5008), with typical rest equivalent widths (Angstrom) of their broad and
// narrow components (0 = absent). Typical values follow composite-spectrum and PyQSOFit-fit ranges; they only need to
// be plausible, since every drawn value is written to the truth table.
const MOCK_LINES = [
  { name: 'LYA', line: 'LYA', broadEw: 60, narrowEw: 10 },
  { name: 'NV', line: 'NV', broadEw: 15, narrowEw: 0 },
  { name: 'SIIV', line: 'SIIV', broadEw: 8, narrowEw: 0 },
  { name: 'CIV', line: 'CIV', broadEw: 30, narrowEw: 5 },
  { name: 'CIII', line: 'CIII', broadEw: 20, narrowEw: 2 },
  { name: 'MGII', line: 'MGII', broadEw: 30, narrowEw: 3 },
  { name: 'HB', line: 'HB', broadEw: 60, narrowEw: 4 },
  { name: 'OIII', line: 'OIII_5008', broadEw: 0, narrowEw: 15 },
  { name: 'HA', line: 'HA', broadEw: 250, narrowEw: 20 },
] as const satisfies readonly { name: string; line: EmissionLineName; broadEw: number; narrowEw: number }[];

/**
 * Name of one of QUASAR_LINES (the truth table's column suffix).
 *
 * @example
 * const l: QuasarLineName = 'CIV';
 */
export type QuasarLineName = (typeof MOCK_LINES)[number]['name'];

/**
 * The emission lines the mock quasars carry: truth-table name, vacuum rest wavelength (Angstrom, from lib/quasar's
 * EMISSION_LINES), and the typical rest equivalent widths (Angstrom) of their broad and narrow components (0 = absent).
 *
 * @example
 * QUASAR_LINES.find((l) => l.name === 'CIV')!.rest; // 1549.48
 */
export const QUASAR_LINES: readonly { name: QuasarLineName; rest: number; broadEw: number; narrowEw: number }[] = MOCK_LINES.map((l) => ({
  name: l.name,
  rest: emissionLine(l.line).rest,
  broadEw: l.broadEw,
  narrowEw: l.narrowEw,
}));

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
