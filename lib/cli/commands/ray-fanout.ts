import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../../errors/index.js';
import { fanoutShards, runFanout } from '../../ray/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient, shardFiles, wholeNumber } from '../ray-options.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

/**
 * `skybook ray fanout --shards FILE|GLOB... [--out DIR] [--out-name T] [--retries N] [--num-cpus N] [--json] -- COMMAND...`:
 * one Ray task per shard running COMMAND with `{shard}` and `{out}` replaced, spread over the cluster's nodes.
 *
 * @example
 * skybook ray fanout --shards 'survey/**\/coadd-*.fits' --out runs/features --out-name '{stem}.parquet' -- skybook quasar features {shard} --out {out}
 */
export const rayFanout: Command = {
  name: 'ray fanout',
  usage:
    'skybook ray fanout --shards FILE|GLOB... [--address URL] [--out DIR] [--out-name TEMPLATE] [--retries N] [--num-cpus N] [--json] -- COMMAND...',
  summary:
    'one Ray task per shard (a file) running COMMAND with {shard} and {out} replaced, retried on failure; a table of shard, status, node, seconds, out',
  flags: [
    { flag: '--shards FILE|GLOB', help: 'input files, or a glob of them (repeatable); each is one task' },
    RAY_ADDRESS_FLAG,
    { flag: '--out DIR', help: 'where the outputs go (default runs/fanout); created here, and must be the same path on the nodes' },
    {
      flag: '--out-name TEMPLATE',
      help: "each output's file name: {stem} (the shard's name without extension), {name} (default {stem}.out)",
    },
    { flag: '--retries N', help: 'more attempts for a shard whose command fails (default 1)' },
    { flag: '--num-cpus N', help: 'CPUs each task reserves (default 1)' },
    { flag: '--json', help: 'print one entry per shard: shard, status, node, seconds, out, attempts, error' },
    { flag: 'COMMAND', help: "the command each task runs (after --); skybook must be on the nodes' PATH if it is called" },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      variadic: true,
      values: ['address', 'out', 'out-name', 'retries', 'num-cpus'],
      repeatable: ['shards'],
      switches: ['json'],
    });
    if (args.rest.length === 0) throw new UsageError('missing COMMAND (after --)');
    if (!args.rest.some((w) => w.includes('{shard}'))) throw new UsageError('COMMAND never names {shard}: every task would do the same');
    const patterns = args.lists.shards ?? [];
    if (patterns.length === 0) throw new UsageError('missing --shards FILE|GLOB');
    const files = shardFiles(patterns);
    const outDir = args.values.out ?? 'runs/fanout';
    const shards = fanoutShards(files, args.rest, { outDir, ...(args.values['out-name'] ? { outName: args.values['out-name'] } : {}) });
    mkdirSync(outDir, { recursive: true });
    const json = args.switches.has('json');
    const run = await runFanout(rayClient(args.values), shards, {
      retries: wholeNumber(args.values, 'retries', 1),
      numCpus: wholeNumber(args.values, 'num-cpus', 1),
      progress: progressFor(io, !json),
    });
    const rows = run.results.map((r) => ({
      shard: r.shard,
      status: r.status,
      node: r.node,
      seconds: r.seconds,
      out: r.out,
      attempts: r.attempts,
      error: r.error,
    }));
    if (json) io.stdout(toJson(rows, 2) + '\n');
    else {
      for (const r of rows)
        io.stdout(
          `${basename(r.shard)}  ${r.status}  node ${r.node?.slice(0, 8) ?? '-'}  ${r.seconds ?? '-'} s  ${r.attempts} attempt(s)  ${r.status === 'ok' ? r.out : r.error}\n`,
        );
      const failed = rows.filter((r) => r.status === 'failed').length;
      io.stderr(`${run.submissionId}: ${rows.length - failed} of ${rows.length} shards ok${failed ? `, ${failed} failed` : ''}\n`);
    }
    return run.results.every((r) => r.status === 'ok') ? 0 : 1;
  },
};
