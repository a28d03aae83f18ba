/**
 * numpy's float32 sin/cos (lib/voids/numpy-float32-trig.ts): bit for bit against numpy itself where a Python with
 * numpy's FMA3 loop is found (random angles, hard angles, special values, every SDSS DR7 ra and dec in radians as VAST
 * makes them); without numpy, what numpy's algorithm promises: the float32 FMA exact (against BigInt arithmetic), the
 * error bound numpy documents (1.49 ulp), exact odd/even symmetry, the special values.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFits } from '../../lib/fits/index.js';
import { fmaF32, numpyCosF32, numpySinF32 } from '../../lib/voids/numpy-float32-trig.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { NO_NUMPY_MESSAGE, NUMPY_PYTHON, runNumpy } from '../helpers/numpy-python.js';
import { mulberry32 } from '../helpers/prng.js';

const f = Math.fround;
const bits = new Uint32Array(1);
const asF32 = new Float32Array(bits.buffer);
const bitsOf = (v: number) => {
  asF32[0] = v;
  return bits[0]!;
};
const fromBits = (b: number) => {
  bits[0] = b >>> 0;
  return asF32[0]!;
};
/** numpy's limits of its Cody-Waite loop (beyond them numpy calls libm). */
const SIN_LIMIT = f(117435.992);
const COS_LIMIT = 71476.0625;

/** n float32 angles uniform in [lo, hi), from a seed. */
function uniformF32(n: number, lo: number, hi: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rnd());
}

/**
 * Angles where the algorithm is hardest: every float32 within 40 ulps of k pi/4 (at even k the reduction cancels; at
 * odd k, x 2/pi is near n + 1/2 and the rounding of rint(x 2/pi) picks the quadrant), near 0 and near the limits.
 */
function hardAngles(): Float32Array {
  const out: number[] = [];
  const around = (v: number, ulps: number) => {
    const b = bitsOf(f(Math.abs(v)));
    for (let d = -ulps; d <= ulps; d++) if (b + d >= 0) for (const s of [1, -1]) out.push(s * fromBits(b + d));
  };
  for (let k = 1; k <= 400; k++) around((k * Math.PI) / 4, 40);
  for (let k = 90_000; k <= 91_000; k += 7) around((k * Math.PI) / 4, 40);
  for (let k = 149_400; k <= 149_520; k += 3) around((k * Math.PI) / 4, 40); // beyond the cosine's limit: sine only
  for (const v of [0, 2 ** -149, 2 ** -126, 2 ** -24, 2 ** -12, 1, Math.PI / 4, 2 ** 16, COS_LIMIT, SIN_LIMIT]) around(v, 40);
  return Float32Array.from(out);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Special values, and the only angles (found by comparing every float32 below the limit) whose sine a plain
 * fround(a * b + c) in place of fmaF32 gets wrong: a Horner sum that lands exactly halfway between two float32 values.
 */
const SPECIAL = [0, -0, Number.NaN, Infinity, -Infinity, 2 ** -149, -(2 ** -149), f(3.4028234663852886e38)].concat(
  [0.000443632947281003, 0.008789073675870895].flatMap((x) => [x, -x]),
);

/** fmaF32's reference: a * b + c exactly in BigInt, rounded once to float32 (ties to even). */
function exactFmaF32(a: number, b: number, c: number): number {
  const parts = (v: number): [bigint, number] => {
    const u = bitsOf(v);
    const e = (u >>> 23) & 0xff;
    const m = BigInt(e === 0 ? u & 0x7fffff : (u & 0x7fffff) | 0x800000);
    return [u >>> 31 ? -m : m, (e === 0 ? 1 : e) - 150]; // v = m 2^exponent
  };
  const [ma, ea] = parts(a);
  const [mb, eb] = parts(b);
  const [mc, ec] = parts(c);
  const e = Math.min(ea + eb, ec);
  const n = ma * mb * 2n ** BigInt(ea + eb - e) + mc * 2n ** BigInt(ec - e);
  if (n === 0n) return 0;
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const lead = e + abs.toString(2).length - 1;
  const quantum = Math.max(lead - 23, -149);
  let kept = abs;
  if (quantum > e) {
    const shift = BigInt(quantum - e);
    kept = abs >> shift;
    const rest = abs - (kept << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && kept % 2n === 1n)) kept += 1n;
  } else kept = abs * 2n ** BigInt(e - quantum);
  const v = Number(kept) * 2 ** quantum;
  return negative ? -v : v;
}

