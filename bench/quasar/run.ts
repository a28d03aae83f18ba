// The quasar features benchmark of issue 15: skybook's `measureQuasarFiles` (continuum, lines, BAL indices, ML matrix
// rows) on mock DESI quasar spectra on 2 threads, spectra/s and peak memory after each pass (flat = memory does not grow
// with the number of spectra), and PyQSOFit on 100 of the same spectra in the same run; fastspecfit's published
// ~6 core-seconds per target as context. Goal: >= 1,000 spectra/s (1.6M in under 30 minutes), memory flat.
//
// Build first: npm run build && node dist/bench/quasar/run.js [--spectra 100000] [--surveys 2] [--threads 2]
//   [--pyqsofit 100] [--python .venv/bin/python] [--matrix] [--json]
// The goal is the features (what `skybook quasar features --out` writes); --matrix also builds the ML matrix rows
// (`--matrix M.parquet`), which the CLI does only when asked, and times both.
// The mock spectra are generated once into bench/out/quasar/ (the `quasars` preset, 1,000 spectra per seed, ~470 MB
// each) and read again pass after pass until --spectra have been measured: the reading is part of what is timed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { makeSurvey } from '../../lib/datasets/index.js';
import { readQuasarSpectra } from '../../lib/quasar/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'bench/out/quasar');
const GOAL = 1000;
const FASTSPECFIT_CORE_SECONDS = 6;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
}
const spectra = Number(option('spectra', '100000'));
const surveys = Number(option('surveys', '2'));
const threads = Number(option('threads', '2'));
const pyqsofitCount = Number(option('pyqsofit', '100'));
const python = option('python', join(ROOT, '.venv/bin/python'));
const json = process.argv.includes('--json');
const matrix = process.argv.includes('--matrix');

function coaddsOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.startsWith('coadd-')) out.push(join(d, e.name));
  };
  walk(join(dir, 'spectro'));
  return out;
}

// 1. The spectra: `surveys` quasar surveys of 1,000 spectra each, made once.
const files: string[] = [];
for (let seed = 1; seed <= surveys; seed++) {
  const dir = join(OUT, `survey-${seed}`);
  if (!existsSync(join(dir, 'truth', 'quasars.parquet'))) {
    console.error(`making the mock quasar survey ${dir} (once)`);
    await makeSurvey({ preset: 'quasars', seed, out: dir, spectra: 'all' });
  }
  files.push(...coaddsOf(dir));
}

// 2. skybook on `threads` threads, in a worker of its own so that its peak memory is its own.
const ours = await new Promise<{ spectra: number; seconds: number; rssAfterPass: number[]; measured: number; failed: number }>(
  (ok, fail) => {
    const w = new Worker(new URL('./features-worker.js', import.meta.url), { workerData: { files, spectra, threads, matrix } });
    w.once('message', ok);
    w.once('error', fail);
  },
);
const oursRate = ours.spectra / ours.seconds;

// 3. PyQSOFit on the first `pyqsofitCount` of the same spectra (observed frame, their redrock redshifts).
let pyq: { n: number; seconds: number; spectra_per_s: number } | undefined;
let pyqMessage = '';
if (pyqsofitCount <= 0) pyqMessage = 'PyQSOFit not run (--pyqsofit 0)';
else if (!existsSync(python))
  pyqMessage = `PyQSOFit skipped: ${python} is missing (npm run setup:python, then bash bench/quasar/install-pyqsofit.sh SRC)`;
else {
  const lines: string[] = [];
  for (const f of files) {
    if (lines.length >= pyqsofitCount) break;
    const s = await readQuasarSpectra(f);
    for (let i = 0; i < s.nspec && lines.length < pyqsofitCount; i++) {
      const row = (a: Float32Array | Uint32Array) => Array.from(a.subarray(i * s.nwave, (i + 1) * s.nwave));
      const ivar = row(s.ivar).map((v, k) => (s.mask[i * s.nwave + k] === 0 ? v : 0));
      lines.push(JSON.stringify({ id: String(s.targetids[i]), z: s.z[i], wave: Array.from(s.wave), flux: row(s.flux), ivar }));
    }
  }
  mkdirSync(OUT, { recursive: true });
  const input = join(OUT, `pyqsofit-input-${pyqsofitCount}.jsonl`);
  writeFileSync(input, lines.join('\n') + '\n');
  const r = spawnSync(python, [join(ROOT, 'bench/quasar/pyqsofit_fit.py'), '--input', input, '--out', join(OUT, 'pyqsofit-fits.jsonl')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    pyq = JSON.parse(last);
  } catch {
    pyqMessage = `PyQSOFit failed (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1)}`;
  }
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const report = {
  date: new Date().toISOString(),
  load: loadavg()
    .map((x) => x.toFixed(1))
    .join(' '),
  skybook: {
    threads,
    matrix,
    spectra: ours.spectra,
    uniqueSpectra: surveys * 1000,
    measured: ours.measured,
    failed: ours.failed,
    seconds: ours.seconds,
    spectraPerSecond: oursRate,
    peakRssAfterEachPass: ours.rssAfterPass.map(mb),
  },
  pyqsofit: pyq ? { spectra: pyq.n, seconds: pyq.seconds, spectraPerSecond: pyq.spectra_per_s } : pyqMessage,
  ratio: pyq ? oursRate / pyq.spectra_per_s : undefined,
  fastspecfitContext: `${FASTSPECFIT_CORE_SECONDS} core-s per target: ${(threads / FASTSPECFIT_CORE_SECONDS).toFixed(2)} spectra/s on ${threads} cores`,
  goal: `${GOAL} spectra/s: ${oursRate >= GOAL ? 'PASS' : 'MISS'}`,
};
if (json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`quasar features, ${report.date} (load ${report.load})`);
  console.log(
    `skybook  ${ours.spectra} spectra (${surveys * 1000} unique, read again each pass) on ${threads} threads${matrix ? ', with the ML matrix' : ''}: ${ours.seconds.toFixed(1)} s, ` +
      `${oursRate.toFixed(1)} spectra/s; peak RSS after each pass ${report.skybook.peakRssAfterEachPass.join(', ')}`,
  );
  console.log(
    pyq ? `PyQSOFit ${pyq.n} spectra, one process: ${pyq.seconds.toFixed(1)} s, ${pyq.spectra_per_s.toFixed(2)} spectra/s` : pyqMessage,
  );
  if (report.ratio !== undefined) console.log(`ratio    skybook / PyQSOFit spectra/s: ${report.ratio.toFixed(0)}x`);
  console.log(`context  fastspecfit ${report.fastspecfitContext}`);
  console.log(`goal     ${report.goal}`);
}
