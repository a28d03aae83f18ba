import { FlatLambdaCDM } from '../cosmo/index.js';

const MPC_CM = 3.085677581491367e24;
let cosmology: FlatLambdaCDM | undefined;

/**
 * log10 of lambda L_lambda (erg/s) at rest wavelength `lam` (Angstrom), given the rest-frame flux density
 * f_lambda (1 + z) there in 1e-17 erg/s/cm2/A, in the flat LambdaCDM PyQSOFit uses (H0 = 70, Omega_M = 0.3):
 * lambda L_lambda = 4 pi D_L^2 lambda_rest f_rest. NaN for z <= 0 or a non-positive flux.
 *
 * @example
 * logLambdaLuminosity(5100, 12.5, 0.1006); // ~43.4
 */
export function logLambdaLuminosity(lam: number, restFlux: number, z: number): number {
  if (!(z > 0) || !(restFlux > 0)) return Number.NaN;
  cosmology ??= new FlatLambdaCDM({ omegaM: 0.3, H0: 70 });
  const dl = cosmology.luminosityDistance(z) * MPC_CM;
  return Math.log10(4 * Math.PI * dl * dl * lam * restFlux * 1e-17);
}
