/**
 * The prefix of a line complex's output columns (lower case, as in `civ_br_fwhm`); `siiv` is fitted for the
 * unabsorbed model the BAL indices divide by, without columns of its own.
 *
 * @example
 * const name: ComplexName = 'hb';
 */
export type ComplexName = 'lya' | 'siiv' | 'civ' | 'ciii' | 'mgii' | 'hb' | 'ha';

/**
 * A narrow line of a complex. All narrow lines of a complex share one velocity shift and width; `tieTo` fixes this
 * line's peak to `ratio` times the named line's (doublets with fixed flux ratios).
 *
 * @example
 * const nii6549: NarrowLine = { name: 'nii6549', rest: 6549.86, tieTo: 'nii6585', ratio: 0.3397 };
 */
export interface NarrowLine {
  name: string;
  rest: number;
  tieTo?: string;
  ratio?: number;
}

/**
 * A group of lines fitted together on the continuum-subtracted flux: the fit window (rest Angstrom), the core that
 * must be covered for the fit to be made, the main broad line (1 or 2 Gaussian components), other broad lines (one
 * Gaussian each), and narrow lines. `maxShift` bounds the broad centres (ln lambda, ~c * maxShift km/s).
 *
 * @example
 * LINE_COMPLEXES.find((c) => c.name === 'civ')!.window; // [1460, 1700]
 */
export interface LineComplex {
  name: ComplexName;
  window: readonly [number, number];
  core: readonly [number, number];
  broad: { name: string; rest: number; maxComponents: 1 | 2; maxShift: number };
  extraBroad: readonly { name: string; rest: number }[];
  narrow: readonly NarrowLine[];
  /** Whether the complex has output columns. */
  output: boolean;
}

// Doublet peak ratios for tied widths in ln lambda: the flux ratio times lambda_strong / lambda_weak (flux = peak *
// sigma * lambda * sqrt(2 pi)). Flux ratios: [OIII] 5007/4959 = 2.98, [NII] 6585/6549 = 2.96 (Storey & Zeippen 2000).
const OIII_RATIO = (1 / 2.98) * (5008.24 / 4960.29);
const NII_RATIO = (1 / 2.96) * (6585.27 / 6549.86);

/**
 * The complexes fitted, in wavelength order. Lya is fitted on its red side only (1216-1290 A: the forest absorbs
 * the blue side) with its centre held within ~600 km/s; CIV, CIII], MgII, Hb and Ha may take a second broad
 * component when it improves the fit significantly (see fitComplex). Rest wavelengths are lib/quasar's list.
 *
 * @example
 * LINE_COMPLEXES.map((c) => c.name); // ['lya', 'siiv', 'civ', 'ciii', 'mgii', 'hb', 'ha']
 */
export const LINE_COMPLEXES: readonly LineComplex[] = [
  {
    name: 'lya',
    window: [1216, 1290],
    core: [1216, 1250],
    broad: { name: 'lya', rest: 1215.67, maxComponents: 1, maxShift: 0.002 },
    extraBroad: [{ name: 'nv', rest: 1240.81 }],
    narrow: [{ name: 'lya', rest: 1215.67 }],
    output: true,
  },
  {
    name: 'siiv',
    window: [1340, 1450],
    core: [1380, 1415],
    broad: { name: 'siiv', rest: 1398.0, maxComponents: 1, maxShift: 0.01 },
    extraBroad: [],
    narrow: [],
    output: false,
  },
  {
    name: 'civ',
    window: [1460, 1700],
    core: [1520, 1580],
    broad: { name: 'civ', rest: 1549.48, maxComponents: 2, maxShift: 0.015 },
    extraBroad: [],
    narrow: [{ name: 'civ', rest: 1549.48 }],
    output: true,
  },
  {
    name: 'ciii',
    window: [1830, 1985],
    core: [1880, 1940],
    broad: { name: 'ciii', rest: 1908.73, maxComponents: 2, maxShift: 0.015 },
    extraBroad: [],
    narrow: [{ name: 'ciii', rest: 1908.73 }],
    output: true,
  },
  {
    name: 'mgii',
    window: [2700, 2900],
    core: [2770, 2830],
    broad: { name: 'mgii', rest: 2800.32, maxComponents: 2, maxShift: 0.015 },
    extraBroad: [],
    narrow: [{ name: 'mgii', rest: 2800.32 }],
    output: true,
  },
  {
    name: 'hb',
    window: [4640, 5100],
    core: [4820, 4910],
    broad: { name: 'hb', rest: 4862.68, maxComponents: 2, maxShift: 0.015 },
    extraBroad: [],
    narrow: [
      { name: 'hb', rest: 4862.68 },
      { name: 'oiii4959', rest: 4960.29, tieTo: 'oiii5007', ratio: OIII_RATIO },
      { name: 'oiii5007', rest: 5008.24 },
    ],
    output: true,
  },
  {
    name: 'ha',
    window: [6400, 6800],
    core: [6520, 6610],
    broad: { name: 'ha', rest: 6564.61, maxComponents: 2, maxShift: 0.015 },
    extraBroad: [],
    narrow: [
      { name: 'nii6549', rest: 6549.86, tieTo: 'nii6585', ratio: NII_RATIO },
      { name: 'ha', rest: 6564.61 },
      { name: 'nii6585', rest: 6585.27 },
      { name: 'sii6718', rest: 6718.29 },
      { name: 'sii6732', rest: 6732.68 },
    ],
    output: true,
  },
];
