/**
 * The few dense linear-algebra steps the anomaly scores need, on row-major Float64Arrays. No BLAS is available to
 * Node without a native dependency, so these are plain loops, written for the shapes used here: tall-skinny products
 * (spectra x pixels times a handful of columns) and small k x k systems.
 */

/**
 * C (n x l) = A (n x p) B (p x l), with A's masked/filled values as given.
 *
 * @example
 * const y = matMul(a, n, p, omega, l);
 */
export function matMul(a: Float64Array, n: number, p: number, b: Float64Array, l: number): Float64Array {
  const c = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const ci = i * l;
    const ai = i * p;
    for (let k = 0; k < p; k++) {
      const v = a[ai + k]!;
      if (v === 0) continue;
      const bk = k * l;
      for (let j = 0; j < l; j++) c[ci + j]! += v * b[bk + j]!;
    }
  }
  return c;
}

/**
 * C (p x l) = A^T (A: n x p) Q (n x l).
 *
 * @example
 * const z = matTMul(a, n, p, q, l);
 */
export function matTMul(a: Float64Array, n: number, p: number, q: Float64Array, l: number): Float64Array {
  const c = new Float64Array(p * l);
  for (let i = 0; i < n; i++) {
    const ai = i * p;
    const qi = i * l;
    for (let k = 0; k < p; k++) {
      const v = a[ai + k]!;
      if (v === 0) continue;
      const ck = k * l;
      for (let j = 0; j < l; j++) c[ck + j]! += v * q[qi + j]!;
    }
  }
  return c;
}

/**
 * Orthonormalises the l columns of an n x l matrix in place (modified Gram-Schmidt, twice for stability); columns
 * that vanish are left zero.
 *
 * @example
 * orthonormaliseColumns(y, n, l);
 */
export function orthonormaliseColumns(y: Float64Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += y[i * l + j]! * y[i * l + k]!;
        for (let i = 0; i < n; i++) y[i * l + j]! -= dot * y[i * l + k]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += y[i * l + j]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) y[i * l + j] = norm > 1e-300 ? y[i * l + j]! / norm : 0;
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): eigenvalues in decreasing order and the matching
 * eigenvectors as the rows of `vectors` (m x m).
 *
 * @example
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2); // values [3, 1]
 */
export function symmetricEigen(s: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p]!;
          const akq = a[k * m + q]!;
          a[k * m + p] = c * akp - sn * akq;
          a[k * m + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k]!;
          const aqk = a[q * m + k]!;
          a[p * m + k] = c * apk - sn * aqk;
          a[q * m + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - sn * vkq;
          v[k * m + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j * m + j]! - a[i * m + i]! || i - j);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    values[dst] = a[src * m + src]!;
    for (let k = 0; k < m; k++) vectors[dst * m + k] = v[k * m + src]!;
  });
  return { values, vectors };
}

/**
 * Solves S x = b for a small symmetric positive-definite S (m x m) by Cholesky, adding `ridge` to the diagonal;
 * returns undefined when S is not positive definite. Also returns log det(S).
 *
 * @example
 * choleskySolve(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(1, 2)); // { x: [-0.125, 0.75], logDet: ln 8 }
 */
export function choleskySolve(s: Float64Array, m: number, b: Float64Array, ridge = 0): { x: Float64Array; logDet: number } | undefined {
  const l = choleskyFactor(s, m, ridge);
  if (!l) return undefined;
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) {
    let sum = x[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * m + k]! * x[k]!;
    x[i] = sum / l[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i]! * x[k]!;
    x[i] = sum / l[i * m + i]!;
  }
  let logDet = 0;
  for (let i = 0; i < m; i++) logDet += 2 * Math.log(l[i * m + i]!);
  return { x, logDet };
}

/**
 * The lower-triangular Cholesky factor L (S + ridge I = L L^T), or undefined when not positive definite.
 *
 * @example
 * choleskyFactor(Float64Array.of(4, 2, 2, 3), 2); // [2, 0, 1, 1.414]
 */
export function choleskyFactor(s: Float64Array, m: number, ridge = 0): Float64Array | undefined {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s[i * m + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * m + i] = Math.sqrt(sum);
      } else {
        l[i * m + j] = sum / l[j * m + j]!;
      }
    }
  }
  return l;
}