describe('fmaF32: a float32 fused multiply-add', () => {
  it('rounds a * b + c once, as BigInt arithmetic does, on random operands', () => {
    const rnd = mulberry32(7);
    const randomF32 = (span: number) => f((rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** Math.floor((rnd() - 0.5) * span));
    for (let i = 0; i < 20_000; i++) {
      const a = randomF32(40);
      const b = randomF32(40);
      // c near -a*b half the time: the cancellations of the Cody-Waite steps
      const c = i % 2 ? randomF32(60) : f(-a * b * (1 + (rnd() - 0.5) * 2 ** -20));
      const want = exactFmaF32(a, b, c);
      const got = fmaF32(a, b, c);
      if (got !== want) expect({ a, b, c, got }).toEqual({ a, b, c, got: want });
    }
  });

  it('breaks the ties that rounding through a double gets wrong', () => {
    // a b = 1 + (2i - j) 2^-24 - i j 2^-47 (a float32 midpoint less a tail); c gives the tail back plus t 2^-70, which a
    // double drops: fround(a * b + c) sees an exact midpoint and ties to even, the fused result follows the sign of t.
    let naiveWrong = 0;
    for (const scale of [1, 2 ** -30, 2 ** 40])
      for (let i = 1; i <= 6; i++)
        for (let j = 1; j <= 12; j += 2)
          for (const t of [-3, -1, 1, 2]) {
            const a = f((1 + i * 2 ** -23) * scale);
            const b = f(1 - j * 2 ** -24);
            const c = f(i * j * 2 ** -47 * (1 + t * 2 ** -23) * scale);
            const want = exactFmaF32(a, b, c);
            expect(fmaF32(a, b, c)).toBe(want);
            expect(fmaF32(-a, b, -c)).toBe(-want);
            if (f(a * b + c) !== want) naiveWrong++;
          }
    expect(naiveWrong).toBeGreaterThan(0); // the cases really are the hard ones
  });
});

describe("numpy's float32 sin and cos: what the algorithm promises (no numpy needed)", () => {
  const angles = [uniformF32(300_000, -2 * Math.PI, 2 * Math.PI, 1), uniformF32(100_000, -COS_LIMIT, COS_LIMIT, 2), hardAngles()];

  it('stays within the 1.49 ulp numpy documents for its loop, against the double sin and cos', () => {
    const ulp = (y: number) => (Math.abs(y) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(y))) - 23));
    let worst = 0;
    for (const set of angles)
      for (const x of set) {
        worst = Math.max(worst, Math.abs(numpySinF32(x) - Math.sin(x)) / ulp(Math.sin(x)));
        if (Math.abs(x) <= COS_LIMIT) worst = Math.max(worst, Math.abs(numpyCosF32(x) - Math.cos(x)) / ulp(Math.cos(x)));
      }
    expect(worst).toBeLessThanOrEqual(1.49);
    expect(worst).toBeGreaterThan(0.5); // not correctly rounded: this is numpy's answer, not the nearest float32
  });

  it('returns float32 values, odd sine and even cosine to the bit', () => {
    for (const set of angles)
      for (const x of set) {
        const s = numpySinF32(x);
        const c = numpyCosF32(x);
        if (f(s) !== s || f(c) !== c || !Object.is(numpySinF32(-x), -s) || !Object.is(numpyCosF32(-x), c))
          expect({ x, s, c, sNeg: numpySinF32(-x), cNeg: numpyCosF32(-x) }).toEqual({ x, s, c, sNeg: -s, cNeg: c });
      }
  });

  it('gives numpy results for the special values', () => {
    expect(Object.is(numpySinF32(0), 0)).toBe(true);
    expect(Object.is(numpySinF32(-0), -0)).toBe(true);
    expect(numpyCosF32(0)).toBe(1);
    expect(numpyCosF32(-0)).toBe(1);
    for (const v of [Number.NaN, Infinity, -Infinity]) {
      expect(numpySinF32(v)).toBeNaN();
      expect(numpyCosF32(v)).toBeNaN();
    }
    expect(numpySinF32(2 ** -149)).toBe(2 ** -149);
  });
});

