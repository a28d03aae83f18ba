import { type RayJobDetails, type RayJobSpec, RAY_JOB_SPEC, shellLine } from '../../ray/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';

/**
 * `skybook ray submit [--working-dir DIR] [--submission-id ID] [--env K=V]... [--num-cpus N] [--wait] [--json] -- ENTRYPOINT...`:
 * a job onto a Ray cluster, its working_dir packaged as Ray names it (uploaded only when the cluster lacks it).
 *
 * @example
 * skybook ray submit --working-dir jobs --wait -- python fanout.py --shards 'runs/*.fits'
 */
export const raySubmit: Command = {
  name: 'ray submit',
  usage:
    'skybook ray submit [--address URL] [--working-dir DIR] [--exclude PATTERN]... [--submission-id ID] [--env K=V]... [--pip REQ]... [--metadata K=V]... [--num-cpus N] [--num-gpus N] [--memory BYTES] [--resource NAME=N]... [--wait] [--json] -- ENTRYPOINT...',
  summary: 'submit a job to a Ray cluster (working_dir packaged as Ray names it); --wait streams its log and exits by its outcome',
  flags: [
    RAY_ADDRESS_FLAG,
    {
      flag: '--working-dir DIR',
      help: 'a local folder packed (honouring .gitignore, .rayignore) and uploaded unless Ray has it; or a URI Ray can fetch',
    },
    { flag: '--exclude PATTERN', help: 'a gitwildmatch pattern left out of the working_dir (repeatable)' },
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
    { flag: '--wait', help: 'stream the log until the job ends; exit 0 on SUCCEEDED, 1 on FAILED or STOPPED' },
    { flag: '--json', help: 'print {"submission_id", "job_id", "status", "package"} (the log goes to stderr with --wait)' },
    { flag: 'ENTRYPOINT', help: 'the command line the job runs, after --' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      variadic: true,
      values: ['address', 'working-dir', 'submission-id', 'num-cpus', 'num-gpus', 'memory'],
      repeatable: ['env', 'pip', 'metadata', 'exclude', 'resource'],
      switches: ['wait', 'json'],
    });
    if (args.rest.length === 0) throw new UsageError('missing ENTRYPOINT (after --)');
    const v = args.values;
    const pairs = (name: string) =>
      Object.fromEntries(
        (args.lists[name] ?? []).map((kv) => {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw UsageError.invalid(name, kv, 'K=V');
          return [kv.slice(0, eq), kv.slice(eq + 1)];
        }),
      );
    const number = (name: string) => {
      if (v[name] === undefined) return undefined;
      const n = Number(v[name]);
      if (!Number.isFinite(n) || n < 0) throw UsageError.invalid(name, v[name]!, 'a number >= 0');
      return n;
    };
    const env = pairs('env');
    const resources = Object.fromEntries(Object.entries(pairs('resource')).map(([k, n]) => [k, Number(n)]));
    const spec: RayJobSpec = {
      entrypoint: shellLine(args.rest),
      ...(v['submission-id'] !== undefined ? { submissionId: v['submission-id'] } : {}),
      ...(v['working-dir'] !== undefined || Object.keys(env).length || args.lists.pip
        ? {
            runtimeEnv: {
              ...(v['working-dir'] !== undefined ? { workingDir: v['working-dir'] } : {}),
              ...(args.lists.exclude ? { excludes: args.lists.exclude } : {}),
              ...(Object.keys(env).length ? { envVars: env } : {}),
              ...(args.lists.pip ? { pip: args.lists.pip } : {}),
            },
          }
        : {}),
      ...(args.lists.metadata ? { metadata: pairs('metadata') } : {}),
      ...(number('num-cpus') !== undefined ? { entrypointNumCpus: number('num-cpus')! } : {}),
      ...(number('num-gpus') !== undefined ? { entrypointNumGpus: number('num-gpus')! } : {}),
      ...(number('memory') !== undefined ? { entrypointMemory: Math.round(number('memory')!) } : {}),
      ...(Object.keys(resources).length ? { entrypointResources: resources } : {}),
    };
    const checked = RAY_JOB_SPEC.safeParse(spec);
    if (!checked.success) throw new UsageError(checked.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`).join('; '));
    const json = args.switches.has('json');
    const ray = rayClient(v);
    const job = await ray.submit(checked.data);
    const pkg = job.package
      ? { uri: job.package.uri, files: job.package.files, bytes: job.package.bytes, uploaded: job.package.uploaded }
      : null;
    if (!json)
      io.stderr(
        `submitted ${job.submissionId} to ${ray.address}${pkg ? ` (working_dir ${pkg.uri}, ${pkg.files} files, ${pkg.uploaded ? 'uploaded' : 'already on the cluster'})` : ''}\n`,
      );
    let final: RayJobDetails | undefined;
    if (args.switches.has('wait')) {
      const log = json ? io.stderr : io.stdout;
      for await (const chunk of ray.tailLogs(job.submissionId)) log(chunk);
      final = await ray.wait(job.submissionId);
      if (!json) io.stderr(`${job.submissionId}: ${final.status}${final.message ? ` (${final.message})` : ''}\n`);
    }
    const status = final?.status ?? (await ray.status(job.submissionId)).status;
    if (json)
      io.stdout(
        toJson({ submission_id: job.submissionId, job_id: job.jobId, status, message: final?.message ?? null, package: pkg }, 2) + '\n',
      );
    else if (!final) io.stdout(`${job.submissionId}\n`);
    return final && final.status !== 'SUCCEEDED' ? 1 : 0;
  },
};
