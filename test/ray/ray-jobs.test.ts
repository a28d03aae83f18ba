import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RayError } from '../../lib/errors/index.js';
import { MlMatrixWriter, OnnxScorer, readMlMatrix } from '../../lib/quasar/index.js';
import { packageWorkingDir, RayJobsClient, type RayJobStatus } from '../../lib/ray/index.js';
import { CLI, ROOT, skybookInProcess } from '../helpers/cli.js';
import { mockMlMatrix } from '../helpers/mock-ml-matrix.js';
import { faultProxy } from '../helpers/fault-proxy.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { PG_URL, pgUrlFor, uniqueSchema, withSchema } from '../store/store-helpers.js';
import pg from 'pg';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';
import { readNotebook } from '../../lib/notebook/index.js';
import { NO_RAY_MESSAGE, RAY, startRayCluster } from '../helpers/ray-cluster.js';

if (!RAY) console.warn(NO_RAY_MESSAGE);
const PYTHON = RAY ? join(RAY, '..', 'python') : '';

let cluster: Awaited<ReturnType<typeof startRayCluster>>;
let ray: RayJobsClient;
let work: string;

beforeAll(async () => {
  if (!RAY) return;
  cluster = await startRayCluster({ nodes: 2 });
  ray = new RayJobsClient({ address: cluster.address });
  work = mkdtempSync(join(tmpdir(), 'sb-ray-'));
}, 180_000);

afterAll(() => {
  cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The files of the mock survey the fan-out test makes (work/survey) whose names start with `prefix`, in folder order. */
function surveyFiles(prefix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith(prefix)) out.push(join(d, e.name));
  };
  walk(join(work, 'survey', 'spectro'));
  return out;
}

/** A working_dir with code, an ignored build folder, a nested .gitignore, a .rayignore and an empty folder. */
function workingDir(name: string, script: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'lib', 'cache'), { recursive: true });
  mkdirSync(join(dir, 'build'), { recursive: true });
  mkdirSync(join(dir, 'empty'), { recursive: true });
  writeFileSync(join(dir, 'job.py'), script);
  writeFileSync(join(dir, 'lib', 'helper.py'), 'GREETING = "hello from the working_dir"\n');
  writeFileSync(join(dir, 'lib', 'cache', 'big.bin'), Buffer.alloc(4096, 7));
  writeFileSync(join(dir, 'lib', '.gitignore'), 'cache/\n');
  writeFileSync(join(dir, 'build', 'out.o'), 'object');
  writeFileSync(join(dir, '.gitignore'), 'build/\n*.log\n');
  writeFileSync(join(dir, 'run.log'), 'not packed');
  writeFileSync(join(dir, 'data.parquet'), 'not packed either');
  writeFileSync(join(dir, '.rayignore'), '*.parquet\n');
  return dir;
}

