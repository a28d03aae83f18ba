import { CloudyError } from '../errors/index.js';

/** Physical constants (CGS, CODATA 2018) the energetics use. */
export const CGS = {
  c: 2.99792458e10,
  h: 6.62607015e-27,
  mProton: 1.67262192369e-24,
  pc: 3.085677581491367e18,
  msunPerYear: 1.988409870698051e33 / 3.15576e7,
  rydbergHz: 3.2898419602508e15,
} as const;

/**
 * A measured quantity and its 1-sigma error in the same units (dex for log10 quantities); no error = exact.
 *
 * @example
 * const logU: Measured = { value: -2.1, error: 0.2 };
 */
export interface Measured {
  value: number;
  error?: number;
}

/**
 * The rate of hydrogen-ionizing photons Q(H) (photons/s) of a power-law ionizing continuum L_nu ~ nu^alpha above
 * 1 Rydberg (alpha < 0), given nu L_nu at 1 Rydberg (912 A) in erg/s: Q(H) = (nu L_nu)_912 / (h nu_912 (-alpha)),
 * the integral of L_nu / (h nu) from 1 Rydberg up. The error propagates that of the luminosity (and of alpha).
 *
 * @example
 * ionizingPhotonRate({ value: 1e45 }, { value: -1.5 }); // { value: 1.01e56, error: 0 } photons/s
 */
export function ionizingPhotonRate(nuLnu912: Measured, alpha: Measured): Required<Measured> {
  check('nuLnu912', nuLnu912, (v) => v > 0, 'erg/s, > 0');
  check('alpha', alpha, (v) => v < 0, 'the slope of L_nu above 1 Rydberg, < 0');
  const q = nuLnu912.value / (CGS.h * CGS.rydbergHz * -alpha.value);
  const rel = Math.hypot(rel1(nuLnu912), rel1(alpha));
  return { value: q, error: q * rel };
}

/**
 * What {@link outflowEnergetics} needs: Q(H) in photons/s, log10 U and log10 n_H (cm^-3) from the photoionization
 * solution, log10 N_H (cm^-2) of the absorber, its velocity v (km/s, positive outflow speed), the global covering
 * factor Omega (fraction of 4 pi), and mu, the mean mass per proton in units of m_p (default 1.4, solar abundances).
 *
 * @example
 * const input: OutflowInput = { qH: { value: 1e56 }, logU: { value: -2 }, logNH: { value: 4 }, logColumn: { value: 21 }, velocity: { value: 5000 }, coveringFactor: { value: 0.2 } };
 */
export interface OutflowInput {
  qH: Measured;
  logU: Measured;
  logNH: Measured;
  logColumn: Measured;
  velocity: Measured;
  coveringFactor: Measured;
  mu?: number;
  /** The quasar's bolometric luminosity (erg/s), for the kinetic-to-bolometric ratio that feedback models quote. */
  lBol?: Measured;
}

/**
 * A derived quantity with its 1-sigma error and its log10 with the error in dex.
 *
 * @example
 * const r: Derived = outflowEnergetics(input).distance; r.value; r.log10; r.log10Error;
 */
export interface Derived {
  value: number;
  error: number;
  log10: number;
  log10Error: number;
}

/**
 * Outflow energetics: the distance in cm and pc, the mass-outflow rate in g/s and Msun/yr, the kinetic luminosity
 * in erg/s and, with lBol, its ratio to the bolometric luminosity.
 *
 * @example
 * const e: OutflowEnergetics = outflowEnergetics(input); e.massFlowMsunYr.value;
 */
export interface OutflowEnergetics {
  distanceCm: Derived;
  distancePc: Derived;
  massFlow: Derived;
  massFlowMsunYr: Derived;
  kineticLuminosity: Derived;
  kineticToBolometric: Derived | undefined;
}

const LN10 = Math.LN10;

