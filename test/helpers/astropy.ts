import { spawnSync } from 'node:child_process';

/** Debian's python3 with astropy 5.2 (the `python3` on PATH may be another one without it). */
export const ASTROPY_PYTHON = '/usr/bin/python3';
export const HAVE_ASTROPY = spawnSync(ASTROPY_PYTHON, ['-c', 'import astropy, numpy'], { encoding: 'utf8' }).status === 0;
export const NO_ASTROPY_MESSAGE = `skipped: ${ASTROPY_PYTHON} cannot import astropy (apt-get install python3-astropy; .ci/run does)`;

/** Runs a Python script with Debian's astropy and returns its stdout; throws with stderr on failure. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync(ASTROPY_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Whether Debian's python3 also has scipy (python3-scipy), the reference for KS tests and distributions. */
export const HAVE_SCIPY = spawnSync(ASTROPY_PYTHON, ['-c', 'import scipy.stats, scipy.special, numpy'], { encoding: 'utf8' }).status === 0;
export const NO_SCIPY_MESSAGE = `skipped: ${ASTROPY_PYTHON} cannot import scipy (apt-get install python3-scipy; .ci/run does)`;
