// bench/ray: what fanning work out over Ray costs and gains, on a local cluster of this machine. The work: `skybook
// quasar features` on the coadd files of the `quasars` mock survey (one file = one shard, ~23 spectra each). Per
// repeat, in one run: (1) locally, the shards through a pool of 2 processes (no Ray); (2) `runFanout` on a 1-node
// cluster with 2 CPUs; (3) a 1-node cluster with 1 CPU and (4) a 2-node cluster with 1 CPU a node (both fit this 2-core
// machine, so 3 -> 4 is the 1 -> 2 node speed-up the scale model in docs/scale.md is checked against); (5) 20 tasks
// that do nothing (`true`), for the per-task cost. Reported: submit -> first log line, per-task overhead (wall x CPUs
// minus the tasks' own seconds, per task), each wall time and the ratios from the same repeat.
// Build first: npm run build && node dist/bench/ray/run.js [--shards 24] [--repeat 2] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fanoutShards, type RayJobsClient as Client, RayJobsClient, runFanout } from '../../lib/ray/index.js';
import { startRayCluster } from '../../scripts/ray-local-cluster.js';

// dist/bench/ray -> the repository root.
const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'dist/lib/cli/main.js');
const OUT = join(ROOT, 'bench/out/ray');
const option = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const nShards = Number(option('shards', '24'));
const repeat = Number(option('repeat', '2'));
const json = process.argv.includes('--json');

function shardFiles(): string[] {
  const survey = join(OUT, 'survey');
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith('coadd-')) files.push(join(d, e.name));
  };
  try {
    walk(join(survey, 'spectro'));
  } catch {
    // not made yet
  }
  if (files.length < nShards) {
    const r = spawnSync(
      process.execPath,
      [CLI, 'datasets', 'make', '--preset', 'quasars', '--seed', '1', '--out', survey, '--spectra', 'all'],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('datasets make failed');
    files.length = 0;
    walk(join(survey, 'spectro'));
  }
  return files.slice(0, nShards);
}

async function local(files: string[], procs: number): Promise<number> {
  const dir = join(OUT, 'local');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await new Promise<void>((res, rej) => {
        const p = spawn(process.execPath, [CLI, 'quasar', 'features', f, '--out', join(dir, `${next}.parquet`)], { stdio: 'ignore' });
        p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${f}: exit ${code}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: procs }, worker));
  return (performance.now() - t0) / 1000;
}

async function onCluster(files: string[], nodes: number, cpus: number) {
  const cluster = await startRayCluster({ nodes, cpus });
  try {
    const ray: Client = new RayJobsClient({ address: cluster.address });
    // Submit -> first log line: a job that prints at once.
    const t0 = performance.now();
    const hello = await ray.submit({ entrypoint: 'echo first-line' });
    let firstLine = Number.NaN;
    for await (const chunk of ray.tailLogs(hello.submissionId))
      if (chunk.includes('first-line') && Number.isNaN(firstLine)) firstLine = (performance.now() - t0) / 1000;
    const dir = join(OUT, `fanout-${nodes}x${cpus}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const shards = fanoutShards(files, [process.execPath, CLI, 'quasar', 'features', '{shard}', '--out', '{out}'], {
      outDir: dir,
      outName: '{stem}.parquet',
    });
    const t1 = performance.now();
    const run = await runFanout(ray, shards, { retries: 0 });
    const wall = (performance.now() - t1) / 1000;
    const failed = run.results.filter((r) => r.status !== 'ok');
    if (failed.length) throw new Error(`${failed.length} shards failed: ${failed[0]!.error}`);
    const taskSeconds = run.results.reduce((s, r) => s + (r.seconds ?? 0), 0);
    const trivial = fanoutShards(
      Array.from({ length: 20 }, (_, i) => join(dir, `noop-${i}`)),
      ['true', '{shard}'],
      { outDir: dir },
    );
    const t2 = performance.now();
    const noop = await runFanout(ray, trivial, { retries: 0 });
    const noopWall = (performance.now() - t2) / 1000;
    const noopTask = noop.results.reduce((s, r) => s + (r.seconds ?? 0), 0);
    return {
      nodes,
      cpus,
      firstLineSeconds: firstLine,
      wall,
      taskSeconds,
      overheadPerTask: (wall * nodes * cpus - taskSeconds) / files.length,
      noopWall,
      noopPerTask: (noopWall * nodes * cpus - noopTask) / trivial.length,
      nodesUsed: new Set(run.results.map((r) => r.node)).size,
    };
  } finally {
    cluster.stop();
  }
}

const files = shardFiles();
const rows = [];
for (let r = 1; r <= repeat; r++) {
  const localSeconds = await local(files, 2);
  const one2 = await onCluster(files, 1, 2);
  const one1 = await onCluster(files, 1, 1);
  const two1 = await onCluster(files, 2, 1);
  rows.push({ repeat: r, shards: files.length, localSeconds, one2, one1, two1 });
  if (!json) {
    const f = (x: number) => x.toFixed(2);
    console.log(
      `repeat ${r} (load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}), ${files.length} shards: local 2 procs ${f(localSeconds)} s; ` +
        `Ray 1 node x 2 CPUs ${f(one2.wall)} s (${f(one2.wall / localSeconds)}x local), submit->first log line ${f(one2.firstLineSeconds)} s, ` +
        `overhead ${f(one2.overheadPerTask)} s/task (no-op tasks ${f(one2.noopPerTask)} s/task); ` +
        `1 node x 1 CPU ${f(one1.wall)} s, 2 nodes x 1 CPU ${f(two1.wall)} s (${two1.nodesUsed} nodes used): speed-up ${f(one1.wall / two1.wall)}x`,
    );
  }
}
if (json) console.log(JSON.stringify({ load: loadavg(), rows }, null, 2));