const DR7 = join(FIXTURES, 'voids', 'vollim_dr7_cbp_102709.fits');

/** numpy.sin and numpy.cos of float32 inputs (x.f32 in dir), and DtoR * degrees (deg.f32) as VAST takes its radians. */
const NUMPY_SCRIPT = `
import sys, numpy as np
d = sys.argv[1]
x = np.fromfile(d + '/x.f32', dtype='<f4')
np.sin(x).astype('<f4').tofile(d + '/sin.f32')
np.cos(x).astype('<f4').tofile(d + '/cos.f32')
deg = np.fromfile(d + '/deg.f32', dtype='<f4')
rad = deg * (np.pi / 180.)  # VAST: ra_radian = ra * DtoR, float32 under NEP 50 (numpy 2) and value-based casting (numpy 1)
assert rad.dtype == np.float32, rad.dtype
rad.astype('<f4').tofile(d + '/rad.f32')
np.sin(rad).astype('<f4').tofile(d + '/radsin.f32')
np.cos(rad).astype('<f4').tofile(d + '/radcos.f32')
`;

describe.skipIf(!NUMPY_PYTHON)(
  `numpy's float32 sin and cos, bit for bit against numpy ${NUMPY_PYTHON?.numpy ?? ''} ${NUMPY_PYTHON?.target ?? ''} (${NUMPY_PYTHON?.python ?? NO_NUMPY_MESSAGE})`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'skybook-numpy-trig-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const read = (name: string) => {
      const b = readFileSync(join(dir, name));
      return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    };
    /** Inputs whose result differs from numpy's (both NaN counts as the same), the first few. */
    const differences = (x: Float32Array, want: Uint32Array, fn: (v: number) => number, limit: number) => {
      const out: { x: number; ours: number; numpy: number }[] = [];
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        if (Math.abs(v) > limit && Number.isFinite(v)) continue; // libm's side of numpy: not claimed
        const ours = fn(v);
        const theirs = fromBits(want[i]!);
        if (bitsOf(ours) !== want[i] && !(Number.isNaN(ours) && Number.isNaN(theirs)) && out.length < 5)
          out.push({ x: v, ours, numpy: theirs });
      }
      return out;
    };

    it('matches on 6 million random angles in [-2 pi, 2 pi] and [0, 7], hard angles and special values', async () => {
      const x = concat([
        Float32Array.from(SPECIAL),
        hardAngles(),
        uniformF32(3_000_000, -2 * Math.PI, 2 * Math.PI, 11),
        uniformF32(3_000_000, 0, 7, 12),
      ]);
      writeFileSync(join(dir, 'x.f32'), x);
      writeFileSync(join(dir, 'deg.f32'), new Float32Array(0));
      runNumpy(NUMPY_SCRIPT, [dir]);
      expect(differences(x, read('sin.f32'), numpySinF32, SIN_LIMIT)).toEqual([]);
      expect(differences(x, read('cos.f32'), numpyCosF32, COS_LIMIT)).toEqual([]);
    }, 120_000);

    it.skipIf(!existsSync(DR7))(
      `matches on every SDSS DR7 ra and dec in radians, computed as numpy does (skipped without ${DR7})`,
      async () => {
        const fits = await openFits(DR7);
        const t = await fits.readTable(1, { columns: ['ra', 'dec'] });
        await fits.close();
        const deg = concat([t.getChild('ra')!.toArray() as Float32Array, t.getChild('dec')!.toArray() as Float32Array]);
        writeFileSync(join(dir, 'x.f32'), new Float32Array(0));
        writeFileSync(join(dir, 'deg.f32'), deg);
        runNumpy(NUMPY_SCRIPT, [dir]);
        const rad = Float32Array.from(deg, (d) => f(d * f(Math.PI / 180)));
        expect(Uint32Array.from(rad, bitsOf)).toEqual(read('rad.f32'));
        expect(differences(rad, read('radsin.f32'), numpySinF32, SIN_LIMIT)).toEqual([]);
        expect(differences(rad, read('radcos.f32'), numpyCosF32, COS_LIMIT)).toEqual([]);
      },
      120_000,
    );
  },
);
