import { globSync } from 'tinyglobby';
import { UsageError } from '../errors/index.js';
import { RAY_JOB_SPEC, RayJobsClient, type RayJobSpec, shellLine } from '../ray/index.js';
import type { ParsedArgs } from './args.js';
import type { FlagHelp } from './commands/command.js';

/** The options every `skybook ray` command shares, for its --help. */
export const RAY_ADDRESS_FLAG = {
  flag: '--address URL',
  help: 'the Ray dashboard (Jobs API), e.g. http://127.0.0.1:8265 (default: RAY_ADDRESS, else http://127.0.0.1:8265); RAY_JOB_HEADERS (JSON) adds headers such as a token',
};

/** A Jobs API client for the command's `--address`. @example const ray = rayClient(args.values); */
export function rayClient(values: Record<string, string>): RayJobsClient {
  return new RayJobsClient(values.address !== undefined ? { address: values.address } : {});
}

/** The job options `ray submit` and `ray manifest` share: their --help lines, and the names parseArgs takes. */
export const JOB_FLAGS: readonly FlagHelp[] = [
  {
    flag: '--submission-id ID',
    help: 'the job id (default: raysubmit_ and 16 random characters); a retried submit with it never makes a second job',
  },
  { flag: '--env K=V', help: "an environment variable of the job's processes (repeatable)" },
  { flag: '--pip REQ', help: 'a pip requirement installed for the job (repeatable)' },
  { flag: '--metadata K=V', help: 'a string the job carries in its details (repeatable)' },
  { flag: '--num-cpus N', help: 'CPUs reserved for the entrypoint (the driver); it runs on the head unless resources say otherwise' },
  { flag: '--num-gpus N', help: 'GPUs reserved for the entrypoint' },
  { flag: '--memory BYTES', help: 'memory reserved for the entrypoint' },
  { flag: '--resource NAME=N', help: 'a custom resource the entrypoint needs (repeatable)' },
];
export const JOB_VALUES = ['working-dir', 'submission-id', 'num-cpus', 'num-gpus', 'memory'] as const;
export const JOB_LISTS = ['env', 'pip', 'metadata', 'exclude', 'resource'] as const;

/** `K=V` options as an object; one without `=` is a usage error naming it. @example kvPairs(args, 'env') // { A: '1' } */
export function kvPairs(args: ParsedArgs, name: string): Record<string, string> {
  return Object.fromEntries(
    (args.lists[name] ?? []).map((kv) => {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw UsageError.invalid(name, kv, 'K=V');
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    }),
  );
}

/**
 * The job a command's options describe (entrypoint: the words after --, quoted for the shell), validated; a bad value
 * is a usage error naming the field. `memory` is for `ray submit`, where the entrypoint's memory is a Ray resource.
 *
 * @example
 * const spec = jobSpecFrom(parseArgs(argv, { ... })); await rayClient(args.values).submit(spec);
 */
export function jobSpecFrom(args: ParsedArgs): RayJobSpec {
  const v = args.values;
  if (args.rest.length === 0) throw new UsageError('missing ENTRYPOINT (after --)');
  const number = (name: string) => {
    if (v[name] === undefined) return undefined;
    const n = Number(v[name]);
    if (!Number.isFinite(n) || n < 0) throw UsageError.invalid(name, v[name]!, 'a number >= 0');
    return n;
  };
  const env = kvPairs(args, 'env');
  const resources = Object.fromEntries(Object.entries(kvPairs(args, 'resource')).map(([k, n]) => [k, Number(n)]));
  const runtimeEnv = {
    ...(v['working-dir'] !== undefined ? { workingDir: v['working-dir'] } : {}),
    ...(args.lists.exclude ? { excludes: args.lists.exclude } : {}),
    ...(Object.keys(env).length ? { envVars: env } : {}),
    ...(args.lists.pip ? { pip: args.lists.pip } : {}),
  };
  const cpus = number('num-cpus');
  const gpus = number('num-gpus');
  const memory = number('memory');
  const checked = RAY_JOB_SPEC.safeParse({
    entrypoint: shellLine(args.rest),
    ...(v['submission-id'] !== undefined ? { submissionId: v['submission-id'] } : {}),
    ...(Object.keys(runtimeEnv).length ? { runtimeEnv } : {}),
    ...(args.lists.metadata ? { metadata: kvPairs(args, 'metadata') } : {}),
    ...(cpus !== undefined ? { entrypointNumCpus: cpus } : {}),
    ...(gpus !== undefined ? { entrypointNumGpus: gpus } : {}),
    ...(memory !== undefined ? { entrypointMemory: Math.round(memory) } : {}),
    ...(Object.keys(resources).length ? { entrypointResources: resources } : {}),
  });
  if (!checked.success) throw new UsageError(checked.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`).join('; '));
  return checked.data;
}

/**
 * A whole-number option (>= 0), or `dflt` when it is not given; anything else is a usage error naming it.
 *
 * @example
 * wholeNumber(args.values, 'retries', 1); // 1 without --retries
 */
export function wholeNumber(values: Record<string, string>, name: string, dflt: number): number;
export function wholeNumber(values: Record<string, string>, name: string): number | undefined;
export function wholeNumber(values: Record<string, string>, name: string, dflt?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw UsageError.invalid(name, v, 'a whole number >= 0');
  return n;
}

/**
 * The files `--shards` names: each glob expanded (sorted), plain paths kept as given, duplicates dropped; globs that
 * match nothing at all are a usage error.
 *
 * @example
 * shardFiles(['runs/survey/**\/coadd-*.fits']); // ['/abs/.../coadd-main-dark-26197.fits', ...]
 */
export function shardFiles(patterns: readonly string[]): string[] {
  const files = [...new Set(patterns.flatMap((p) => (/[*?[{]/.test(p) ? globSync(p, { absolute: true }).sort() : [p])))];
  if (files.length === 0) throw new UsageError(`--shards ${patterns.join(' ')} matches no file`, { option: 'shards' });
  return files;
}
