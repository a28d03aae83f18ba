import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../core/index.js';

/**
 * What normal-equations.cc exports: `normal(y, w, m, jac, np, alpha, beta)` fills alpha = JᵀWJ (np x np, row-major)
 * and beta = JᵀW(y - m) for the m.length points and returns chi2, bit for bit as least-squares.ts's JavaScript does.
 *
 * @example
 * const chi2 = fitAddon()?.normal(y, w, m, jac, 3, alpha, beta);
 */
export interface FitAddon {
  normal(y: Float64Array, w: Float64Array, m: Float64Array, jac: Float64Array, np: number, alpha: Float64Array, beta: Float64Array): number;
}

let loaded: FitAddon | null | undefined;

/**
 * The line fits' native addon (dist/native/skybook-fit.node, scripts/build-native.ts), or null where it was not built
 * (no C++ compiler or Node headers at build time), cannot load, or is switched off with `SKYBOOK_NATIVE_FIT=0`; the
 * fits then use the JavaScript loop, which gives the same bits.
 *
 * @example
 * if (fitAddon() === null) console.log('line fits in JavaScript only');
 */
export function fitAddon(): FitAddon | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.SKYBOOK_NATIVE_FIT === '0') return loaded;
  const path = join(packageRoot(), 'dist', 'native', 'skybook-fit.node');
  if (!existsSync(path)) return loaded;
  try {
    loaded = createRequire(import.meta.url)(path) as FitAddon;
  } catch {
    loaded = null; // built for another Node ABI or platform: the JavaScript loop still works
  }
  return loaded;
}
