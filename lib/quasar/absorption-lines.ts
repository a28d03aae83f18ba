/**
 * Rest wavelengths (vacuum, Angstrom) of the MgII 2796/2803 doublet that intervening absorbers imprint.
 *
 * @example
 * MGII_DOUBLET.map((w) => w * (1 + zAbs)); // observed absorber lines
 */
export const MGII_DOUBLET = [2796.35, 2803.53] as const;

/**
 * Lyman-series rest wavelengths (vacuum, Angstrom) the Lyman-alpha forest needs besides Lya itself (in
 * EMISSION_LINES): Ly-beta and the Lyman limit.
 *
 * @example
 * const inLyBetaForest = rest < LYMAN.beta;
 */
export const LYMAN = { beta: 1025.72, limit: 911.75 } as const;
