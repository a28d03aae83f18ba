/**
 * numpy's float32 sine and cosine, bit for bit, so that our galaxy positions are VAST's.
 *
 * Why: VAST computes galaxy positions from float32 ra/dec columns with numpy (x = r cos(ra) cos(dec), ...), and numpy's
 * float32 sin/cos are not correctly rounded: for 15-20% of SDSS DR7's ra in radians (4-7% of its dec; 2% of all float32
 * angles) the result is one ulp away from the correctly rounded one. A galaxy that bounds a hole lies on its surface,
 * so one ulp decides whether VAST calls it void or wall; only numpy's own steps give VAST's positions, its holes and
 * its vflags.
 *
 * What this follows: numpy 2.3.5, numpy/_core/src/umath/loops_trigonometric.dispatch.cpp, `simd_sincos_f32`, the loop
 * numpy runs when its dispatch target has FMA3 (AVX512_SKX or AVX2 + FMA3 on x86-64, the targets it is built for; this
 * machine runs AVX512_SKX, `numpy.lib.introspect.opt_func_info('^(sin|cos)$', 'float32')`). Both targets compute lane by
 * lane with hardware fused multiply-adds (Highway's MulAdd), so they give the same bits; numpy 2.0's C version of the
 * loop takes the same steps. The steps:
 *   q = rint(x * 2/pi): x * 2/pi + 1.5 * 2^23 in ONE fused multiply-add, then - 1.5 * 2^23 (ties to even). The source
 *     writes a product and a sum; numpy's build fuses them (GCC contracts Highway's Mul and Add: vfmadd213ps then
 *     vaddps in both the AVX512_SKX and the AVX2 loop of numpy 2.3.5's wheel, and Debian's numpy 1.24 does the same).
 *     Where x * 2/pi is within a float32 rounding of n + 1/2 (x near an odd multiple of pi/4) a rounded product
 *     would pick the other quadrant: 11,464 sines and 7,243 cosines of positive float32 angles would differ;
 *   r = x - q pi/2 by Cody-Waite in three float32 FMAs (pi/2 split into three float32 parts);
 *   sine: a degree-9 odd polynomial in r, cosine: a degree-8 even polynomial in r^2 (r^2 a plain float32 product),
 *   each Horner step one float32 FMA; the quadrant (q, plus 1 for cosine) picks the polynomial and the sign (0 - v).
 * Checked against numpy 2.3.5 on this machine for every float32 |x| <= 117435.992: all 2.41e9 sines and 2.40e9
 * cosines identical. Outside |x| <= 117435.992 (sine) or 71476.0625 (cosine) numpy calls libm's sinf/cosf instead;
 * there we return the float32 rounding of Math.sin/Math.cos, which is not glibc's answer bit for bit (1.3% of the
 * cosines in 71476 < |x| <= 117436 differ; sky angles in radians never get there). A build of numpy whose
 * best target lacks FMA3 (a pre-Haswell x86 CPU) calls libm for every angle, and this is not its answer.
 */

const fround = Math.fround;

/**
 * The float32 nearest to a * b + c for float32 a, b, c, rounded once, as a float32 fused multiply-add does.
 *
 * a * b is exact in a double (two 24-bit significands), so the only error of fround(a * b + c) is double rounding:
 * the double sum s is rounded first, and when s lands exactly halfway between two float32 values while the exact sum
 * does not, ties-to-even may pick the wrong one. That is rare but real: over all float32 angles below numpy's limit,
 * the sines of 4 would come out one ulp off numpy's with fround(a * b + c); so the exact error of the sum (Knuth's
 * TwoSum) breaks such ties.
 *
 * @example
 * fmaF32(Math.fround(0.1), Math.fround(3), Math.fround(-0.3)); // the float32 nearest to 0.1f * 3 - 0.3f
 */
export function fmaF32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  return r === s ? r : breakTie(p, c, s, r);
}

