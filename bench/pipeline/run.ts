// bench/pipeline (issue 18): the overhead of deciding that a 50-stage pipeline over 2 GB of deps is up to date (goal
// < 0.5 s), against `dvc status` on the same tree. The tree (bench/out/pipeline/STAGESxMB, or --dir): 50 seeded 40 MB
// sources in data/, a skybook.pipeline.yaml of 50 cmd stages (each reads one or two sources and, in chains of five, the
// previous stage's small out, and writes one small out under outs/sky/) and the equivalent dvc.yaml (outs under
// outs/dvc/) in the same folder (`dvc init --no-scm`). Both are brought up to date once (`runPipeline`, `dvc repro`), then
// each case is timed --repeat times, the three tools interleaved within a repeat: skybook's `pipelineStatus(loadPipeline())`
// in-process, the CLI `skybook pipeline status --json` (node start-up included), and `dvc status --json`. Cases: (1)
// nothing changed; (2) one source touched (mtime only: everything still up to date); (3) one source's bytes changed (the
// two stages that read it change). The file is touched or changed again before every timed call, so each call meets a
// change it has not seen. Bytes skybook rehashed are read from the hash cache file, before and after each call.
// Every answer is checked (up to date / which stages changed); a wrong one makes the run exit 1.
//
// Build first: npm run build && node dist/bench/pipeline/run.js [--repeat 5] [--stages 50] [--mb 40] [--dir DIR]
//   [--dvc .venv/bin/dvc] [--json]
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPipeline, PIPELINE_FILE, pipelineStatus, runPipeline, type StageStatus } from '../../lib/pipeline/index.js';

// dist/bench/pipeline -> the repository root.
const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'dist/lib/cli/main.js');
const DVC_VERSION = '3.67.1';
const option = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const repeat = Number(option('repeat', '5'));
const nStages = Number(option('stages', '50'));
const mb = Number(option('mb', '40'));
const dir = resolve(option('dir', join(ROOT, `bench/out/pipeline/${nStages}x${mb}MB`)));
const dvc = resolve(option('dvc', join(ROOT, '.venv/bin/dvc')));
const json = process.argv.includes('--json');
if (!(nStages >= 10 && mb > 0 && repeat >= 1)) {
  console.error('bench/pipeline: --stages must be >= 10, --mb > 0, --repeat >= 1');
  process.exit(2);
}

const pad = (i: number) => String(i).padStart(2, '0');
const src = (i: number) => `data/src-${pad(i)}.bin`;
const fileBytes = mb * 1024 * 1024;
/** The source whose bytes change in case 3 (read by two stages), and the one only touched in case 2. */
const CHANGED = 6;
const TOUCHED = Math.min(23, nStages - 1);

/** Stage i: its sources (a second one every fourth stage), the previous stage's out in chains of five, a command. */
function stageSpec(i: number, outDir: string): { cmd: string; deps: string[]; out: string } {
  const sources = [src(i), ...(i % 4 === 1 && i + 1 < nStages ? [src(i + 1)] : [])];
  const prev = i % 5 === 0 ? [] : [`${outDir}/s${pad(i - 1)}.txt`];
  const out = `${outDir}/s${pad(i)}.txt`;
  // A mix of what small stages do: checksum everything read, count bytes, summarise a head and carry the previous result.
  const cmd =
    i % 3 === 0
      ? `sha256sum ${[...sources, ...prev].join(' ')} > ${out}`
      : i % 3 === 1
        ? `cat ${[...sources, ...prev].join(' ')} | wc -c > ${out}`
        : `{ head -c 1048576 ${sources[0]} | md5sum; cat ${[...sources.slice(1), ...prev].join(' ') || '/dev/null'} | sha1sum; } > ${out}`;
  return { cmd, deps: [...sources, ...prev], out };
}
const expectedChanged = Array.from({ length: nStages }, (_, i) => i)
  .filter((i) => stageSpec(i, 'x').deps.includes(src(CHANGED)))
  .map((i) => `s${pad(i)}`);

