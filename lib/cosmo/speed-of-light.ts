/**
 * The speed of light in km/s (exact, SI definition): Hubble distances c / H0, velocity offsets c dlambda / lambda.
 *
 * @example
 * const hubbleDistance = C_KMS / 100; // 2997.92458 Mpc/h
 */
export const C_KMS = 299792.458;
