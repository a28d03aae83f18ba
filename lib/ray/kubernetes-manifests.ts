import { stringify } from 'yaml';
import { RayError } from '../errors/index.js';
import type { FanoutShard } from './fanout.js';
import { RAY_JOB_SPEC, type RayJobSpec } from './job-spec.js';

/**
 * The cluster a KubeRay RayJob brings up for its job: the image (with Ray inside, at `rayVersion`), the head's and
 * each worker's CPU and memory (Kubernetes quantities: "2", "8Gi"), GPUs per worker, and the worker group's size
 * (replicas, between min and max for the autoscaler).
 *
 * @example
 * const c: RayClusterShape = { image: 'rayproject/ray:2.60.0', rayVersion: '2.60.0', head: { cpu: '2', memory: '8Gi' }, workers: { replicas: 6, cpu: '4', memory: '16Gi' } };
 */
export interface RayClusterShape {
  image: string;
  rayVersion: string;
  head: { cpu: string; memory: string };
  workers: { groupName?: string; replicas: number; minReplicas?: number; maxReplicas?: number; cpu: string; memory: string; gpu?: number };
}

/**
 * Options of {@link rayJobManifest}: the object's name (and namespace), the cluster, and KubeRay's lifecycle fields:
 * delete the cluster when the job ends (default true) after `ttlSecondsAfterFinished` (default 3600), a deadline, how
 * many times KubeRay retries the whole job.
 *
 * @example
 * const o: RayJobManifestOptions = { name: 'quasar-features', cluster, activeDeadlineSeconds: 86_400 };
 */
export interface RayJobManifestOptions {
  name: string;
  namespace?: string;
  cluster: RayClusterShape;
  shutdownAfterJobFinishes?: boolean;
  ttlSecondsAfterFinished?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkName(name: string, scope: string): void {
  if (!K8S_NAME.test(name))
    throw new RayError(`name ${JSON.stringify(name)}: Kubernetes wants lowercase letters, digits and '-', 1-63 characters`, { scope }, 2);
}

function resources(cpu: string, memory: string, gpu?: number) {
  const r: Record<string, string> = { cpu, memory };
  if (gpu) r['nvidia.com/gpu'] = String(gpu);
  return { requests: { ...r }, limits: { ...r } };
}

/**
 * The runtime environment as KubeRay's `runtimeEnvYAML` carries it. A local working_dir cannot travel in a manifest
 * (a new cluster has no package of it): it must be a URI the pods can fetch (https://.../x.zip, s3://..., gs://...).
 */
function runtimeEnvYaml(spec: RayJobSpec): string | undefined {
  const env = spec.runtimeEnv;
  if (!env) return undefined;
  const out: Record<string, unknown> = {};
  if (env.workingDir !== undefined) {
    if (!/^(https?|s3|gs|gcs):\/\//.test(env.workingDir))
      throw new RayError(
        `working_dir ${env.workingDir} is a local folder: a RayJob's new cluster cannot read it; upload its zip (packageWorkingDir) where the pods can fetch it (https://, s3://, gs://) and give that URI`,
        { scope: 'rayJobManifest' },
        2,
      );
    out.working_dir = env.workingDir;
  }
  if (env.excludes) out.excludes = env.excludes;
  if (env.envVars) out.env_vars = env.envVars;
  if (env.pip) out.pip = env.pip;
  return stringify(out);
}

/**
 * A KubeRay `RayJob` (ray.io/v1) for a job spec: KubeRay creates the cluster (a head group and one worker group from
 * `cluster`), submits the entrypoint with its runtime environment and entrypoint resources, and (by default) deletes
 * the cluster an hour after the job ends. The object validates against KubeRay's CRD schema
 * (test/ray/kubernetes-manifests.test.ts checks it strictly).
 *
 * @example
 * writeFileSync('job.yaml', stringify(rayJobManifest({ entrypoint: 'python fanout.py spec.json' }, { name: 'fanout', cluster })));
 */
export function rayJobManifest(spec: RayJobSpec, options: RayJobManifestOptions): Record<string, unknown> {
  const job = RAY_JOB_SPEC.parse(spec);
  checkName(options.name, 'rayJobManifest');
  const { cluster } = options;
  const w = cluster.workers;
  const envYaml = runtimeEnvYaml(job);
  const pod = (name: string, cpu: string, memory: string, gpu?: number, ports?: { containerPort: number; name: string }[]) => ({
    spec: { containers: [{ name, image: cluster.image, ...(ports ? { ports } : {}), resources: resources(cpu, memory, gpu) }] },
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name: options.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'skybook' },
    },
    spec: {
      entrypoint: job.entrypoint,
      ...(job.submissionId ? { jobId: job.submissionId } : {}),
      ...(envYaml ? { runtimeEnvYAML: envYaml } : {}),
      ...(job.metadata ? { metadata: job.metadata } : {}),
      ...(job.entrypointNumCpus !== undefined ? { entrypointNumCpus: job.entrypointNumCpus } : {}),
      ...(job.entrypointNumGpus !== undefined ? { entrypointNumGpus: job.entrypointNumGpus } : {}),
      // The entrypoint's memory is a Ray resource like any other: KubeRay has no field of its own for it.
      ...(job.entrypointResources || job.entrypointMemory !== undefined
        ? {
            entrypointResources: JSON.stringify({
              ...job.entrypointResources,
              ...(job.entrypointMemory !== undefined ? { memory: job.entrypointMemory } : {}),
            }),
          }
        : {}),
      shutdownAfterJobFinishes: options.shutdownAfterJobFinishes ?? true,
      ttlSecondsAfterFinished: options.ttlSecondsAfterFinished ?? 3600,
      ...(options.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: options.activeDeadlineSeconds } : {}),
      ...(options.backoffLimit !== undefined ? { backoffLimit: options.backoffLimit } : {}),
      rayClusterSpec: {
        rayVersion: cluster.rayVersion,
        headGroupSpec: {
          // The head runs the driver only: no tasks scheduled on it.
          rayStartParams: { 'num-cpus': '0' },
          template: pod('ray-head', cluster.head.cpu, cluster.head.memory, undefined, [
            { containerPort: 6379, name: 'gcs-server' },
            { containerPort: 8265, name: 'dashboard' },
            { containerPort: 10001, name: 'client' },
          ]),
        },
        workerGroupSpecs: [
          {
            groupName: w.groupName ?? 'workers',
            replicas: w.replicas,
            minReplicas: w.minReplicas ?? w.replicas,
            maxReplicas: w.maxReplicas ?? w.replicas,
            rayStartParams: {},
            template: pod('ray-worker', w.cpu, w.memory, w.gpu),
          },
        ],
      },
    },
  };
}

