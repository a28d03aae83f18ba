import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skybook } from '../helpers/cli.js';

/**
 * Installs the skybook kernelspec into a fresh temp prefix with `skybook kernel install --prefix` and returns the
 * environment under which Jupyter (and `skybook run`) finds it.
 */
export function installSkybookKernel(): { JUPYTER_PATH: string } {
  const prefix = mkdtempSync(join(tmpdir(), 'sb-kprefix-'));
  const r = skybook(['kernel', 'install', '--prefix', prefix]);
  if (r.code !== 0) throw new Error(`skybook kernel install failed (${r.code}): ${r.stderr}`);
  return { JUPYTER_PATH: join(prefix, 'share', 'jupyter') };
}