/** Seeded bytes (AES-256-CTR keystream of a per-file key), written once and kept while their size is right. */
function makeSource(i: number): void {
  const path = join(dir, src(i));
  if (existsSync(path) && statSync(path).size === fileBytes) return;
  const key = createHash('sha256')
    .update(`skybook bench/pipeline ${src(i)}`)
    .digest();
  const stream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(4 << 20);
  const fd = openSync(path, 'w');
  try {
    for (let left = fileBytes; left > 0; left -= zeros.length)
      writeSync(fd, stream.update(zeros.subarray(0, Math.min(left, zeros.length))));
  } finally {
    closeSync(fd);
  }
}

function writeIfChanged(path: string, text: string): void {
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}

function makeTree(): void {
  for (const d of ['data', 'outs/sky', 'outs/dvc']) mkdirSync(join(dir, d), { recursive: true });
  for (let i = 0; i < nStages; i++) makeSource(i);
  const yaml = (outDir: string) =>
    'stages:\n' +
    Array.from({ length: nStages }, (_, i) => {
      const s = stageSpec(i, outDir);
      return `  s${pad(i)}:\n    cmd: ${JSON.stringify(s.cmd)}\n    deps: [${s.deps.join(', ')}]\n    outs: [${s.out}]\n`;
    }).join('');
  writeIfChanged(join(dir, PIPELINE_FILE), yaml('outs/sky'));
  writeIfChanged(join(dir, 'dvc.yaml'), yaml('outs/dvc'));
  // dvc collects stages by walking the folder; skybook's own state is nothing of its.
  writeIfChanged(join(dir, '.dvcignore'), '.skybook/\n');
}

