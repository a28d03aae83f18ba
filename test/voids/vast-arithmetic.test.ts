/**
 * VAST's arithmetic, bit for bit: numpy's float32 sin/cos, QUADPACK's QAGS and VAST's float32 comoving distance,
 * against numpy and scipy themselves (Debian's python3-numpy and python3-scipy), and the float32 fused multiply-add
 * against exact rational arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { fmaF32, numpyCosF32, numpySinF32 } from '../../lib/voids/numpy-float32-trig.js';
import { qags } from '../../lib/voids/quadpack.js';
import { vastComovingDistances } from '../../lib/voids/vast-comoving.js';
import { HAVE_SCIPY, NO_SCIPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { mulberry32 } from '../helpers/prng.js';

/** A double as sign * m * 2^e with m an integer (exact). */
function exactParts(x: number): { m: bigint; e: number } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (exp === 0) return { m: sign * frac, e: -1074 };
  return { m: sign * (frac | (1n << 52n)), e: exp - 1075 };
}

/** The float32 nearest to the exact a * b + c (ties to even), by integer arithmetic. */
function exactFma32(a: number, b: number, c: number): number {
  const pa = exactParts(a),
    pb = exactParts(b),
    pc = exactParts(c);
  const pm = pa.m * pb.m,
    pe = pa.e + pb.e;
  const e = Math.min(pe, pc.e);
  let m = pm * 2n ** BigInt(pe - e) + pc.m * 2n ** BigInt(pc.e - e);
  if (m === 0n) return 0;
  const neg = m < 0n;
  if (neg) m = -m;
  // keep 24 significant bits
  let shift = m.toString(2).length - 24;
  let exp = e;
  if (shift > 0) {
    const half = 1n << BigInt(shift - 1);
    const rem = m & ((1n << BigInt(shift)) - 1n);
    let q = m >> BigInt(shift);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    m = q;
    exp += shift;
    shift = 0;
  }
  const v = Number(m) * 2 ** exp;
  return neg ? -v : v;
}

describe('fmaF32: one rounding of a * b + c to float32', () => {
  it('equals exact rational rounding on 100,000 seeded triples, half of them built to land on float32 midpoints', () => {
    const rnd = mulberry32(3);
    const f = Math.fround;
    for (let i = 0; i < 100_000; i++) {
      const a = f((rnd() - 0.5) * 2 ** Math.floor(rnd() * 20 - 10));
      const b = f((rnd() - 0.5) * 2 ** Math.floor(rnd() * 20 - 10));
      let c = f((rnd() - 0.5) * 2 ** Math.floor(rnd() * 20 - 10));
      if (i % 2 === 0) {
        // c = -(a b rounded to a float32 midpoint) + a tiny part, so the double sum sits on a tie
        const p = a * b;
        const r = f(p);
        const ulp = Math.abs(f(r * (1 + 2 ** -23)) - r) || 2 ** -149;
        c = f(r + ulp / 2 - p) || c;
      }
      expect(fmaF32(a, b, c)).toBe(exactFma32(a, b, c));
    }
  });
});

