import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RayError } from '../../lib/errors/index.js';
import { fanoutShards, indexedJobManifest, manifestYaml, type RayClusterShape, rayJobManifest } from '../../lib/ray/index.js';
import { skybookInProcess } from '../helpers/cli.js';
import { crdValidator } from '../helpers/crd-schema.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const CRD = join(FIXTURES, 'k8s', 'ray.io_rayjobs.yaml');
const cluster: RayClusterShape = {
  image: 'rayproject/ray:2.60.0-py311',
  rayVersion: '2.60.0',
  head: { cpu: '2', memory: '8Gi' },
  workers: { replicas: 6, minReplicas: 1, maxReplicas: 6, cpu: '4', memory: '16Gi' },
};
const spec = {
  entrypoint: 'python fanout.py spec.json',
  submissionId: 'quasar-features-dr1',
  runtimeEnv: { workingDir: 'https://data.lab.example/skybook/_ray_pkg_cdf81c5e5992d558.zip', envVars: { OMP_NUM_THREADS: '1' } },
  metadata: { project: 'quasar-features' },
  entrypointNumCpus: 1,
};

/** Compares with the golden file; SKYBOOK_UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function golden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.SKYBOOK_UPDATE_GOLDEN === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('Kubernetes manifests', () => {
  it('a RayJob: the golden file, the same spec fields, a local working_dir refused', () => {
    const m = rayJobManifest(spec, { name: 'quasar-features', namespace: 'astro', cluster, activeDeadlineSeconds: 86_400 });
    golden('rayjob.yaml', manifestYaml(m));
    const s = (m as { spec: Record<string, unknown> }).spec;
    expect(s).toMatchObject({
      entrypoint: spec.entrypoint,
      jobId: spec.submissionId,
      entrypointNumCpus: 1,
      shutdownAfterJobFinishes: true,
    });
    expect(parse(s.runtimeEnvYAML as string)).toEqual({ working_dir: spec.runtimeEnv.workingDir, env_vars: { OMP_NUM_THREADS: '1' } });
    expect(() => rayJobManifest({ ...spec, runtimeEnv: { workingDir: 'jobs/' } }, { name: 'x', cluster })).toThrow(RayError);
    expect(() => rayJobManifest(spec, { name: 'Bad_Name', cluster })).toThrow(/lowercase letters/);
  });

  it('an Indexed Job: one completion per shard, each index runs its own command', () => {
    const shards = fanoutShards(
      ['/data/a.fits', '/data/b.fits', "/data/it's.fits"],
      ['skybook', 'quasar', 'features', '{shard}', '--out', '{out}'],
      {
        outDir: '/data/out',
        outName: '{stem}.parquet',
      },
    );
    const m = indexedJobManifest(shards, { name: 'features', image: 'ghcr.io/lab/skybook:0.1.0', parallelism: 7, cpu: '2', memory: '4Gi' });
    golden('indexed-job.yaml', manifestYaml(m));
    const s = (m as { spec: { completions: number; parallelism: number; completionMode: string } }).spec;
    expect([s.completionMode, s.completions, s.parallelism]).toEqual(['Indexed', 3, 3]);
    expect(manifestYaml(m)).toContain(`2) skybook quasar features '/data/it'\\''s.fits' --out '/data/out/it'\\''s.parquet' ;;`);
  });
});

describe.skipIf(!HAVE_FIXTURES)("the RayJob against KubeRay's CRD schema (../shared/fixtures/k8s)", () => {
  const validate = HAVE_FIXTURES ? crdValidator(CRD, 'v1') : undefined;

  it("KubeRay's own sample validates (the validator works), ours too; a misspelt field and a wrong type fail", () => {
    const sample = parseAllDocuments(readFileSync(join(FIXTURES, 'k8s', 'ray-job.sample.yaml'), 'utf8'))[0]!.toJS();
    expect(validate!(sample), JSON.stringify(validate!.errors)).toBe(true);
    const ours = rayJobManifest(spec, { name: 'quasar-features', cluster, ttlSecondsAfterFinished: 600, backoffLimit: 2 });
    expect(validate!(ours), JSON.stringify(validate!.errors)).toBe(true);
    const misspelt = structuredClone(ours) as { spec: Record<string, unknown> };
    misspelt.spec.shutdownAfterJobFinish = misspelt.spec.shutdownAfterJobFinishes;
    delete misspelt.spec.shutdownAfterJobFinishes;
    expect(validate!(misspelt)).toBe(false);
    expect(
      validate!.errors!.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'shutdownAfterJobFinish'),
    ).toBe(true);
    const deep = structuredClone(ours) as { spec: { rayClusterSpec: { workerGroupSpecs: Record<string, unknown>[] } } };
    deep.spec.rayClusterSpec.workerGroupSpecs[0]!.replica = 3;
    expect(validate!(deep)).toBe(false);
    const typed = structuredClone(ours) as { spec: Record<string, unknown> };
    typed.spec.ttlSecondsAfterFinished = 'soon';
    expect(validate!(typed)).toBe(false);
  });

  it('skybook ray manifest --kind rayjob -o FILE writes what validates; --kind job the Indexed Job', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'runs');
    const out = join(dir, `rayjob-${process.pid}.yaml`);
    const r = await skybookInProcess([
      'ray',
      'manifest',
      '--kind',
      'rayjob',
      '--name',
      'fanout',
      '--image',
      'rayproject/ray:2.60.0',
      '--ray-version',
      '2.60.0',
      '--workers',
      '6',
      '--worker-cpus',
      '4',
      '--worker-memory',
      '16Gi',
      '--working-dir',
      'https://x.example/p.zip',
      '--env',
      'A=1',
      '--num-cpus',
      '1',
      '-o',
      out,
      '--',
      'python',
      'fanout.py',
      'spec.json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const m = parse(readFileSync(out, 'utf8'));
    expect(validate!(m), JSON.stringify(validate!.errors)).toBe(true);
    expect(m.spec.rayClusterSpec.workerGroupSpecs[0].replicas).toBe(6);
    const job = await skybookInProcess([
      'ray',
      'manifest',
      '--kind',
      'job',
      '--name',
      'fanout',
      '--image',
      'ghcr.io/lab/skybook:0.1.0',
      '--shards',
      '/data/a.fits',
      '--shards',
      '/data/b.fits',
      '--',
      'skybook',
      'fits',
      'info',
      '{shard}',
    ]);
    expect(job.code, job.stderr).toBe(0);
    expect(parse(job.stdout)).toMatchObject({ kind: 'Job', spec: { completionMode: 'Indexed', completions: 2 } });
    const bad = await skybookInProcess([
      'ray',
      'manifest',
      '--kind',
      'rayjob',
      '--name',
      'x',
      '--image',
      'i',
      '--working-dir',
      'jobs',
      '--',
      'python',
      'x.py',
    ]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('is a local folder')]);
  });
});

describe.skipIf(HAVE_FIXTURES)("the RayJob against KubeRay's CRD schema", () => {
  it.skip(NO_FIXTURES_MESSAGE, () => {});
});