/**
 * A Kubernetes Indexed Job (batch/v1) running a fan-out without Ray: one pod per shard (completions = shards), at most
 * `parallelism` at a time, each picking its shard's command by JOB_COMPLETION_INDEX; a failed pod is retried up to
 * `backoffLimitPerIndex` times for its own index. Paths must be the pods' (a shared volume mounted at the same place).
 *
 * @example
 * indexedJobManifest(fanoutShards(files, cmd, { outDir: '/data/out' }), { name: 'features', image: 'ghcr.io/lab/skybook:0.1.0', parallelism: 7, cpu: '2', memory: '4Gi' });
 */
export function indexedJobManifest(
  shards: readonly FanoutShard[],
  options: {
    name: string;
    namespace?: string;
    image: string;
    parallelism: number;
    cpu: string;
    memory: string;
    backoffLimitPerIndex?: number;
  },
): Record<string, unknown> {
  checkName(options.name, 'indexedJobManifest');
  if (shards.length === 0) throw new RayError('no shards', { scope: 'indexedJobManifest' }, 2);
  const cases = shards.map((s, i) => `  ${i}) ${s.command} ;;`).join('\n');
  const script = `set -e\ncase "$JOB_COMPLETION_INDEX" in\n${cases}\n  *) echo "no shard for index $JOB_COMPLETION_INDEX" >&2; exit 2 ;;\nesac\n`;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: options.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'skybook' },
    },
    spec: {
      completionMode: 'Indexed',
      completions: shards.length,
      parallelism: Math.min(options.parallelism, shards.length),
      backoffLimitPerIndex: options.backoffLimitPerIndex ?? 1,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'shard', image: options.image, command: ['sh', '-c', script], resources: resources(options.cpu, options.memory) },
          ],
        },
      },
    },
  };
}

/** A manifest as YAML, keys in the order built (golden files compare it byte for byte). @example manifestYaml(rayJobManifest(spec, opts)) */
export function manifestYaml(manifest: Record<string, unknown>): string {
  return stringify(manifest, { lineWidth: 0 });
}