describe.skipIf(!RAY)('lib/ray against a real local Ray cluster (head + 1 node)', () => {
  it('version: the dashboard answers with the pinned Ray', async () => {
    const v = await ray.version();
    expect(v.ray_version).toBe('2.60.0');
  });

  it("packageWorkingDir: the package name is Ray's own (its packaging module, run here), the zip the same bytes twice", async () => {
    const dir = workingDir('hash', 'print(1)\n');
    const pkg = await packageWorkingDir(dir, { excludes: ['*.txt'] });
    const r = spawnSync(
      PYTHON,
      [
        '-c',
        'import sys; from ray._private.runtime_env.packaging import get_uri_for_directory as u; print(u(sys.argv[1], include_gitignore=True, excludes=["*.txt"]))',
        dir,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(pkg.uri).toBe(r.stdout.trim());
    // job.py, lib/helper.py, lib/.gitignore, .gitignore, .rayignore: not build/, cache/, *.log, *.parquet.
    expect(pkg.files).toBe(5);
    expect((await packageWorkingDir(dir, { excludes: ['*.txt'] })).zip.equals(pkg.zip)).toBe(true);
    writeFileSync(join(dir, 'job.py'), 'print(2)\n');
    expect((await packageWorkingDir(dir, { excludes: ['*.txt'] })).uri).not.toBe(pkg.uri);
  });

  it('submit with a packaged working_dir: PENDING/RUNNING -> SUCCEEDED, the log streamed while it runs, the package reused', async () => {
    const gate = join(work, 'gate-1');
    const dir = workingDir(
      'streaming',
      [
        'import os, time',
        'from lib.helper import GREETING',
        'print(GREETING, flush=True)',
        // Waits for the test to have seen the first line: proof that the log arrives while the job runs.
        'while not os.path.exists(os.environ["GATE"]): time.sleep(0.05)',
        'print("after the gate", flush=True)',
      ].join('\n'),
    );
    const job = await ray.submit({ entrypoint: 'python job.py', runtimeEnv: { workingDir: dir, envVars: { GATE: gate } } });
    expect(job.package?.uploaded).toBe(true);
    const seen: RayJobStatus[] = [];
    const watching = ray.wait(job.submissionId, { onStatus: (d) => seen.push(d.status), timeoutMs: 120_000 });
    let log = '';
    for await (const chunk of ray.tailLogs(job.submissionId)) {
      log += chunk;
      if (log.includes('hello from the working_dir') && !existsSync(gate)) {
        expect((await ray.status(job.submissionId)).status).toBe('RUNNING');
        writeFileSync(gate, '');
      }
    }
    const done = await watching;
    expect(done.status).toBe('SUCCEEDED');
    expect(log).toMatch(/hello from the working_dir[\s\S]*after the gate/);
    expect(seen.at(-1)).toBe('SUCCEEDED');
    expect(seen).toContain('RUNNING');
    expect(['PENDING', 'RUNNING']).toContain(seen[0]);
    expect(done.runtime_env?.working_dir).toBe(job.package!.uri);
    // The same tree again: Ray already holds it, nothing is uploaded.
    const again = await ray.submit({ entrypoint: 'python job.py', runtimeEnv: { workingDir: dir, envVars: { GATE: gate } } });
    expect(again.package).toMatchObject({ uri: job.package!.uri, uploaded: false });
    expect((await ray.wait(again.submissionId, { timeoutMs: 120_000 })).status).toBe('SUCCEEDED');
  }, 180_000);

  it("a failing job is FAILED with the driver's message; logs hold its output", async () => {
    const job = await ray.submit({ entrypoint: `python -c "import sys; print('about to fail'); sys.exit('boom: bad shard')"` });
    const done = await ray.wait(job.submissionId, { timeoutMs: 120_000 });
    expect(done.status).toBe('FAILED');
    expect(done.message).toMatch(/exit code 1|failed/i);
    const logs = await ray.logs(job.submissionId);
    expect(logs).toContain('about to fail');
    expect(logs).toContain('boom: bad shard');
  }, 180_000);

  it('stop a running job -> STOPPED; delete it; list; an unknown id is a RayError (exit 2)', async () => {
    const job = await ray.submit({
      entrypoint: `python -c "import time; print('sleeping', flush=True); time.sleep(600)"`,
      submissionId: `sleeper-${Date.now()}`,
    });
    for await (const chunk of ray.tailLogs(job.submissionId)) if (chunk.includes('sleeping')) break;
    expect(await ray.stop(job.submissionId)).toBe(true);
    expect((await ray.wait(job.submissionId, { timeoutMs: 60_000 })).status).toBe('STOPPED');
    expect((await ray.list()).filter((j) => j.submission_id === job.submissionId)).toHaveLength(1);
    expect(await ray.delete(job.submissionId)).toBe(true);
    expect((await ray.list()).some((j) => j.submission_id === job.submissionId)).toBe(false);
    const unknown = await ray.status('raysubmit_nosuchjob000').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RayError);
    expect((unknown as RayError).exitCode).toBe(2);
    expect((unknown as RayError).message).toMatch(/job raysubmit_nosuchjob000: no such job/);
  }, 180_000);

  it('faults through a proxy: 503s and resets are retried, a submit whose answer was lost exists exactly once', async () => {
    const port = Number(new URL(cluster.address).port);
    const proxy = await faultProxy(port);
    try {
      const client = new RayJobsClient({ address: proxy.url, retry: { retries: 5, baseMs: 20, maxMs: 200 } });
      proxy.faults.push('503', 'reset', 'pass');
      expect((await client.version()).ray_version).toBe('2.60.0');
      expect(proxy.requests.slice(0, 3)).toEqual([
        '503 GET /api/version HTTP/1.1',
        'reset GET /api/version HTTP/1.1',
        'pass GET /api/version HTTP/1.1',
      ]);
      // The POST reaches Ray, its answer is lost: the retry finds the job and takes it as its own.
      const id = `once-${Date.now()}`;
      proxy.faults.push('reset-after-forward');
      const job = await client.submit({ entrypoint: 'python -c "print(1)"', submissionId: id });
      expect(job).toMatchObject({ submissionId: id, alreadySubmitted: true });
      expect(proxy.requests.filter((r) => r.includes('POST /api/jobs/'))).toHaveLength(1);
      expect((await ray.list()).filter((j) => j.submission_id === id)).toHaveLength(1);
      expect((await client.wait(id, { timeoutMs: 120_000 })).status).toBe('SUCCEEDED');
    } finally {
      proxy.close();
    }
  }, 180_000);

  it('the dashboard going away mid-watch: a clear RayError (exit 1), not a hang or a silent end', async () => {
    const port = Number(new URL(cluster.address).port);
    const proxy = await faultProxy(port);
    const client = new RayJobsClient({ address: proxy.url, retry: { retries: 2, baseMs: 20, maxMs: 100 } });
    const job = await client.submit({ entrypoint: `python -c "import time; print('up', flush=True); time.sleep(600)"` });
    const tail = (async () => {
      for await (const chunk of client.tailLogs(job.submissionId)) if (chunk.includes('up')) proxy.cut();
    })().catch((e: unknown) => e);
    const err = (await tail) as RayError;
    expect(err).toBeInstanceOf(RayError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/lost the dashboard|closed before the job ended|cannot reach the Ray dashboard/);
    expect(err.message).toContain(job.submissionId);
    const waited = (await client.wait(job.submissionId).catch((e: unknown) => e)) as RayError;
    expect(waited.message).toMatch(/cannot reach the Ray dashboard \(ECONNREFUSED\)/);
    await ray.stop(job.submissionId);
  }, 180_000);
});

describe.skipIf(!RAY)('skybook ray submit | status | logs | stop | delete | list against the same cluster', () => {
  it('submit --working-dir --wait --json: the log streamed to stderr, {"submission_id", "status"} on stdout, exit 0; status, logs, list, delete', async () => {
    const dir = workingDir('cli', 'from lib.helper import GREETING\nprint(GREETING, "via the CLI")\n');
    const r = await skybookInProcess([
      'ray',
      'submit',
      '--address',
      cluster.address,
      '--working-dir',
      dir,
      '--metadata',
      'who=test',
      '--wait',
      '--json',
      '--',
      'python',
      'job.py',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ status: 'SUCCEEDED', package: { files: 5 } });
    expect(j.submission_id).toMatch(/^raysubmit_/);
    expect(r.stderr).toContain('hello from the working_dir via the CLI');
    const st = await skybookInProcess(['ray', 'status', j.submission_id, '--address', cluster.address, '--json']);
    expect(JSON.parse(st.stdout)).toMatchObject({ status: 'SUCCEEDED', entrypoint: 'python job.py', metadata: { who: 'test' } });
    const logs = await skybookInProcess(['ray', 'logs', j.submission_id, '--address', cluster.address]);
    expect(logs.stdout).toContain('via the CLI');
    const list = await skybookInProcess(['ray', 'list', '--address', cluster.address, '--json']);
    expect(JSON.parse(list.stdout).map((x: { submission_id: string }) => x.submission_id)).toContain(j.submission_id);
    const del = await skybookInProcess(['ray', 'delete', j.submission_id, '--address', cluster.address, '--json']);
    expect(JSON.parse(del.stdout)).toEqual({ submission_id: j.submission_id, deleted: true });
  }, 180_000);

  it('a failing job: --wait exits 1 with FAILED; stop --wait -> STOPPED; an unknown id exits 2; no cluster exits 1', async () => {
    const failed = await skybookInProcess([
      'ray',
      'submit',
      '--address',
      cluster.address,
      '--wait',
      '--',
      'python',
      '-c',
      'import sys; sys.exit(3)',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/: FAILED \(.*exit code 3/);
    const id = `cli-sleeper-${Date.now()}`;
    const sub = await skybookInProcess([
      'ray',
      'submit',
      '--address',
      cluster.address,
      '--submission-id',
      id,
      '--',
      'python',
      '-c',
      'import time; time.sleep(600)',
    ]);
    expect([sub.code, sub.stdout]).toEqual([0, `${id}\n`]);
    const stop = await skybookInProcess(['ray', 'stop', id, '--address', cluster.address, '--wait', '--json']);
    expect(JSON.parse(stop.stdout)).toMatchObject({ submission_id: id, stopped: true, status: 'STOPPED' });
    const unknown = await skybookInProcess(['ray', 'status', 'raysubmit_nosuchjob000', '--address', cluster.address]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('job raysubmit_nosuchjob000: no such job');
    const none = await skybookInProcess(['ray', 'list', '--address', 'http://127.0.0.1:9']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/cannot reach the Ray dashboard \(ECONNREFUSED\)/);
    const usage = await skybookInProcess(['ray', 'submit', '--address', cluster.address]);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('missing ENTRYPOINT')]);
  }, 180_000);
});

describe.skipIf(!RAY)('skybook ray fanout over the two nodes', () => {
  it('6 shards: outputs identical to local runs, spread over both nodes, a flaky shard retried, a broken one reported while 5 complete', async () => {
    const survey = join(work, 'survey');
    const made = spawnSync(
      process.execPath,
      [CLI, 'datasets', 'make', '--preset', 'small', '--seed', '3', '--out', survey, '--spectra', 'all'],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const coadds = surveyFiles('coadd-');
    // Five real coadd files where they lie (their redrock files beside them give the redshifts) and one that is not FITS.
    const inputs = coadds.slice(0, 5);
    const flaky = inputs[4]!.split('/').at(-1)!;
    const broken = join(work, 'broken-coadd.fits');
    writeFileSync(broken, 'not FITS');
    // The planted faults live in the command, keyed by the shard's name: a real node runs it, fails or not.
    const script = join(work, 'features.sh');
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$(basename "$1")" in',
        '  broken*) echo "planted: this shard always fails" >&2; exit 5;;',
        `  ${flaky}) if [ ! -e "$2.tried" ]; then touch "$2.tried"; echo "planted: first attempt fails" >&2; exit 6; fi;;`,
        'esac',
        `exec "${process.execPath}" "${CLI}" quasar features "$1" --out "$2"`,
      ].join('\n') + '\n',
    );
    chmodSync(script, 0o755);
    const out = join(work, 'fanout-out');
    const r = await skybookInProcess([
      'ray',
      'fanout',
      '--address',
      cluster.address,
      ...inputs.flatMap((f) => ['--shards', f]),
      '--shards',
      broken,
      '--out',
      out,
      '--out-name',
      '{stem}.parquet',
      '--retries',
      '2',
      '--json',
      '--',
      script,
      '{shard}',
      '{out}',
    ]);
    expect(r.code, r.stderr).toBe(1); // one shard failed for good
    const rows = JSON.parse(r.stdout) as {
      shard: string;
      status: string;
      node: string | null;
      seconds: number;
      out: string;
      attempts: number;
      error: string | null;
    }[];
    expect(rows.map((x) => x.shard)).toEqual([...inputs, broken]);
    expect(rows.at(-1)).toMatchObject({ status: 'failed', attempts: 3, error: 'planted: this shard always fails' });
    expect(rows.find((x) => x.shard.endsWith(flaky))).toMatchObject({ status: 'ok', attempts: 2 });
    const ok = rows.filter((x) => x.status === 'ok');
    expect(ok).toHaveLength(5);
    expect(new Set(rows.map((x) => x.node)).size).toBe(2); // SPREAD over the head and the second node
    for (const x of ok) {
      const local = join(work, 'local-' + x.out.split('/').at(-1));
      const l = spawnSync(process.execPath, [CLI, 'quasar', 'features', x.shard, '--out', local], { encoding: 'utf8' });
      expect(l.status, l.stderr).toBe(0);
      expect(readFileSync(x.out).equals(readFileSync(local)), x.shard).toBe(true);
    }
  }, 300_000);
});

describe.skipIf(!RAY)('the VAE payload (jobs/vae) submitted to the cluster', () => {
  it('--ray-workers 2: Ray Train runs two workers, worker 0 exports an ONNX model that skybook scores', async () => {
    const matrixFile = join(work, 'vae-matrix.parquet');
    const w = new MlMatrixWriter(matrixFile);
    await w.write(mockMlMatrix());
    await w.close();
    const out = join(work, 'vae-ray');
    const job = await ray.submit({
      entrypoint: `python train_vae.py --matrix ${matrixFile} --out ${out} --ray-workers 2 --epochs 3 --batch 64 --hidden 64,32 --latent 4`,
      runtimeEnv: { workingDir: join(ROOT, 'jobs', 'vae') },
    });
    const done = await ray.wait(job.submissionId, { timeoutMs: 400_000 });
    expect(done.status, (await ray.logs(job.submissionId)).slice(-3000)).toBe('SUCCEEDED');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ rows: 808, ray_workers: 2 });
    expect(metrics.epochs).toHaveLength(3);
    const scorer = await OnnxScorer.create(join(out, 'vae.onnx'));
    for await (const m of readMlMatrix(matrixFile)) {
      const s = await scorer.score(m);
      expect(Array.from(s.chi2).every(Number.isFinite)).toBe(true);
    }
  }, 480_000);
});

