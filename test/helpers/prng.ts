/** mulberry32: a tiny seeded PRNG for reproducible test inputs (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform random positions on the sphere (degrees), from a seed. */
export function randomSky(n: number, seed: number): { ra: Float64Array; dec: Float64Array } {
  const rnd = mulberry32(seed);
  const ra = new Float64Array(n);
  const dec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ra[i] = rnd() * 360;
    dec[i] = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
  }
  return { ra, dec };
}
