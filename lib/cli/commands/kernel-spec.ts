import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { packageRoot } from '../../core/index.js';
import { KernelError } from '../../errors/index.js';
import { registerBuiltinKernel, type KernelJson } from '../../notebook/index.js';

/** The kernelspec's name, what `--ExecutePreprocessor.kernel_name=` and notebooks' metadata use. */
export const KERNEL_NAME = 'skybook';

/**
 * The kernelspec for this installation: this Node running this package's built kernel entry (dist/kernel/main.js).
 *
 * @example
 * kernelSpec('0.1.0').argv; // ['/usr/bin/node', '/…/skybook/dist/kernel/main.js', '{connection_file}']
 */
export function kernelSpec(version: string): KernelJson {
  const entry = join(packageRoot(), 'dist', 'kernel', 'main.js');
  return {
    argv: [process.execPath, entry, '{connection_file}'],
    display_name: 'TypeScript (skybook)',
    language: 'typescript',
    // SIGINT stops synchronous loops too (vm's breakOnSigint); a message could not reach a busy kernel.
    interrupt_mode: 'signal',
    metadata: { skybook: { version } },
  };
}

/**
 * Makes this installation's kernel findable by name without `skybook kernel install` (for `skybook run`/`verify`;
 * an installed `skybook` kernelspec still wins).
 *
 * @example
 * useBuiltinKernel(skybookVersion()); // then findKernelSpec('skybook') works on a fresh machine
 */
export function useBuiltinKernel(version: string): void {
  const spec = kernelSpec(version);
  registerBuiltinKernel({ ...spec, name: KERNEL_NAME, dir: dirname(spec.argv[1]!), env: {} });
}

/**
 * Jupyter's per-user data folder, as jupyter_core computes it: $JUPYTER_DATA_DIR, else the platform's default
 * (~/.local/share/jupyter or $XDG_DATA_HOME/jupyter on Linux, ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows).
 *
 * @example
 * userDataDir(); // '/home/me/.local/share/jupyter'
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return resolve(env.JUPYTER_DATA_DIR);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(env.APPDATA ?? homedir(), 'jupyter');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'jupyter');
}

/**
 * Writes `<dataDir>/kernels/skybook/kernel.json` atomically (a temporary file renamed into place) and returns its path.
 *
 * @example
 * writeKernelSpec('/tmp/prefix/share/jupyter', kernelSpec('0.1.0'));
 */
export function writeKernelSpec(dataDir: string, spec: KernelJson): string {
  const dir = join(dataDir, 'kernels', KERNEL_NAME);
  const file = join(dir, 'kernel.json');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(spec, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (e) {
    // a folder that cannot be made or written (a file in the way, no permission) is bad input: exit 2, naming it
    throw new KernelError(
      `cannot write the kernelspec here (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { file: dir },
      2,
    );
  }
  return file;
}