describe.skipIf(!RAY)('notebooks/08-ray-fanout against the cluster (RAY_ADDRESS)', () => {
  it('runs on the small survey the fan-out test made: every shard ok, over both nodes, identical to a local run', async () => {
    const survey = join(work, 'survey');
    expect(existsSync(survey)).toBe(true);
    const out = join(work, 'nb08.ipynb');
    const env = { ...installSkybookKernel(), RAY_ADDRESS: cluster.address };
    const r = await spawnSkybook(
      [
        'run',
        join(ROOT, 'notebooks', '08-ray-fanout.ipynb'),
        '-o',
        out,
        '--kernel',
        'skybook',
        '--json',
        '-p',
        'survey',
        survey,
        '-p',
        'out',
        join(work, 'nb08'),
        '-p',
        'shards',
        '6',
      ],
      { cwd: work, env },
    ).done;
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed' });
    const nb = await readNotebook(out);
    const text = nb.cells
      .flatMap((c) => (c.outputs ?? []).map((o) => String((o as { data?: Record<string, unknown> }).data?.['text/plain'] ?? '')))
      .join('\n');
    expect(text).toMatch(/status: 'SUCCEEDED'/);
    expect(text).toMatch(/ok: 6/);
    expect(text).toMatch(/nodes: 2/);
    expect(text).toMatch(/identicalToLocal: true/);
  }, 300_000);
});

