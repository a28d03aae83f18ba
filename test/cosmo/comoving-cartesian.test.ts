import { describe, expect, it } from 'vitest';
import { angularDistance } from '../../lib/core/index.js';
import { cartesianToSky, FlatLambdaCDM, skyToCartesian } from '../../lib/cosmo/index.js';
import { mulberry32, randomSky } from '../helpers/prng.js';

const cosmo = new FlatLambdaCDM({ omegaM: 0.3 });

describe('skyToCartesian and cartesianToSky', () => {
  const d = cosmo.comovingDistance(0.1);
  const axes: [string, number, number, [number, number, number]][] = [
    ['ra 0 dec 0 lies on +x', 0, 0, [d, 0, 0]],
    ['ra 90 lies on +y', 90, 0, [0, d, 0]],
    ['ra 180 lies on -x', 180, 0, [-d, 0, 0]],
    ['the north pole lies on +z', 0, 90, [0, 0, d]],
    ['the south pole lies on -z', 45, -90, [0, 0, -d]],
  ];
  it.each(axes)('%s (VAST axes)', (_name, ra, dec, want) => {
    const xyz = skyToCartesian(cosmo, [ra], [dec], [0.1]);
    for (let k = 0; k < 3; k++) expect(xyz[k]).toBeCloseTo(want[k]!, 9);
  });

  it('round-trips 20,000 seeded galaxies to 1e-10 degree and 1e-12 relative in z', () => {
    const n = 20_000;
    const { ra, dec } = randomSky(n, 41);
    const rnd = mulberry32(42);
    const z = Float64Array.from({ length: n }, () => 0.001 + 4 * rnd());
    const xyz = skyToCartesian(cosmo, ra, dec, z);
    const back = cartesianToSky(cosmo, xyz);
    let worstAngle = 0,
      worstZ = 0,
      worstD = 0;
    for (let i = 0; i < n; i++) {
      worstAngle = Math.max(worstAngle, angularDistance(back.ra[i]!, back.dec[i]!, ra[i]!, dec[i]!));
      worstZ = Math.max(worstZ, Math.abs(back.redshift[i]! / z[i]! - 1));
      worstD = Math.max(worstD, Math.abs(back.distance[i]! / cosmo.comovingDistance(z[i]!) - 1));
    }
    expect(worstAngle).toBeLessThan(1e-10);
    expect(worstZ).toBeLessThan(1e-12);
    expect(worstD).toBeLessThan(1e-14);
    for (let i = 0; i < n; i++) expect(back.ra[i]! >= 0 && back.ra[i]! < 360).toBe(true);
  });

  it('puts the origin at ra 0, dec 0, z 0 and checks lengths', () => {
    const o = cartesianToSky(cosmo, [0, 0, 0]);
    expect([o.ra[0], o.dec[0], o.redshift[0], o.distance[0]]).toEqual([0, 0, 0, 0]);
    expect(() => skyToCartesian(cosmo, [1, 2], [1, 2], [0.1])).toThrow(/lengths differ/);
    expect(() => skyToCartesian(cosmo, [1, 2], [1], [0.1, 0.2])).toThrow(/must agree/);
    expect(() => cartesianToSky(cosmo, [1, 2])).toThrow(/multiple of 3/);
  });
});
