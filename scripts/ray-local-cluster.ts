/**
 * A local Ray cluster on loopback for tests, bench/ray and notebook 08: `node dist/scripts/ray-local-cluster.js
 * [--nodes N] [--cpus N]` starts one (the project's .venv Ray), prints its dashboard address (RAY_ADDRESS) and the
 * command that stops it, and leaves it running.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../lib/core/index.js';

// The repository (skybook's own folder), from scripts/ or dist/scripts/.
const ROOT = packageRoot();

/** The project's Ray (npm run setup:python puts ray[default] into .venv), or undefined. */
export const RAY = [process.env.SKYBOOK_RAY, join(ROOT, '.venv', 'bin', 'ray')].find((p): p is string => !!p && existsSync(p));
export const NO_RAY_MESSAGE = `skipped: no Ray (${join(ROOT, '.venv', 'bin', 'ray')} is missing); run npm run setup:python`;

/** A port nobody listens on now (the OS picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Every port a Ray node opens, its own (two nodes on one host must not share the agent's default 52365): the single
 * ports are the OS's free picks (in its ephemeral range, 32768-60999), the 100 worker ports a block below that range
 * that the caller gives, so the two never meet.
 */
async function nodePorts(workers: number): Promise<string[]> {
  const p = async () => String(await freePort());
  return [
    '--node-manager-port',
    await p(),
    '--object-manager-port',
    await p(),
    '--min-worker-port',
    String(workers),
    '--max-worker-port',
    String(workers + 99),
    '--dashboard-agent-listen-port',
    await p(),
    '--dashboard-agent-grpc-port',
    await p(),
    '--metrics-export-port',
    await p(),
    '--runtime-env-agent-port',
    await p(),
  ];
}

/**
 * A real local Ray cluster for a test file, a benchmark or a notebook: a head (dashboard and Jobs API on loopback) and `nodes - 1` more nodes on
 * the same host, each with its own ports and temp folder, each offering `cpus` CPUs and a custom resource `node_<k>`
 * (so a test can place a task on a chosen node). `stop()` ends only this cluster's processes (those whose command line
 * names its temp folder), not another Ray on the machine, as `ray stop` would.
 *
 * @example
 * const cluster = await startRayCluster({ nodes: 2 }); // cluster.address: 'http://127.0.0.1:PORT'
 * afterAll(() => cluster.stop());
 */
export async function startRayCluster(
  options: { nodes?: number; cpus?: number } = {},
): Promise<{ address: string; gcs: string; temp: string; stop(): void }> {
  if (!RAY) throw new Error(NO_RAY_MESSAGE);
  const temp = mkdtempSync('/tmp/rt-');
  const gcsPort = await freePort();
  const dashboard = await freePort();
  // The venv first on PATH: a job's `python` is the one that has ray.
  const env = { ...process.env, PATH: `${join(RAY, '..')}:${process.env.PATH}`, RAY_USAGE_STATS_ENABLED: '0', RAY_ADDRESS: '' };
  const cpus = String(options.cpus ?? 2);
  // One block of 100 worker ports a node, the cluster's blocks together somewhere in 11000-31999.
  const workerBase = 11000 + Math.floor(Math.random() * 52) * 400;
  const run = (args: string[]) => {
    const r = spawnSync(RAY, args, { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`ray ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  };
  const stop = () => {
    for (const sig of ['-TERM', '-KILL']) spawnSync('pkill', [sig, '-f', temp]);
    rmSync(temp, { recursive: true, force: true });
  };
  try {
    run([
      'start',
      '--head',
      '--port',
      String(gcsPort),
      '--dashboard-host',
      '127.0.0.1',
      '--dashboard-port',
      String(dashboard),
      '--ray-client-server-port',
      String(await freePort()),
      '--num-cpus',
      cpus,
      '--resources',
      '{"node_0": 100}',
      '--disable-usage-stats',
      '--include-dashboard',
      'true',
      '--temp-dir',
      join(temp, 'head'),
      ...(await nodePorts(workerBase)),
    ]);
    for (let k = 1; k < (options.nodes ?? 1); k++)
      run([
        'start',
        '--address',
        `127.0.0.1:${gcsPort}`,
        '--num-cpus',
        cpus,
        '--resources',
        `{"node_${k}": 100}`,
        '--disable-usage-stats',
        '--temp-dir',
        join(temp, `node${k}`),
        ...(await nodePorts(workerBase + 100 * k)),
      ]);
    const address = `http://127.0.0.1:${dashboard}`;
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${address}/api/version`);
        if (r.ok) break;
      } catch {
        // not up yet
      }
      if (i > 600) throw new Error(`the Ray dashboard at ${address} never answered`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { address, gcs: `127.0.0.1:${gcsPort}`, temp, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

// As a script: start, print, leave running.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const c = await startRayCluster({ nodes: arg('nodes', 2), cpus: arg('cpus', 1) });
  console.log(`RAY_ADDRESS=${c.address}`);
  console.log(`stop it with: pkill -f ${c.temp} ; rm -rf ${c.temp}`);
}
