import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The project a notebook belongs to: the nearest folder at or above `from` (default: the working directory) that holds
 * a `package.json`, else `from` itself. Jupyter starts a kernel in the notebook's folder (`jupyter nbconvert
 * notebooks/x.ipynb` runs it in notebooks/), `skybook run` in the folder it is run from; a notebook that resolves its
 * paths here writes to the same place either way.
 *
 * @example
 * projectRoot('/work/skybook/notebooks'); // '/work/skybook'
 * projectRoot('/tmp/scratch'); // '/tmp/scratch' (no package.json above it)
 */
export function projectRoot(from: string = process.cwd()): string {
  const start = resolve(from);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * A path as a notebook means it: absolute paths as they are, relative ones from {@link projectRoot} rather than from
 * the kernel's working directory, so a notebook's outputs land in the same place however Jupyter was started.
 *
 * @example
 * const out = projectPath('runs/survey'); // '/work/skybook/runs/survey', also when the kernel runs in notebooks/
 * projectPath('/data/dr1'); // '/data/dr1'
 */
export function projectPath(path: string, from: string = process.cwd()): string {
  return resolve(projectRoot(from), path);
}
