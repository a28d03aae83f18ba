/**
 * A function tabulated on a uniform grid with its derivative, evaluated by cubic Hermite interpolation: continuous
 * value and slope, error at most h^4 / 384 * max|f''''| (h the step). The fast path behind FlatLambdaCDM's vectorised
 * distances and redshifts.
 *
 * @example
 * const t = HermiteTable.build(0, 1, 1024, (x) => [Math.sin(x), Math.cos(x)]);
 * t.at(0.3); // sin(0.3) to ~1e-15
 */
export class HermiteTable {
  private constructor(
    /** First grid point. */
    readonly x0: number,
    /** Grid step. */
    readonly step: number,
    private readonly values: Float64Array,
    private readonly slopes: Float64Array,
  ) {}

  /**
   * Tabulates `f` (returning [value, derivative]) at n + 1 points from x0 to x1.
   *
   * @example
   * HermiteTable.build(0, 2, 64, (x) => [x * x, 2 * x]).at(1.5); // 2.25 (exact for a quadratic)
   */
  static build(x0: number, x1: number, n: number, f: (x: number) => readonly [number, number]): HermiteTable {
    const step = (x1 - x0) / n;
    const values = new Float64Array(n + 1);
    const slopes = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) {
      const [v, s] = f(i === n ? x1 : x0 + i * step);
      values[i] = v;
      slopes[i] = s;
    }
    return new HermiteTable(x0, step, values, slopes);
  }

  /** The last grid point. @example t.x1; */
  get x1(): number {
    return this.x0 + (this.values.length - 1) * this.step;
  }

  /**
   * The interpolated value at x; x must lie on the grid's span (callers check, to keep this loop-friendly).
   *
   * @example
   * t.at(0.25);
   */
  at(x: number): number {
    const n = this.values.length - 1;
    const u = (x - this.x0) / this.step;
    const i = Math.min(Math.max(Math.floor(u), 0), n - 1);
    const t = u - i;
    const t2 = t * t;
    const t3 = t2 * t;
    const h = this.step;
    return (
      (2 * t3 - 3 * t2 + 1) * this.values[i]! +
      (t3 - 2 * t2 + t) * h * this.slopes[i]! +
      (3 * t2 - 2 * t3) * this.values[i + 1]! +
      (t3 - t2) * h * this.slopes[i + 1]!
    );
  }
}
