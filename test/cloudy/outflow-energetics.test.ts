import { describe, expect, it } from 'vitest';
import { ionizingPhotonRate, outflowEnergetics } from '../../lib/cloudy/index.js';
import { CloudyError } from '../../lib/errors/index.js';

describe('outflow energetics', () => {
  it('reproduces a worked example (U, n_H, L, v) within 1% of a hand calculation with rounded constants', () => {
    // Hand calculation: nu L_nu(912 A) = 1e45 erg/s, alpha = -1.5 above 1 Ryd (h nu = 13.6 eV = 2.179e-11 erg);
    // log U = -2, log n_H = 4 cm^-3, log N_H = 21 cm^-2, v = 5000 km/s, Omega = 0.2, mu = 1.4.
    const hNu = 13.6 * 1.602e-12;
    const qH = 1e45 / (hNu * 1.5); // 3.06e55 photons/s
    const r = Math.sqrt(qH / (4 * Math.PI * 1e-2 * 1e4 * 3e10)); // 9.0e20 cm
    const mdot = 4 * Math.PI * r * 0.2 * 1.4 * 1.673e-24 * 1e21 * 5e8; // g/s
    const ek = 0.5 * mdot * 5e8 * 5e8;
    const q = ionizingPhotonRate({ value: 1e45 }, { value: -1.5 });
    expect(q.value / qH).toBeCloseTo(1, 2);
    const e = outflowEnergetics({
      qH: q,
      logU: { value: -2 },
      logNH: { value: 4 },
      logColumn: { value: 21 },
      velocity: { value: 5000 },
      coveringFactor: { value: 0.2 },
      lBol: { value: 1e46 },
    });
    const within1 = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(0.01);
    within1(e.distanceCm.value, r);
    within1(e.distancePc.value, r / 3.086e18); // ~292 pc
    within1(e.massFlow.value, mdot);
    within1(e.massFlowMsunYr.value, mdot / (1.989e33 / 3.156e7)); // ~42 Msun/yr
    within1(e.kineticLuminosity.value, ek); // ~3.3e44 erg/s
    within1(e.kineticToBolometric!.value, ek / 1e46);
    expect(e.distanceCm.error).toBe(0);
  });

  it('propagates errors to first order in the logarithms: v enters E_k three times, R with half weights', () => {
    const base = {
      qH: { value: 1e56 },
      logU: { value: -2 },
      logNH: { value: 4 },
      logColumn: { value: 21 },
      coveringFactor: { value: 0.2 },
    };
    const e = outflowEnergetics({ ...base, velocity: { value: 5000, error: 500 } });
    expect(e.distanceCm.error).toBe(0);
    expect(e.massFlow.error / e.massFlow.value).toBeCloseTo(0.1, 12);
    expect(e.kineticLuminosity.error / e.kineticLuminosity.value).toBeCloseTo(0.3, 12);
    const u = outflowEnergetics({ ...base, logU: { value: -2, error: 0.2 }, velocity: { value: 5000 } });
    // R ~ U^-1/2: 0.2 dex in U is 0.1 dex in R, in Mdot and in E_k.
    expect(u.distanceCm.log10Error).toBeCloseTo(0.1, 12);
    expect(u.kineticLuminosity.log10Error).toBeCloseTo(0.1, 12);
    // Against a numerical derivative: raising log U by 0.01 dex lowers log R by 0.005.
    const up = outflowEnergetics({ ...base, logU: { value: -1.99 }, velocity: { value: 5000 } });
    expect(up.distanceCm.log10 - u.distanceCm.log10).toBeCloseTo(-0.005, 10);
  });

  it('refuses values outside their domain, naming them', () => {
    const ok = {
      qH: { value: 1e56 },
      logU: { value: -2 },
      logNH: { value: 4 },
      logColumn: { value: 21 },
      velocity: { value: 5000 },
      coveringFactor: { value: 0.2 },
    };
    expect(() => outflowEnergetics({ ...ok, coveringFactor: { value: 1.5 } })).toThrow(CloudyError);
    expect(() => outflowEnergetics({ ...ok, coveringFactor: { value: 1.5 } })).toThrow(
      'invalid coveringFactor: 1.5 (a fraction of 4 pi, 0 < Omega <= 1)',
    );
    expect(() => outflowEnergetics({ ...ok, velocity: { value: -100 } })).toThrow(/invalid velocity: -100/);
    expect(() => outflowEnergetics({ ...ok, logU: { value: Number.NaN } })).toThrow(/invalid logU: NaN/);
    expect(() => outflowEnergetics({ ...ok, qH: { value: 1e56, error: -1 } })).toThrow(/invalid qH error: -1/);
    expect(() => ionizingPhotonRate({ value: 1e45 }, { value: 0.5 })).toThrow(/invalid alpha: 0.5/);
  });
});