/** fmaF32 when s = p + c (rounded to double) is not a float32 (most of the time), r = fround(s). */
function breakTie(p: number, c: number, s: number, r: number): number {
  // The other float32 neighbour of s, when s is exactly halfway between r and it (otherwise t is no float32: s is
  // nearer r than half an ulp, and so is the exact sum, whose rounding is then r).
  const t = r + 2 * (s - r);
  if (fround(t) !== t) return r;
  const sp = s - p;
  const error = p - (s - sp) + (c - sp); // exact: p + c = s + error
  if (error === 0) return r; // a true tie: ties to even, as fround did
  return error > 0 === t > r ? t : r;
}

// numpy's constants, float32 values (each written as its exact decimal, numpy's hex float in the comment)
const TWO_OVER_PI = 0.6366197466850281; // 0x1.45f306p-1
const PIO2_HIGH = -1.570796012878418; // -0x1.921fb0p+0
const PIO2_MED = -3.1391647326017846e-7; // -0x1.5110b4p-22
const PIO2_LOW = -5.390302529957765e-15; // -0x1.846988p-48
const RINT_MAGIC = 12582912; // 0x1.8p+23: adding and subtracting it rounds |v| <= 2^22 to an integer, ties to even
const COS8 = 2.4372266125283204e-5; // 0x1.98e616p-16
const COS6 = -0.001388652017340064; // -0x1.6c06dcp-10
const COS4 = 0.04166661947965622; // 0x1.55553cp-5
const SIN9 = 2.8404097065504175e-6; // 0x1.7d3bbcp-19
const SIN7 = -0.00019856491417158395; // -0x1.a06bbap-13
const SIN5 = 0.008333397097885609; // 0x1.11119ap-7
const SIN3 = -0.1666666716337204; // -0x1.555556p-3

/** numpy's limits of the Cody-Waite path (its max_codi), float32 values. */
const SIN_LIMIT = 117435.9921875; // 117435.992f
const COS_LIMIT = 71476.0625;

/** numpy's loop for |x| within the limit: quadrant 0 (sine) or 1 (cosine) added to rint(x 2/pi). */
function codyWaite(x: number, quadrantShift: 0 | 1): number {
  const q = fround(fmaF32(x, TWO_OVER_PI, RINT_MAGIC) - RINT_MAGIC); // fused in numpy's build, see above
  let r = fmaF32(q, PIO2_HIGH, x);
  r = fmaF32(q, PIO2_MED, r);
  r = fmaF32(q, PIO2_LOW, r);
  const r2 = fround(r * r);
  const quadrant = (q + quadrantShift) & 3; // two's complement, as numpy's int32 lanes: -1 & 3 = 3
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
    v = fmaF32(v, r2, -0.5);
    v = fmaF32(v, r2, 1);
  }
  return (quadrant & 2) === 0 ? v : 0 - v; // numpy negates by 0 - v: never -0
}

/**
 * numpy's float32 sin of a float32 value (numpy 2.3.5 on x86-64 with FMA3): `numpy.sin(numpy.float32(x))`, bit for
 * bit within |x| <= 117435.992; NaN for NaN and infinities.
 *
 * @example
 * numpySinF32(Math.fround(0.5)); // 0.4794255495071411, numpy.sin(numpy.float32(0.5))
 */
export function numpySinF32(x: number): number {
  if (Math.abs(x) <= SIN_LIMIT) return codyWaite(x, 0);
  return fround(Math.sin(x)); // numpy: libm's sinf (NaN for NaN and +-Infinity)
}

/**
 * numpy's float32 cos of a float32 value (numpy 2.3.5 on x86-64 with FMA3): `numpy.cos(numpy.float32(x))`, bit for
 * bit within |x| <= 71476.0625; NaN for NaN and infinities.
 *
 * @example
 * numpyCosF32(Math.fround(0.5)); // 0.8775825500488281, numpy.cos(numpy.float32(0.5))
 */
export function numpyCosF32(x: number): number {
  if (Math.abs(x) <= COS_LIMIT) return codyWaite(x, 1);
  return fround(Math.cos(x)); // numpy: libm's cosf
}
