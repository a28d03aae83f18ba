import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { KernelError } from '../errors/index.js';

/** A kernelspec as found on disk (kernel.json plus where it lives). */
export interface KernelSpec {
  name: string;
  dir: string;
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'signal' | 'message';
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/**
 * What a kernelspec's kernel.json holds: a {@link KernelSpec} without the name and folder it is found under.
 *
 * @example
 * const json: KernelJson = { argv: ['node', 'main.js', '{connection_file}'], display_name: 'TS', language: 'typescript', interrupt_mode: 'signal', metadata: {} };
 */
export type KernelJson = Omit<KernelSpec, 'name' | 'dir' | 'env'> & { env?: Record<string, string> };

/**
 * The Jupyter data directories in Jupyter's order of precedence: JUPYTER_PATH, the user dir (JUPYTER_DATA_DIR or
 * ~/.local/share/jupyter), the environment's prefix (sys.prefix-like: the python3 or node install prefix and
 * a virtualenv), then the system dirs /usr/local/share/jupyter and /usr/share/jupyter.
 *
 * @example
 * jupyterDataDirs() // ['/home/me/.local/share/jupyter', '/usr/local/share/jupyter', '/usr/share/jupyter']
 */
export function jupyterDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? '').split(delimiter)) if (p) dirs.push(p);
  dirs.push(env.JUPYTER_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'));
  for (const prefix of [env.VIRTUAL_ENV, env.CONDA_PREFIX, dirname(dirname(process.execPath))])
    if (prefix) dirs.push(join(prefix, 'share', 'jupyter'));
  dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  return [...new Set(dirs)];
}

function readSpec(name: string, dir: string): KernelSpec {
  const file = join(dir, 'kernel.json');
  let j: Partial<KernelSpec> & { argv?: unknown };
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KernelError(`${file}: unreadable kernelspec (${(e as Error).message})`, { kernel: name }, 2);
  }
  if (!Array.isArray(j.argv) || j.argv.length === 0) throw new KernelError(`${file}: kernelspec has no argv`, { kernel: name }, 2);
  return {
    name,
    dir,
    argv: j.argv.map(String),
    display_name: j.display_name ?? name,
    language: (j.language ?? '').toLowerCase(),
    interrupt_mode: j.interrupt_mode === 'message' ? 'message' : 'signal',
    env: j.env ?? {},
    metadata: j.metadata ?? {},
  };
}

/** name (lower case) -> its directory, the first data dir holding a name winning, as in jupyter_client. */
function kernelDirs(env: NodeJS.ProcessEnv): Map<string, [string, string]> {
  const found = new Map<string, [string, string]>();
  for (const data of jupyterDataDirs(env)) {
    const kernels = join(data, 'kernels');
    if (!existsSync(kernels)) continue;
    for (const name of readdirSync(kernels).sort()) {
      const dir = join(kernels, name);
      if (!found.has(name.toLowerCase()) && existsSync(join(dir, 'kernel.json'))) found.set(name.toLowerCase(), [name, dir]);
    }
  }
  return found;
}

/**
 * Every readable kernelspec visible from the Jupyter paths (a broken kernel.json is skipped here, as Jupyter
 * does, and reported when that kernel is asked for by name).
 *
 * @example
 * listKernelSpecs().map((k) => k.name) // ['python3', 'skybook']
 */
export function listKernelSpecs(env: NodeJS.ProcessEnv = process.env): KernelSpec[] {
  const out: KernelSpec[] = [];
  for (const [name, dir] of kernelDirs(env).values()) {
    try {
      out.push(readSpec(name, dir));
    } catch {
      /* unreadable: skipped in listings */
    }
  }
  return out;
}

const builtins = new Map<string, KernelSpec>();

/**
 * Registers a kernel that needs no installed kernel.json: a tool's own kernel (the `skybook` CLI registers skybook's,
 * so `skybook run` and `skybook verify` work before `skybook kernel install`). An installed kernelspec of the same
 * name still wins.
 *
 * @example
 * registerBuiltinKernel({ name: 'mine', dir: '/opt/mine', argv: ['/opt/mine/kernel', '{connection_file}'], display_name: 'Mine', language: 'python', interrupt_mode: 'signal', env: {}, metadata: {} });
 */
export function registerBuiltinKernel(spec: KernelSpec): void {
  builtins.set(spec.name.toLowerCase(), spec);
}

/**
 * Finds one kernelspec by name (case-insensitive, like Jupyter), else a registered built-in kernel
 * ({@link registerBuiltinKernel}); an unknown name is a usage error listing those found.
 *
 * @example
 * const spec = findKernelSpec('python3'); spec.argv // ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}']
 */
export function findKernelSpec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec {
  const hit = kernelDirs(env).get(name.toLowerCase());
  if (hit) return readSpec(hit[0], hit[1]);
  const builtin = builtins.get(name.toLowerCase());
  if (builtin) return builtin;
  const all = listKernelSpecs(env).map((k) => k.name);
  throw new KernelError(
    `no such kernel; installed: ${all.join(', ') || '(none)'} (searched ${jupyterDataDirs(env).join(', ')})`,
    { kernel: name },
    2,
  );
}