describe.skipIf(!HAVE_SCIPY)(
  `numpy and scipy as VAST runs them (${HAVE_SCIPY ? 'python3-numpy, python3-scipy' : NO_SCIPY_MESSAGE})`,
  () => {
    it("numpy's float32 sin and cos, bit for bit, for 60,000 angles up to 1000 radians", () => {
      const out = runPython(
        `import numpy as np, sys
from numpy.core._multiarray_umath import __cpu_features__ as cpu
if not cpu.get('FMA3'): print('nofma'); sys.exit(0)
rng = np.random.default_rng(11)
x = np.concatenate([rng.uniform(-7, 7, 50000), rng.uniform(-1000, 1000, 10000)]).astype(np.float32)
print(' '.join('%r %r %r' % (float(a), float(s), float(c)) for a, s, c in zip(x, np.sin(x), np.cos(x))))`,
      );
      if (out.trim() === 'nofma') return; // numpy then calls libm, a different routine
      const v = out.trim().split(' ').map(Number);
      let bad = 0;
      for (let i = 0; i < v.length; i += 3) if (numpySinF32(v[i]!) !== v[i + 1] || numpyCosF32(v[i]!) !== v[i + 2]) bad++;
      expect(v.length).toBe(180_000);
      expect(bad).toBe(0);
    });

    it("QAGS equals scipy.integrate.quad's result, error and subdivisions on smooth, peaked and float32-rounded integrands", () => {
      const out = runPython(
        `import numpy as np, math
from scipy import integrate
cases = [(lambda x: x * x, 0, 1), (lambda x: 1 / (1e-3 + (x - 0.3) ** 2), 0, 1), (lambda x: math.sqrt(x), 0, 2),
         (lambda x: float(np.float32(math.exp(-float(np.float32(x))))), 0.1, 3)]
for f, a, b in cases:
    r = integrate.quad(f, a, b, epsabs=1.49e-8, epsrel=1.49e-8, limit=50, full_output=1)
    print('%r %r %d' % (r[0], r[1], r[2]['last']))`,
      );
      const f32 = Math.fround;
      const cases: [(x: number) => number, number, number][] = [
        [(x) => x * x, 0, 1],
        [(x) => 1 / (1e-3 + (x - 0.3) ** 2), 0, 1],
        [(x) => Math.sqrt(x), 0, 2],
        [(x) => f32(Math.exp(-f32(x))), 0.1, 3],
      ];
      const want = out.trim().split('\n');
      cases.forEach(([fn, a, b], i) => {
        const [result, abserr, last] = want[i]!.split(' ').map(Number);
        const got = qags(fn, a, b, 1.49e-8, 1.49e-8, 50);
        // exp differs from libm in a last bit now and then; the others are exact
        if (i === 3) expect(Math.abs(got.result / result! - 1)).toBeLessThan(1e-12);
        else expect([got.result, got.abserr, got.last]).toEqual([result, abserr, last]);
      });
    });

    it("VAST's float32 comoving distance (distance.pyx) for 3,000 redshifts and two Omega_M, bit for bit", () => {
      const out = runPython(
        `import numpy as np, math
from scipy import integrate
rng = np.random.default_rng(2)
z = rng.uniform(0, 0.5, 1500).astype(np.float32)
for om in (0.26, 0.3):
    om32 = np.float32(om)
    def f(x):
        a = np.float32(x)
        return float(np.float32(1.0 / math.sqrt(float(np.float32(a * om32)) * (1.0 + ((1.0 - float(om32)) * float(a) * float(a) * float(a) / float(om32))))))
    c = np.float32(299792.0) / np.float32(100.0)
    for zi in z:
        a = float(np.float32(1.0 / (1.0 + float(zi))))
        r = integrate.quad(f, a, 1.0, epsabs=1.49e-8, epsrel=1.49e-8, limit=50)[0]
        print('%r %r' % (float(zi), float(np.float32(np.float32(r) * c))))`,
      );
      const rows = out
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map(Number));
      expect(rows.length).toBe(3000);
      for (const [k, om] of [0.26, 0.3].entries()) {
        const part = rows.slice(1500 * k, 1500 * (k + 1));
        const got = vastComovingDistances(
          Float64Array.from(part, (r) => r[0]!),
          om,
          1,
        );
        expect(Array.from(got)).toEqual(part.map((r) => r[1]));
      }
    }, 120_000);
  },
);

it("VAST's DR7 distance limit: z = 0.1026 at Omega_M 0.26 is 301.2730712890625 Mpc/h (VAST's run)", () => {
  expect(vastComovingDistances([0, 0.1026], 0.26, 1)).toEqual(Float64Array.of(0, 301.2730712890625));
});