const dvcEnv = { ...process.env, DVC_NO_ANALYTICS: '1' };
function dvcRun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(dvc, args, { cwd: dir, env: dvcEnv, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// --- what skybook rehashed: the hash cache file's entries whose (size, mtime, inode) changed during a call.
const cacheFile = join(dir, '.skybook/hash-cache.json');
type CacheEntries = Record<string, { size: number; mtimeNs: string; ino: string }>;
const cacheEntries = (): CacheEntries => {
  try {
    return (JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: CacheEntries }).entries;
  } catch {
    return {};
  }
};
function bytesRehashed(before: CacheEntries, after: CacheEntries): number {
  let bytes = 0;
  for (const [path, e] of Object.entries(after)) {
    const b = before[path];
    if (!b || b.size !== e.size || b.mtimeNs !== e.mtimeNs || b.ino !== e.ino) bytes += e.size;
  }
  return bytes;
}

// --- the changes
let touches = 0;
function touch(): void {
  // A new mtime each time (whole milliseconds apart, so no two calls can meet the same one), bytes unchanged.
  const t = new Date(Date.now() + ++touches);
  utimesSync(join(dir, src(TOUCHED)), t, t);
}
const changedPath = join(dir, src(CHANGED));
const originalHead = Buffer.alloc(8);
let changes = 0;
function changeBytes(): void {
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Date.now()) * 1000n + BigInt(++changes));
  const fd = openSync(changedPath, 'r+');
  try {
    writeSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
}
function restoreBytes(): void {
  const fd = openSync(changedPath, 'r+');
  try {
    writeSync(fd, originalHead, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
}

// --- the checks
type Case = 'up to date' | 'touched' | 'changed';
const failures: string[] = [];
function checkSkybook(c: Case, who: string, states: StageStatus[]): void {
  const stale = states.filter((s) => s.state === 'stale').map((s) => s.name);
  const want = c === 'changed' ? expectedChanged : [];
  if (states.length !== nStages || stale.join() !== want.join())
    failures.push(`${who}, ${c}: stale stages [${stale.join(', ')}], expected [${want.join(', ')}]`);
  else if (c === 'changed' && !states.find((s) => s.name === want[0])!.reasons.some((r) => r.includes(src(CHANGED))))
    failures.push(`${who}, ${c}: ${want[0]}'s reasons do not name ${src(CHANGED)}`);
}
function checkDvc(c: Case, out: { status: number | null; stdout: string; stderr: string }): void {
  if (out.status !== 0) {
    failures.push(`dvc status, ${c}: exit ${out.status}: ${out.stderr.trim().split('\n').at(-1)}`);
    return;
  }
  const report = JSON.parse(out.stdout || '{}') as Record<string, { 'changed deps'?: Record<string, string> }[]>;
  const changed = Object.keys(report).sort();
  const want = c === 'changed' ? expectedChanged : [];
  if (changed.join() !== want.join())
    failures.push(`dvc status, ${c}: changed stages [${changed.join(', ')}], expected [${want.join(', ')}]`);
  else if (c === 'changed' && !report[want[0]!]!.some((e) => e['changed deps']?.[src(CHANGED)] === 'modified'))
    failures.push(`dvc status, ${c}: ${want[0]} does not say ${src(CHANGED)} modified: ${out.stdout.trim()}`);
}
function checkBytes(c: Case, who: string, bytes: number): void {
  const want = c === 'up to date' ? 0 : fileBytes;
  if (bytes !== want) failures.push(`${who}, ${c}: rehashed ${bytes} bytes, expected ${want}`);
}

// --- the timed calls
const seconds = (t0: number) => (performance.now() - t0) / 1000;
function inProcess(c: Case): { s: number; bytes: number } {
  const before = cacheEntries();
  const t0 = performance.now();
  const states = pipelineStatus(loadPipeline(join(dir, PIPELINE_FILE)));
  const s = seconds(t0);
  checkSkybook(c, 'skybook in-process', states);
  const bytes = bytesRehashed(before, cacheEntries());
  checkBytes(c, 'skybook in-process', bytes);
  return { s, bytes };
}
function cli(c: Case): { s: number; bytes: number } {
  const before = cacheEntries();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'pipeline', 'status', '-f', join(dir, PIPELINE_FILE), '--json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const s = seconds(t0);
  if (r.status !== 0) failures.push(`skybook CLI, ${c}: exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  else checkSkybook(c, 'skybook CLI', JSON.parse(r.stdout) as StageStatus[]);
  const bytes = bytesRehashed(before, cacheEntries());
  checkBytes(c, 'skybook CLI', bytes);
  return { s, bytes };
}
function dvcStatus(c: Case): number {
  const t0 = performance.now();
  const r = dvcRun(['status', '--json']);
  const s = seconds(t0);
  checkDvc(c, r);
  return s;
}

// --- the run
const haveDvc = existsSync(dvc);
const t0 = performance.now();
makeTree();
const dvcNote = haveDvc
  ? `dvc ${dvcRun(['--version']).stdout.trim()}`
  : `dvc skipped: ${dvc} is absent (.venv/bin/pip install dvc==${DVC_VERSION}, then .venv/bin/pip install python-dateutil==4.0.0 ` +
    `to put back the project's pin, which dvc's celery lowers)`;
const fd = openSync(changedPath, 'r');
readSync(fd, originalHead, 0, 8, 0);
closeSync(fd);
const setupMade = seconds(t0);

const first = await runPipeline(loadPipeline(join(dir, PIPELINE_FILE)), { progress: false });
if (!first.ok) {
  console.error(`bench/pipeline: the first skybook run failed: ${first.stages.find((s) => s.status === 'failed')?.reason}`);
  process.exit(1);
}
const skyRan = first.stages.filter((s) => s.status === 'ran').length;
let dvcReproSeconds = Number.NaN;
if (haveDvc) {
  if (!existsSync(join(dir, '.dvc'))) {
    const init = dvcRun(['init', '--no-scm']);
    if (init.status !== 0) throw new Error(`dvc init failed: ${init.stderr}`);
  }
  const t1 = performance.now();
  const repro = dvcRun(['repro']);
  dvcReproSeconds = seconds(t1);
  if (repro.status !== 0) {
    console.error(`bench/pipeline: dvc repro failed (exit ${repro.status}):\n${repro.stderr}`);
    process.exit(1);
  }
}
const setupSeconds = seconds(t0);

// One untimed call of each: module loading, JIT, the page cache of the pipeline files; the first dvc status also
// fills dvc's own state of file hashes if repro left it empty.
inProcess('up to date');
cli('up to date');
if (haveDvc) dvcStatus('up to date');
failures.length = 0;

interface Times {
  inProcess: number[];
  cli: number[];
  dvc: number[];
  bytesInProcess: number[];
  bytesCli: number[];
}
const cases: Case[] = ['up to date', 'touched', 'changed'];
const times = new Map<Case, Times>(cases.map((c) => [c, { inProcess: [], cli: [], dvc: [], bytesInProcess: [], bytesCli: [] }]));
try {
  for (const c of cases) {
    const change = c === 'touched' ? touch : c === 'changed' ? changeBytes : () => {};
    const t = times.get(c)!;
    // The previous case's last change was made for dvc: let skybook see it first, so each call meets only its own.
    pipelineStatus(loadPipeline(join(dir, PIPELINE_FILE)));
    for (let r = 0; r < repeat; r++) {
      change();
      const a = inProcess(c);
      t.inProcess.push(a.s);
      t.bytesInProcess.push(a.bytes);
      change();
      const b = cli(c);
      t.cli.push(b.s);
      t.bytesCli.push(b.bytes);
      if (haveDvc) {
        change();
        t.dvc.push(dvcStatus(c));
      }
    }
  }
} finally {
  restoreBytes();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const min = (xs: number[]) => Math.min(...xs);
const rows = cases.map((c) => {
  const t = times.get(c)!;
  return {
    case: c,
    inProcess: { median: median(t.inProcess), min: min(t.inProcess), all: t.inProcess },
    cli: { median: median(t.cli), min: min(t.cli), all: t.cli },
    dvc: haveDvc ? { median: median(t.dvc), min: min(t.dvc), all: t.dvc } : undefined,
    bytesRehashed: { inProcess: Math.max(...t.bytesInProcess), cli: Math.max(...t.bytesCli) },
    dvcOverCli: haveDvc ? median(t.dvc) / median(t.cli) : undefined,
    dvcOverInProcess: haveDvc ? median(t.dvc) / median(t.inProcess) : undefined,
  };
});
const load = loadavg();
const goal = 0.5;
if (json)
  console.log(
    JSON.stringify(
      { dir, stages: nStages, sourceBytes: fileBytes * nStages, repeat, cpus: cpus().length, load, dvc: dvcNote, rows, failures },
      null,
      2,
    ),
  );
else {
  const f = (x: number) => x.toFixed(3);
  const mbOf = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `bench/pipeline, ${new Date().toISOString()}, ${cpus().length} CPUs, load ${load.map((l) => l.toFixed(1)).join(' ')}; ` +
      `${nStages} stages over ${nStages} x ${mb} MB = ${((fileBytes * nStages) / 1e9).toFixed(2)} GB in ${dir}; ${dvcNote}`,
  );
  console.log(
    `set-up ${setupSeconds.toFixed(1)} s (tree ${setupMade.toFixed(1)} s; skybook ran ${skyRan} stages` +
      (haveDvc ? `; dvc repro ${dvcReproSeconds.toFixed(1)} s` : '') +
      `); ${repeat} timed calls a case and tool, median / min seconds:`,
  );
  console.log('| case | skybook in-process | skybook CLI | dvc status | dvc / skybook CLI | dvc / in-process | skybook rehashed |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${f(r.inProcess.median)} / ${f(r.inProcess.min)} | ${f(r.cli.median)} / ${f(r.cli.min)} | ` +
        (r.dvc ? `${f(r.dvc.median)} / ${f(r.dvc.min)} | ${r.dvcOverCli!.toFixed(1)}x | ${r.dvcOverInProcess!.toFixed(0)}x` : 'n/a | | ') +
        ` | ${mbOf(r.bytesRehashed.inProcess)} |`,
    );
  const upToDate = rows[0]!;
  console.log(
    `goal: deciding all ${nStages} stages are up to date < ${goal} s: in-process ${f(upToDate.inProcess.median)} s ` +
      `${upToDate.inProcess.median < goal ? 'PASS' : 'MISS'}, CLI ${f(upToDate.cli.median)} s ${upToDate.cli.median < goal ? 'PASS' : 'MISS'}`,
  );
}
if (failures.length) {
  console.error(`bench/pipeline: ${failures.length} wrong answers:\n${failures.map((x) => `  ${x}`).join('\n')}`);
  process.exit(1);
}