describe.skipIf(!RAY)('the DR1 ingest fan-out: one redrock file a task into PostgreSQL', () => {
  it('each file its own transaction and ledger row; a re-run loads nothing twice', async () => {
    const schema = uniqueSchema('ray-ingest-fanout');
    const drop = await withSchema(schema);
    try {
      const url = pgUrlFor(schema);
      const shards = surveyFiles('redrock-').slice(0, 7);
      // The first file makes the table here; the other six load in parallel on the nodes, each as its own transaction.
      const first = spawnSync(process.execPath, [CLI, 'ingest', shards[0]!, '--into', url, '--table', 'redrock', '--hdu', 'REDSHIFTS'], {
        encoding: 'utf8',
      });
      expect(first.status, first.stderr).toBe(0);
      const fan = () =>
        skybookInProcess([
          'ray',
          'fanout',
          '--address',
          cluster.address,
          ...shards.slice(1).flatMap((f) => ['--shards', f]),
          '--out',
          join(work, 'ingest-out'),
          '--json',
          '--',
          process.execPath,
          CLI,
          'ingest',
          '{shard}',
          '--into',
          url,
          '--table',
          'redrock',
          '--hdu',
          'REDSHIFTS',
        ]);
      const r = await fan();
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { status: string }[]).every((x) => x.status === 'ok')).toBe(true);
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        const count = async () => {
          const ledger = await c.query(
            `select count(*)::int as files, sum(rows_loaded)::int as rows from ${schema}.skybook_loads where table_name = 'redrock'`,
          );
          const rows = await c.query(`select count(*)::int as n from ${schema}.redrock`);
          return { files: ledger.rows[0].files, ledgerRows: ledger.rows[0].rows, tableRows: rows.rows[0].n };
        };
        const once = await count();
        expect(once.files).toBe(7);
        expect(once.tableRows).toBe(once.ledgerRows);
        // Again: every file is already in the ledger, nothing is loaded twice.
        const again = await fan();
        expect(again.code, again.stderr).toBe(0);
        expect(await count()).toEqual(once);
      } finally {
        await c.end();
      }
    } finally {
      await drop();
    }
  }, 300_000);
});
