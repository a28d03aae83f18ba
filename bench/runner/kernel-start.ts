/**
 * Kernel start-up, measured in-process with lib/notebook's client: launch from a kernelspec to kernel_info_reply
 * ("ready"), then the first trivial cell's result ("first result" = what a user waits for before seeing `2`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelSession, findKernelSpec } from '../../lib/notebook/index.js';

export interface StartTiming {
  ready: number;
  firstResult: number;
}

/**
 * Writes a kernelspec for plain tslab (what `tslab install --prefix` writes, with this Node) under `prefix`.
 *
 * @example
 * writeTslabSpec('/tmp/p', '/repo'); // then JUPYTER_PATH=/tmp/p/share/jupyter finds kernel "tslab"
 */
export function writeTslabSpec(prefix: string, root: string): void {
  const dir = join(prefix, 'share', 'jupyter', 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  const argv = [process.execPath, join(root, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'];
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify({ argv, display_name: 'TypeScript (tslab)', language: 'typescript' }, null, 1));
}

/**
 * Starts kernel `name`, runs `1 + 1`, checks the result, shuts down; seconds from launch.
 *
 * @example
 * const t = await timeKernelStart('skybook', { ...process.env, JUPYTER_PATH: '/tmp/p/share/jupyter' }, '/tmp');
 */
export async function timeKernelStart(name: string, env: NodeJS.ProcessEnv, cwd: string): Promise<StartTiming> {
  const spec = findKernelSpec(name, env);
  const t0 = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - t0) / 1e9;
  const k = await KernelSession.start(spec, { env, cwd, startupTimeout: 120 });
  const ready = since();
  try {
    const r = await k.execute('1 + 1', { timeoutMs: 120_000 });
    const firstResult = since();
    const text = r.outputs.map((o) => [o.data?.['text/plain'] ?? o.text ?? ''].flat().join('')).join('');
    if (r.status !== 'ok' || text.trim() !== '2') throw new Error(`kernel ${name}: 1 + 1 gave ${r.status} ${JSON.stringify(text)}`);
    return { ready, firstResult };
  } finally {
    await k.shutdown();
  }
}
