/**
 * A small seeded PRNG (xoshiro128**, 32-bit words only so it is exact and fast in JS) with uniform, normal and
 * integer draws. Streams are keyed: `Rng.for(seed, 'galaxies', pixel)` gives the same numbers whatever else was
 * drawn before, which is what lets each healpix pixel be generated on its own (streaming, any order, any subset).
 *
 * @example
 * const rng = Rng.for(42, 'quasars', 27247);
 * const u = rng.uniform(); const g = rng.normal(); const k = rng.int(10);
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  private constructor(words: readonly number[]) {
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator for `seed` and any number of keys (strings or integers); equal inputs give equal streams. */
  static for(seed: number, ...keys: (string | number)[]): Rng {
    let h = mix32((seed >>> 0) ^ 0x9e3779b9) ^ mix32(Math.floor(seed / 2 ** 32) >>> 0);
    for (const k of keys) {
      if (typeof k === 'number') {
        h = mix32(h ^ mix32(k >>> 0) ^ mix32((Math.floor(k / 2 ** 32) >>> 0) + 0x85ebca6b));
      } else {
        for (let i = 0; i < k.length; i++) h = mix32(h ^ k.charCodeAt(i));
        h = mix32(h ^ 0xc2b2ae35);
      }
    }
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      h = (h + 0x9e3779b9) | 0;
      words.push(mix32(h));
    }
    return new Rng(words);
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.uniform();
  }

  /** A standard normal deviate (Marsaglia's polar method; the second deviate is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** murmur3's 32-bit finaliser: a bijective mix, good enough to spread keys into a seed. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
