import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/**
 * A Python whose numpy computes float32 sin and cos with its FMA3 SIMD loop (numpy >= 1.24 on x86-64 with AVX2 and
 * FMA3: the same steps in every version since, checked bit for bit with numpy 1.24.2 and 2.3.5), the reference of
 * lib/voids/numpy-float32-trig.ts. Looked for in $SKYBOOK_PYTHON, the project's .venv (`npm run setup:python`,
 * numpy 2.3.5 as VAST runs it), then Debian's python3 (python3-numpy).
 */
const CANDIDATES = [process.env.SKYBOOK_PYTHON, join(ROOT, '.venv', 'bin', 'python'), '/usr/bin/python3'].filter(
  (p): p is string => p !== undefined && p !== '' && existsSync(p),
);

const PROBE = `
import json, platform, numpy as np
try:
    from numpy._core._multiarray_umath import __cpu_features__ as f
except ImportError:
    from numpy.core._multiarray_umath import __cpu_features__ as f
target = None
try:
    from numpy.lib.introspect import opt_func_info
    target = opt_func_info(func_name='^sin$', signature='float32')['sin']['ff']['current']
except Exception:
    pass
print(json.dumps({'numpy': np.__version__, 'machine': platform.machine(), 'fma3': bool(f.get('FMA3')) and bool(f.get('AVX2')), 'target': target}))
`;

interface Probe {
  numpy: string;
  machine: string;
  fma3: boolean;
  target: string | null;
}

function probe(python: string): Probe | string {
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8' });
  if (r.status !== 0) return `${python}: no numpy`;
  const p = JSON.parse(r.stdout) as Probe;
  const [major, minor] = p.numpy.split('.').map(Number) as [number, number];
  if (major < 1 || (major === 1 && minor < 24)) return `${python}: numpy ${p.numpy} (< 1.24)`;
  if (p.machine !== 'x86_64' || !p.fma3) return `${python}: numpy ${p.numpy} on ${p.machine} without AVX2 + FMA3 (numpy calls libm there)`;
  if (p.target !== null && !/^(AVX512_SKX|AVX512F|AVX2|FMA3)/.test(p.target))
    return `${python}: numpy ${p.numpy} runs float32 sin as ${p.target}`;
  return p;
}

const found = (() => {
  const why: string[] = [];
  for (const python of CANDIDATES) {
    const p = probe(python);
    if (typeof p !== 'string') return { python, ...p };
    why.push(p);
  }
  return why.join('; ') || 'no python found';
})();

/** The reference Python and its numpy (undefined when none qualifies). */
export const NUMPY_PYTHON = typeof found === 'string' ? undefined : found;
export const NO_NUMPY_MESSAGE =
  typeof found === 'string'
    ? `skipped: no numpy with its FMA3 float32 sin/cos loop (${found}); npm run setup:python, or set SKYBOOK_PYTHON`
    : '';

/** Runs a Python script with {@link NUMPY_PYTHON}; throws with stderr on failure. */
export function runNumpy(script: string, args: string[] = []): string {
  if (!NUMPY_PYTHON) throw new Error(NO_NUMPY_MESSAGE);
  const r = spawnSync(NUMPY_PYTHON.python, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A Python that imports VAST's VoidFinder (the project's .venv after bench/voids/install-vast.sh), or undefined. */
export const VAST_PYTHON = CANDIDATES.find(
  (p) => spawnSync(p, ['-c', 'import vast.voidfinder.distance, vast.voidfinder.voidfinder'], { encoding: 'utf8' }).status === 0,
);
export const NO_VAST_MESSAGE = `skipped: no Python imports VAST (${CANDIDATES.join(', ') || 'none found'}); npm run setup:python, then bash bench/voids/install-vast.sh PATH_TO_VAST`;
