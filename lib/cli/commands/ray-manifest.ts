import { UsageError } from '../../errors/index.js';
import { fanoutShards, indexedJobManifest, manifestYaml, rayJobManifest } from '../../ray/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { JOB_FLAGS, JOB_LISTS, JOB_VALUES, jobSpecFrom, shardFiles, wholeNumber } from '../ray-options.js';
import type { Command } from './command.js';

/**
 * `skybook ray manifest --kind rayjob|job --name NAME --image IMAGE [job and cluster options] [-o FILE.yaml] -- COMMAND...`:
 * a KubeRay RayJob (ray.io/v1) for a job, or a batch/v1 Indexed Job for a fan-out without Ray.
 *
 * @example
 * skybook ray manifest --kind rayjob --name features --image rayproject/ray:2.60.0 --workers 6 --working-dir https://x/p.zip -o job.yaml -- python fanout.py spec.json
 */
export const rayManifest: Command = {
  name: 'ray manifest',
  usage:
    'skybook ray manifest --kind rayjob|job --name NAME --image IMAGE [--namespace NS] [--ray-version V] [--head-cpus N] [--head-memory Q] [--workers N] [--min-workers N] [--max-workers N] [--worker-cpus N] [--worker-memory Q] [--worker-gpus N] [--ttl S] [--deadline S] [--working-dir URI] [--submission-id ID] [--env K=V]... [--pip REQ]... [--metadata K=V]... [--num-cpus N] [--num-gpus N] [--memory BYTES] [--resource NAME=N]... [--shards FILE|GLOB]... [--out DIR] [--out-name TEMPLATE] [--parallelism N] [--pod-cpus N] [--pod-memory Q] [-o FILE.yaml] -- COMMAND...',
  summary:
    'a Kubernetes manifest for a job: a KubeRay RayJob (its own cluster, deleted after), or an Indexed Job running one pod per shard',
  flags: [
    {
      flag: '--kind rayjob|job',
      help: 'rayjob: KubeRay RayJob (ray.io/v1); job: batch/v1 Indexed Job, JOB_COMPLETION_INDEX picks the shard (required)',
    },
    { flag: '--name NAME', help: "the object's name: lowercase letters, digits, '-' (required)" },
    { flag: '--image IMAGE', help: 'the container image (with Ray for rayjob, with skybook for job) (required)' },
    { flag: '--namespace NS', help: "the namespace (default: kubectl's)" },
    { flag: '--ray-version V', help: 'Ray in the image (default 2.60.0, the version skybook is tested with)' },
    { flag: '--head-cpus N', help: "the head pod's CPUs (default 2)" },
    { flag: '--head-memory Q', help: "the head pod's memory (default 8Gi)" },
    { flag: '--workers N', help: 'worker pods (default 1)' },
    { flag: '--min-workers N', help: 'the autoscaler floor (default --workers)' },
    { flag: '--max-workers N', help: 'the autoscaler ceiling (default --workers)' },
    { flag: '--worker-cpus N', help: "each worker's CPUs (default 2)" },
    { flag: '--worker-memory Q', help: "each worker's memory (default 8Gi)" },
    { flag: '--worker-gpus N', help: "each worker's GPUs (nvidia.com/gpu)" },
    { flag: '--ttl S', help: 'delete the cluster S seconds after the job ends (default 3600)' },
    { flag: '--deadline S', help: 'activeDeadlineSeconds: KubeRay stops the job after S seconds' },
    {
      flag: '--working-dir URI',
      help: "the job's working_dir as a URI the pods can fetch (https://, s3://, gs://); a local folder is refused",
    },
    ...JOB_FLAGS,
    { flag: '--shards FILE|GLOB', help: 'for --kind job: the shard files (repeatable); paths as the pods see them' },
    { flag: '--out DIR', help: 'for --kind job: where {out} points (default /data/out)' },
    { flag: '--out-name TEMPLATE', help: 'for --kind job: output names, with {stem} and {name} (default {stem}.out)' },
    { flag: '--parallelism N', help: 'for --kind job: pods at once (default 4)' },
    { flag: '--pod-cpus N', help: "for --kind job: each pod's CPUs (default 1)" },
    { flag: '--pod-memory Q', help: "for --kind job: each pod's memory (default 2Gi)" },
    { flag: '-o, --out-file FILE', help: 'write the YAML here (atomically); default stdout' },
    { flag: 'COMMAND', help: 'the entrypoint (rayjob) or the per-shard command with {shard} and {out} (job), after --' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      variadic: true,
      values: [
        'kind',
        'name',
        'image',
        'namespace',
        'ray-version',
        'head-cpus',
        'head-memory',
        'workers',
        'min-workers',
        'max-workers',
        'worker-cpus',
        'worker-memory',
        'worker-gpus',
        'ttl',
        'deadline',
        'out',
        'out-name',
        'parallelism',
        'pod-cpus',
        'pod-memory',
        'out-file',
        ...JOB_VALUES,
      ],
      repeatable: ['shards', ...JOB_LISTS],
      aliases: { o: 'out-file' },
    });
    const v = args.values;
    for (const need of ['kind', 'name', 'image']) if (v[need] === undefined) throw new UsageError(`missing --${need}`, { option: need });
    if (v.kind !== 'rayjob' && v.kind !== 'job') throw UsageError.invalid('kind', v.kind!, 'rayjob or job');
    if (args.rest.length === 0) throw new UsageError('missing COMMAND (after --)');
    let manifest: Record<string, unknown>;
    if (v.kind === 'rayjob') {
      const job = jobSpecFrom(args);
      const workers = wholeNumber(v, 'workers', 1);
      const gpus = wholeNumber(v, 'worker-gpus');
      manifest = rayJobManifest(job, {
        name: v.name!,
        ...(v.namespace ? { namespace: v.namespace } : {}),
        cluster: {
          image: v.image!,
          rayVersion: v['ray-version'] ?? '2.60.0',
          head: { cpu: v['head-cpus'] ?? '2', memory: v['head-memory'] ?? '8Gi' },
          workers: {
            replicas: workers,
            minReplicas: wholeNumber(v, 'min-workers', workers),
            maxReplicas: wholeNumber(v, 'max-workers', workers),
            cpu: v['worker-cpus'] ?? '2',
            memory: v['worker-memory'] ?? '8Gi',
            ...(gpus ? { gpu: gpus } : {}),
          },
        },
        ttlSecondsAfterFinished: wholeNumber(v, 'ttl', 3600),
        ...(v.deadline !== undefined ? { activeDeadlineSeconds: wholeNumber(v, 'deadline')! } : {}),
      });
    } else {
      const patterns = args.lists.shards ?? [];
      if (patterns.length === 0) throw new UsageError('--kind job needs --shards FILE|GLOB', { option: 'shards' });
      const shards = fanoutShards(shardFiles(patterns), args.rest, {
        outDir: v.out ?? '/data/out',
        ...(v['out-name'] ? { outName: v['out-name'] } : {}),
      });
      manifest = indexedJobManifest(shards, {
        name: v.name!,
        ...(v.namespace ? { namespace: v.namespace } : {}),
        image: v.image!,
        parallelism: wholeNumber(v, 'parallelism', 4),
        cpu: v['pod-cpus'] ?? '1',
        memory: v['pod-memory'] ?? '2Gi',
      });
    }
    const text = manifestYaml(manifest);
    if (v['out-file']) {
      const sink = await OutputFile.open('-o', v['out-file']);
      try {
        await sink.write(Buffer.from(text));
        await sink.commit();
      } catch (e) {
        await sink.abandon();
        throw e;
      }
      io.stderr(`${v['out-file']}: ${v.kind === 'rayjob' ? 'RayJob' : 'Indexed Job'} ${v.name}\n`);
    } else io.stdout(text);
    return 0;
  },
};
