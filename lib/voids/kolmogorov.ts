// Distributions of the Kolmogorov-Smirnov statistic, as scipy.stats evaluates them: the one-sided Smirnov tail
// (Birnbaum & Tingey's exact sum) and the two-sided Kolmogorov tail for n points (Simard & L'Ecuyer 2011's choice of
// method by n and x: Ruben-Gambino's closed forms, Durbin's matrix in Marsaglia-Tsang-Wang's form, twice the Smirnov
// tail, or Pelz-Good's asymptotic series). ks_2samp's 'asymp' p-value is this two-sided tail at round(n1 n2 / (n1 + n2)),
// so the same branch boundaries are kept: Pelz-Good is an approximation, and another method near a boundary would
// give another p-value.

/** log(n!) - log(sqrt(2 pi n) (n/e)^n), Stirling's error, for n = 1..15 (computed to 40 digits with mpmath, rounded to doubles). */
const STIRLING_ERROR_SMALL = [
  Number.NaN,
  0.08106146679532726,
  0.0413406959554093,
  0.02767792568499834,
  0.020790672103765093,
  0.016644691189821193,
  0.013876128823070748,
  0.01189670994589177,
  0.010411265261972096,
  0.009255462182712733,
  0.00833056343336287,
  0.007573675487951841,
  0.00694284010720953,
  0.006408994188004207,
  0.0059513701127588475,
  0.005554733551962801,
];

/** Stirling's error for a whole n >= 1: the table, else the asymptotic series 1/12n - 1/360n^3 + 1/1260n^5 - ... */
function stirlingError(n: number): number {
  if (n <= 15) return STIRLING_ERROR_SMALL[n]!;
  const r = 1 / n;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/** x log(x / m) + m - x, without the cancellation of its direct form when x is near m (Loader 2000). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let e = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      e *= v;
      const next = sum + e / (2 * j + 1);
      if (next === sum) return sum;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * The binomial probability of k successes in n trials of probability p (q = 1 - p given separately, to keep its digits),
 * by Loader's saddle-point form: accurate to a few ulps for any n, where a sum of log-factorials loses digits.
 *
 * @example
 * binomialPmf(3, 10, 0.5, 0.5); // 0.1171875
 */
export function binomialPmf(k: number, n: number, p: number, q: number): number {
  if (k === 0) return Math.exp(n * Math.log(q));
  if (k === n) return Math.exp(n * Math.log(p));
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  return Math.exp(lc) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

/**
 * P(D+_n >= x), the upper tail of the one-sided Kolmogorov-Smirnov statistic for n points (scipy.special.smirnov), by
 * Birnbaum & Tingey's exact sum x * sum_j C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1), each term a binomial probability.
 *
 * @example
 * smirnovSf(100, 0.2); // 0.000277596...
 */
export function smirnovSf(n: number, x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  // Massart's bound P <= exp(-2 n x^2): beyond e^-746 the tail is 0 in doubles, so skip the sum
  if (2 * n * x * x > 746) return 0;
  // The terms peak where x + j/n is near 1/2, so the whole range of j counts.
  const last = Math.floor(n * (1 - x));
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const p = x + j / n;
    const q = (n - j) / n - x;
    if (q <= 0) {
      if (j === n) sum += p ** (n - 1);
      continue;
    }
    sum += binomialPmf(j, n, p, q) / p;
  }
  return Math.min(1, Math.max(0, x * sum));
}

/** log(n! / n^n) by Stirling's series, without forming n log n (for the Ruben-Gambino branch when n is large). */
function logFactorialOverPower(n: number): number {
  return 0.5 * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + stirlingError(n);
}

/** 2^128 and its inverse: the scale Durbin's matrix powers are kept within. */
const SCALE_EXP = 128;
const SCALE = 2 ** SCALE_EXP;

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

/**
 * P(D_n <= d) exactly, by Durbin's matrix (Marsaglia, Tsang & Wang 2003): with n d = k - h (k whole, 0 <= h < 1), the
 * (k, k) element of H^n times n!/n^n, for the m x m matrix H (m = 2k - 1) of 1/(i - j + 1)! whose first column and last
 * row carry the boundary corrections. Powers are rescaled by 2^128 as they grow.
 */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const inverseFactorial = new Float64Array(m + 1);
  inverseFactorial[0] = 1;
  for (let j = 1; j <= m; j++) inverseFactorial[j] = inverseFactorial[j - 1]! / j;
  let H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= Math.min(i + 1, m - 1); j++) H[i * m + j] = inverseFactorial[i - j + 1]!;
  for (let i = 0; i < m; i++) {
    const edge = (1 - h ** (i + 1)) * inverseFactorial[i + 1]!;
    H[i * m] = edge;
    H[(m - 1) * m + (m - 1 - i)] = edge;
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * inverseFactorial[m]!;

  let power: Float64Array<ArrayBuffer> | undefined;
  let powerExp = 0;
  let hExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = power ? matMul(power, H, m) : H.slice();
      powerExp += hExp;
    }
    if (e > 1) {
      H = matMul(H, H, m);
      hExp *= 2;
      if (Math.abs(H[(k - 1) * m + (k - 1)]!) > SCALE) {
        for (let i = 0; i < H.length; i++) H[i]! /= SCALE;
        hExp += SCALE_EXP;
      }
    }
  }
  let p = power![(k - 1) * m + (k - 1)]!;
  let exp = powerExp;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / SCALE) {
      p *= SCALE;
      exp -= SCALE_EXP;
    }
  }
  return Math.min(1, Math.max(0, p * 2 ** exp));
}

