import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { packageRoot, type Progress, progressOf } from '../core/index.js';
import { RayError } from '../errors/index.js';
import type { RayJobStatus } from './job-spec.js';
import type { RayJobsClient } from './ray-jobs-client.js';
import { shellLine } from './shell-line.js';

/** One shard of a fan-out: its input, its output path and the command line that makes one from the other. @example const s: FanoutShard = { shard: '/d/a.fits', out: '/o/a.parquet', command: 'skybook quasar features /d/a.fits --out /o/a.parquet' }; */
export interface FanoutShard {
  shard: string;
  out: string;
  command: string;
}

/** How a shard ended: on which node, in how long, after how many attempts, and the last line of its stderr if it failed. @example r.status === 'ok' && r.node; */
export interface ShardResult extends FanoutShard {
  index: number;
  status: 'ok' | 'failed';
  attempts: number;
  node: string | null;
  seconds: number | null;
  code: number | null;
  error: string | null;
}

/**
 * The shards of a fan-out: each input path absolute, its output `outDir/NAME` where NAME is `outName` with `{stem}`
 * (the input's name without its extension) and `{name}` replaced, and the command with `{shard}` and `{out}` replaced in
 * every word, quoted for the shell. Two shards that would write the same output are refused.
 *
 * @example
 * fanoutShards(['a.fits'], ['skybook', 'quasar', 'features', '{shard}', '--out', '{out}'], { outDir: 'runs/f', outName: '{stem}.parquet' });
 */
export function fanoutShards(
  shards: readonly string[],
  command: readonly string[],
  options: { outDir: string; outName?: string },
): FanoutShard[] {
  const seen = new Map<string, string>();
  return shards.map((s) => {
    const shard = resolve(s);
    const name = basename(shard);
    const outName = (options.outName ?? '{stem}.out')
      .replaceAll('{stem}', name.slice(0, name.length - extname(name).length))
      .replaceAll('{name}', name);
    const out = resolve(options.outDir, outName);
    const other = seen.get(out);
    if (other)
      throw new RayError(`shards ${other} and ${shard} would both write ${out}; give --out-name with {name}`, { scope: 'fanout' }, 2);
    seen.set(out, shard);
    return { shard, out, command: shellLine(command.map((w) => w.replaceAll('{shard}', shard).replaceAll('{out}', out))) };
  });
}

/** Options of {@link runFanout}. @example const o: FanoutOptions = { retries: 1, numCpus: 1, progress }; */
export interface FanoutOptions {
  /** More attempts for a shard whose command failed (default 1). */
  retries?: number;
  /** CPUs each shard's task reserves (default 1). */
  numCpus?: number;
  /** Custom resources each task needs. */
  resources?: Record<string, number>;
  /** The display of shards done (default: the kernel's, in a notebook; `false` for none). */
  progress?: Progress | false;
  /** Called as each shard ends. */
  onShard?: (r: ShardResult) => void;
}

/** What {@link runFanout} returns: the job, its final status, and one result per shard in input order. @example (await runFanout(ray, shards)).results.filter((r) => r.status === 'failed') */
export interface FanoutRun {
  submissionId: string;
  status: RayJobStatus;
  results: ShardResult[];
}

/**
 * Runs shards as one Ray job: jobs/fanout.py (skybook's driver) with the shard list as its working_dir's spec, one
 * task per shard spread over the nodes, a failed shard retried up to `retries` times. Each shard's line is read from
 * the job's log as it ends (progress and `onShard`); the job is FAILED when any shard failed for good, and every
 * shard still has its result. The commands run on the nodes, so the paths must be readable there (shared storage).
 *
 * @example
 * const run = await runFanout(ray, fanoutShards(files, ['skybook', 'quasar', 'features', '{shard}', '--out', '{out}'], { outDir: '/shared/out', outName: '{stem}.parquet' }));
 */
export async function runFanout(client: RayJobsClient, shards: readonly FanoutShard[], options: FanoutOptions = {}): Promise<FanoutRun> {
  if (shards.length === 0) throw new RayError('no shards to run', { scope: 'fanout' }, 2);
  // The output folders, made here: on a cluster of this machine, or over shared storage, they are the nodes' too.
  for (const d of new Set(shards.map((s) => dirname(s.out)))) mkdirSync(d, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'skybook-fanout-'));
  const progress = progressOf(options.progress);
  try {
    copyFileSync(join(packageRoot(), 'jobs', 'fanout.py'), join(dir, 'fanout.py'));
    const spec = { shards, retries: options.retries ?? 1, num_cpus: options.numCpus ?? 1, resources: options.resources ?? {} };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const job = await client.submit({ entrypoint: 'python fanout.py spec.json', runtimeEnv: { workingDir: dir } });
    progress.start({ label: `fan-out ${job.submissionId}`, total: shards.length, unit: 'shards' });
    const results: ShardResult[] = [];
    let partial = '';
    try {
      for await (const chunk of client.tailLogs(job.submissionId)) {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith('SKYBOOK_SHARD ')) continue;
          const r = JSON.parse(line.slice('SKYBOOK_SHARD '.length)) as Omit<ShardResult, 'command'>;
          const full: ShardResult = { ...r, command: shards[r.index]!.command };
          results.push(full);
          options.onShard?.(full);
          progress.advance(1, `${basename(full.shard)} ${full.status}`);
        }
      }
    } finally {
      progress.finish();
    }
    const final = await client.wait(job.submissionId);
    // A shard the driver never reported (the driver died): failed, with the job's message.
    const reported = new Set(results.map((r) => r.index));
    for (let i = 0; i < shards.length; i++)
      if (!reported.has(i))
        results.push({
          ...shards[i]!,
          index: i,
          status: 'failed',
          attempts: 0,
          node: null,
          seconds: null,
          code: null,
          error: `never reported: the job ended ${final.status}${final.message ? ` (${final.message})` : ''}`,
        });
    results.sort((a, b) => a.index - b.index);
    return { submissionId: job.submissionId, status: final.status, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
