/** The k-d tree against brute force on seeded random points, lattices (many exact ties) and duplicates. */
import { describe, expect, it } from 'vitest';
import { PointIndex } from '../../lib/voids/index.js';
import { mulberry32 } from '../helpers/prng.js';

function randomPoints(n: number, seed: number, scale = 100): Float64Array {
  const rnd = mulberry32(seed);
  return Float64Array.from({ length: 3 * n }, () => (rnd() - 0.5) * scale);
}

/** Points on an integer lattice: every query at a lattice or half-lattice point sees many equal distances. */
function lattice(side: number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) for (let k = 0; k < side; k++) out.push(i, j, k);
  return Float64Array.from(out);
}

function bruteNearest(xyz: Float64Array, x: number, y: number, z: number, k: number): { ids: number[]; d: number[] } {
  const all: [number, number][] = [];
  for (let i = 0; i < xyz.length / 3; i++) {
    const dx = xyz[3 * i]! - x,
      dy = xyz[3 * i + 1]! - y,
      dz = xyz[3 * i + 2]! - z;
    all.push([dx * dx + dy * dy + dz * dz, i]);
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const top = all.slice(0, k);
  return { ids: top.map((t) => t[1]), d: top.map((t) => Math.sqrt(t[0])) };
}

function bruteWithin(xyz: Float64Array, x: number, y: number, z: number, r: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xyz.length / 3; i++) {
    const dx = xyz[3 * i]! - x,
      dy = xyz[3 * i + 1]! - y,
      dz = xyz[3 * i + 2]! - z;
    if (dx * dx + dy * dy + dz * dz <= r * r) out.push(i);
  }
  return out;
}

describe('PointIndex', () => {
  const cases: [string, Float64Array, number][] = [
    ['3,000 seeded random points', randomPoints(3000, 7), 8],
    ['a 12^3 lattice (exact ties everywhere)', lattice(12), 1],
    [
      '500 points each given twice (duplicates)',
      (() => {
        const p = randomPoints(500, 11);
        const d = new Float64Array(2 * p.length);
        d.set(p);
        d.set(p, p.length);
        return d;
      })(),
      5,
    ],
  ];

  it.each(cases)('%s: k nearest equal brute force (indices and distances, ties by index)', (_name, xyz, leaf) => {
    const index = new PointIndex(xyz, { leafSize: leaf });
    const rnd = mulberry32(99);
    const n = xyz.length / 3;
    for (let q = 0; q < 300; q++) {
      // half the queries at data points (self at distance 0), half at random or half-lattice positions
      const onPoint = q % 2 === 0;
      const p = Math.floor(rnd() * n);
      const x = onPoint ? xyz[3 * p]! : Math.round(rnd() * 24) / 2 - 1;
      const y = onPoint ? xyz[3 * p + 1]! : Math.round(rnd() * 24) / 2 - 1;
      const z = onPoint ? xyz[3 * p + 2]! : Math.round(rnd() * 24) / 2 - 1;
      for (const k of [1, 4, 9]) {
        const got = index.nearest(x, y, z, k);
        const want = bruteNearest(xyz, x, y, z, k);
        expect([...got.indices]).toEqual(want.ids);
        expect([...got.distances]).toEqual(want.d);
        expect(index.kthDistance(x, y, z, k)).toBe(want.d[k - 1]);
      }
    }
  });

  it.each(cases)('%s: radius queries equal brute force, the boundary included', (_name, xyz) => {
    const index = new PointIndex(xyz);
    const rnd = mulberry32(5);
    for (let q = 0; q < 200; q++) {
      const x = Math.round(rnd() * 24) / 2 - 1,
        y = Math.round(rnd() * 24) / 2 - 1,
        z = Math.round(rnd() * 24) / 2 - 1;
      // integer radii land exactly on lattice points: the boundary test matters there
      const r = q % 3 === 0 ? Math.floor(rnd() * 4) : rnd() * 20;
      expect([...index.withinRadius(x, y, z, r)]).toEqual(bruteWithin(xyz, x, y, z, r));
    }
  });

  it('handles an empty index and k beyond the number of points', () => {
    const empty = new PointIndex(new Float64Array(0));
    expect(empty.nearest(0, 0, 0, 3).indices.length).toBe(0);
    expect(empty.withinRadius(0, 0, 0, 5).length).toBe(0);
    const two = new PointIndex(Float64Array.of(0, 0, 0, 1, 0, 0));
    expect([...two.nearest(0.9, 0, 0, 5).indices]).toEqual([1, 0]);
    expect(two.kthDistance(0, 0, 0, 3)).toBeNaN();
    expect(() => new PointIndex(new Float64Array(4))).toThrow(/multiple of 3/);
  });
});