/**
 * Pelz & Good's (1976) asymptotic expansion of P(D_n <= x) in z = x sqrt(n), to order n^(-3/2): four theta-function
 * sums K0..K3 over odd multiples of pi / (2 z) (and, for K2 and K3, a second sum over whole multiples).
 */
export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const logQ = -pi2 / (8 * z2);
  if (logQ < -708) return 0; // z below ~0.0417: the sums underflow, the CDF is 0 to double precision
  const terms = Math.ceil((16 * z) / Math.PI);
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  // Smallest terms first, so each sum adds up without losing its small tail.
  for (let k = terms; k >= 1; k--) {
    const odd = 2 * k - 1;
    const o2 = odd * odd;
    const o4 = o2 * o2;
    const e = Math.exp(logQ * o2);
    k0 += e;
    k1 += ((pi2 / 4) * o2 - z2) * e;
    k2 += (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * pi2 * o2) / 4 + (pi4 * (1 - 2 * z2) * o4) / 16) * e;
    k3 +=
      (-30 * z6 -
        90 * z6 * z2 +
        (pi2 * (135 * z4 - 96 * z6) * o2) / 4 +
        (pi4 * (212 * z4 - 60 * z2) * o4) / 16 +
        (pi6 * (5 - 30 * z2) * o4 * o2) / 64) *
      e;
  }
  let extra2 = 0;
  let extra3 = 0;
  for (let k = terms; k >= 1; k--) {
    const k2sq = k * k;
    const e = Math.exp((-pi2 * k2sq) / (2 * z2));
    extra2 += k2sq * e;
    extra3 += (3 * z2 - pi2 * k2sq) * k2sq * e;
  }
  const root2pi = Math.sqrt(2 * Math.PI);
  const K0 = (root2pi / z) * k0;
  const K1 = (root2pi / (6 * z4)) * k1;
  const K2 = (root2pi / (72 * z6 * z)) * k2 - ((pi2 * root2pi) / (36 * z2 * z)) * extra2;
  const K3 = (root2pi / (6480 * z4 * z6)) * k3 + ((pi2 * root2pi) / (216 * z6)) * extra3;
  const rn = Math.sqrt(n);
  return K0 + K1 / rn + K2 / n + K3 / (n * rn);
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/**
 * P(D_n >= x), the upper tail of the two-sided Kolmogorov-Smirnov statistic for n points (scipy.stats.kstwo.sf), by
 * the method Simard & L'Ecuyer (2011) choose for n and x. n is a whole number >= 1.
 *
 * @example
 * kolmogorovSf(1000, 0.05); // 0.013...
 */
export function kolmogorovSf(n: number, x: number): number {
  if (Number.isNaN(x) || !(n >= 1) || !Number.isInteger(n)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben & Gambino: for 1/2n <= x <= 1/n the CDF is n!/n^n (2t - 1)^n
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    // Durbin's matrix is exact, as Pomeranz's recursion (scipy's choice for 0.754693 < n x^2 <= 4) is.
    if (nx2 <= 4) return clip(1 - kolmogorovCdfDurbin(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip(1 - cdf);
}