/**
 * Where a photoionized outflow sits and what it carries, from its Cloudy solution (U, n_H) and absorption (N_H, v):
 * R = sqrt(Q(H) / (4 pi U n_H c)) (the definition of the ionization parameter), the mass-outflow rate of a thin
 * partial shell Mdot = 4 pi R Omega mu m_p N_H v, and the kinetic luminosity E_k = Mdot v^2 / 2 (as the BAL outflow
 * literature, e.g. Borguet et al. 2012, derives them). Errors propagate to first order in the logarithms of
 * independent inputs: ln R moves by (ln Q - ln U - ln n_H) / 2; ln Mdot adds ln Omega, ln N_H and ln v; ln E_k adds
 * 2 ln v more, so the velocity's error enters E_k three times over. A value outside its domain is a CloudyError.
 *
 * @example
 * const e = outflowEnergetics({ qH: { value: 1e56, error: 2e55 }, logU: { value: -2, error: 0.2 }, logNH: { value: 4, error: 0.3 },
 *   logColumn: { value: 21, error: 0.2 }, velocity: { value: 5000, error: 500 }, coveringFactor: { value: 0.2 } });
 * e.distancePc.value; // ~528 pc
 */
export function outflowEnergetics(input: OutflowInput): OutflowEnergetics {
  const { qH, logU, logNH, logColumn, velocity, coveringFactor } = input;
  const mu = input.mu ?? 1.4;
  check('qH', qH, (v) => v > 0, 'photons/s, > 0');
  for (const [name, m] of [
    ['logU', logU],
    ['logNH', logNH],
    ['logColumn', logColumn],
  ] as const)
    check(name, m, Number.isFinite, 'a log10 value');
  check('velocity', velocity, (v) => v > 0, 'km/s, > 0 (the outflow speed)');
  check('coveringFactor', coveringFactor, (v) => v > 0 && v <= 1, 'a fraction of 4 pi, 0 < Omega <= 1');
  if (!(mu > 0)) throw new CloudyError(`invalid mu: ${mu} (mean mass per proton in m_p, > 0)`, { scope: 'outflowEnergetics' });
  // Errors of ln(input): relative errors, and dex * ln 10 for the log10 inputs.
  const sQ = rel1(qH);
  const sU = (logU.error ?? 0) * LN10;
  const sN = (logNH.error ?? 0) * LN10;
  const sCol = (logColumn.error ?? 0) * LN10;
  const sV = rel1(velocity);
  const sOmega = rel1(coveringFactor);
  const v = velocity.value * 1e5;
  const r = Math.sqrt(qH.value / (4 * Math.PI * 10 ** logU.value * 10 ** logNH.value * CGS.c));
  const sR = 0.5 * Math.hypot(sQ, sU, sN);
  const mdot = 4 * Math.PI * r * coveringFactor.value * mu * CGS.mProton * 10 ** logColumn.value * v;
  const sMdot = Math.hypot(sR, sOmega, sCol, sV);
  const ek = 0.5 * mdot * v * v;
  const sEk = Math.hypot(sR, sOmega, sCol, 3 * sV);
  const out: OutflowEnergetics = {
    distanceCm: derived(r, sR),
    distancePc: derived(r / CGS.pc, sR),
    massFlow: derived(mdot, sMdot),
    massFlowMsunYr: derived(mdot / CGS.msunPerYear, sMdot),
    kineticLuminosity: derived(ek, sEk),
    kineticToBolometric: undefined,
  };
  if (input.lBol) {
    check('lBol', input.lBol, (x) => x > 0, 'erg/s, > 0');
    out.kineticToBolometric = derived(ek / input.lBol.value, Math.hypot(sEk, rel1(input.lBol)));
  }
  return out;
}

/** A value and its error in ln (first order: error = value * sLn). */
function derived(value: number, sLn: number): Derived {
  return { value, error: value * sLn, log10: Math.log10(value), log10Error: sLn / LN10 };
}

function rel1(m: Measured): number {
  return m.error === undefined ? 0 : Math.abs(m.error / m.value);
}

function check(name: string, m: Measured, ok: (v: number) => boolean, what: string): void {
  if (!Number.isFinite(m.value) || !ok(m.value))
    throw new CloudyError(`invalid ${name}: ${m.value} (${what})`, { scope: 'outflowEnergetics' });
  if (m.error !== undefined && !(m.error >= 0 && Number.isFinite(m.error)))
    throw new CloudyError(`invalid ${name} error: ${m.error} (a 1-sigma error, >= 0)`, { scope: 'outflowEnergetics' });
}
