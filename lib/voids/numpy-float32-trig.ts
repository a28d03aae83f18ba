/**
 * numpy's float32 sine and cosine as numpy 2.x computes them on x86-64 with FMA (its SIMD loop): a Cody-Waite
 * reduction by pi/2 in three float32 fused multiply-adds, then a degree-9 sine or degree-8 cosine polynomial in float32
 * FMAs, picked and signed by the quadrant. These results differ from the correctly rounded sine or cosine in about one
 * float32 in six; VAST computes its galaxy positions from float32 columns with them, so the same bits need the same
 * steps. Valid for |x| <= 71476 (cosine) or 117435 (sine), where numpy uses this path; beyond, the correctly rounded
 * value is returned, as numpy then asks libm.
 */

const f = Math.fround;

/**
 * The float32 nearest to a * b + c (a, b, c float32 values): one rounding, as a fused multiply-add does.
 *
 * @example
 * fmaF32(Math.fround(1.5), Math.fround(2), Math.fround(0.25)); // 3.25
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b; // exact: two 24-bit significands fit in 53 bits
  const s = p + c;
  const r = f(s);
  if (r === s) return r;
  // s is within half a double ulp of the exact sum; only when s sits exactly halfway between two float32 values can
  // that half ulp decide the rounding, so recover the error of p + c (TwoSum) and break the tie by its sign.
  const t = r + 2 * (s - r);
  if (f(t) !== t || s - r !== t - s) return r;
  const bv = s - p;
  const e = p - (s - bv) + (c - bv);
  if (e === 0) return r;
  const up = Math.max(r, t);
  const down = Math.min(r, t);
  return e > 0 ? up : down;
}

// numpy's float32 constants (written as the exact decimal of each float32 value)
const TWO_OVER_PI = 0.6366197466850281; // 0x1.45f306p-1
const PIO2_HIGH = -1.570796012878418; // -0x1.921fb0p+0
const PIO2_MED = -3.1391647326017846e-7; // -0x1.5110b4p-22
const PIO2_LOW = -5.390302529957765e-15; // -0x1.846988p-48
const RINT_MAGIC = 12582912.0; // 0x1.8p+23
const COS8 = 2.4372266125283204e-5; // 0x1.98e616p-16
const COS6 = -0.001388652017340064; // -0x1.6c06dcp-10
const COS4 = 0.04166661947965622; // 0x1.55553cp-5
const COS2 = -0.5;
const COS0 = 1.0;
const SIN9 = 2.8404097065504175e-6; // 0x1.7d3bbcp-19
const SIN7 = -0.00019856491417158395; // -0x1.a06bbap-13
const SIN5 = 0.008333397097885609; // 0x1.11119ap-7
const SIN3 = -0.1666666716337204; // -0x1.555556p-3

function sinCos(x: number, cosine: boolean): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) > (cosine ? 71476.0625 : 117435.992)) return f(cosine ? Math.cos(x) : Math.sin(x));
  const q = f(f(f(x * TWO_OVER_PI) + RINT_MAGIC) - RINT_MAGIC);
  let r = fmaF32(q, PIO2_HIGH, x);
  r = fmaF32(q, PIO2_MED, r);
  r = fmaF32(q, PIO2_LOW, r);
  const r2 = f(r * r);
  let quadrant = Math.round(q) + (cosine ? 1 : 0);
  quadrant = ((quadrant % 4) + 4) % 4;
  let v: number;
  if ((quadrant & 1) === 0) {
    v = fmaF32(SIN9, r2, SIN7);
    v = fmaF32(v, r2, SIN5);
    v = fmaF32(v, r2, SIN3);
    v = fmaF32(v, r2, 0);
    v = fmaF32(v, r, r);
  } else {
    v = fmaF32(COS8, r2, COS6);
    v = fmaF32(v, r2, COS4);
    v = fmaF32(v, r2, COS2);
    v = fmaF32(v, r2, COS0);
  }
  return (quadrant & 2) === 2 ? 0 - v : v;
}

/**
 * numpy's float32 sin of a float32 value.
 *
 * @example
 * numpySinF32(Math.fround(0.5)); // the float32 numpy.sin(numpy.float32(0.5)) gives
 */
export function numpySinF32(x: number): number {
  return sinCos(x, false);
}

/**
 * numpy's float32 cos of a float32 value.
 *
 * @example
 * numpyCosF32(Math.fround(0.5)); // the float32 numpy.cos(numpy.float32(0.5)) gives
 */
export function numpyCosF32(x: number): number {
  return sinCos(x, true);
}
