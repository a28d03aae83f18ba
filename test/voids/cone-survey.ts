/** A seeded cone of galaxies with one planted empty sphere, for VoidFinder tests (the RA seam, the CLI). */
import { mulberry32 } from '../helpers/prng.js';

const dist = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }) =>
  Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);

/**
 * Seeded galaxies filling a cone (ra within 12 degrees of `raCentre`, |dec| <= 12, 20..220 Mpc/h, 0.02 per (Mpc/h)^3)
 * with one planted empty sphere of radius 14 Mpc/h at (raCentre, 0, 150 Mpc/h); redshifts for the `redshift` metric.
 */
export function coneSurvey(
  raCentre: number,
  seed: number,
): { ra: Float64Array; dec: Float64Array; z: Float64Array; centre: { x: number; y: number; z: number }; zMin: number; zMax: number } {
  const rnd = mulberry32(seed);
  const D = Math.PI / 180;
  const [r0, r1] = [20, 220];
  const omega = 24 * D * (2 * Math.sin(12 * D));
  const n = Math.round(((0.02 * omega) / 3) * (r1 ** 3 - r0 ** 3));
  const centre = { x: 150 * Math.cos(raCentre * D), y: 150 * Math.sin(raCentre * D), z: 0 };
  const ra: number[] = [],
    dec: number[] = [],
    z: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = raCentre - 12 + 24 * rnd();
    const d = Math.asin((2 * rnd() - 1) * Math.sin(12 * D)) / D;
    const r = Math.cbrt(rnd() * (r1 ** 3 - r0 ** 3) + r0 ** 3);
    const p = { x: r * Math.cos(d * D) * Math.cos(a * D), y: r * Math.cos(d * D) * Math.sin(a * D), z: r * Math.sin(d * D) };
    if (dist(p, centre) < 14) continue;
    ra.push(((a % 360) + 360) % 360);
    dec.push(d);
    z.push((r * 100) / 299792);
  }
  return {
    ra: Float64Array.from(ra),
    dec: Float64Array.from(dec),
    z: Float64Array.from(z),
    centre,
    zMin: (r0 * 100) / 299792,
    zMax: (r1 * 100) / 299792,
  };
}
