import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce, type RunResult } from '../fits-read/series.js';
import { compareMaximals, comparePointSets, compareRows, compareVflags, type Spheres } from './compare.js';
import type { Measurement } from './measure.js';
import { formatReport, type Figures, type OurRow } from './report.js';
import {
  ISSUE_FIGURES,
  lastJson,
  readVastOutput,
  readVflagText,
  sha256File,
  vastPython,
  type VastClassify,
  type VastFind,
} from './vast.js';

/**
 * The voids benchmark: on the SDSS DR7 volume-limited sample, skybook's findVoids + classifyGalaxies (1 thread, then
 * 2 threads) against VAST's VoidFinder + vflag.determine_vflag (installed into .venv by install-vast.sh) on the same
 * galaxies with the same settings, in one run; then how far the two agree (wall/field split, maximal spheres, per-galaxy
 * vflags) and how skybook's peak memory moves with the number of holes (grid cells of 10, 5 and 4 Mpc/h).
 *
 * Usage: node dist/bench/voids/run.js [--galaxies FITS] [--repeat 3] [--skip-vast-classify] [--vast-sample 2000]
 *   [--vast-positions find|example|float64]
 *   [--rss-cells 10,5,4] [--zmax 0.1026] [--omega-m 0.26] [--h 1] [--cell 5] [--min-maximal 10] [--json]
 */
interface Options {
  galaxies: string;
  repeat: number;
  skipVastClassify: boolean;
  vastSample: number;
  vastPositions: 'find' | 'example' | 'float64';
  rssCells: number[];
  zMax: number;
  omegaM: number;
  h: number;
  cell: number;
  minMaximal: number;
  json: boolean;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'bench/out/voids');
const DR7 = join(ROOT, '../shared/fixtures/voids/vollim_dr7_cbp_102709.fits');
const USAGE =
  'usage: run.js [--galaxies FITS] [--repeat N] [--skip-vast-classify] [--vast-sample N] [--vast-positions find|example|float64] ' +
  '[--rss-cells 10,5,4] ' +
  '[--zmax Z] [--omega-m X] [--h X] [--cell C] [--min-maximal R] [--json]';

function parseOptions(argv: string[]): Options {
  const o: Options = {
    galaxies: DR7,
    repeat: 3,
    skipVastClassify: false,
    vastSample: 2000,
    vastPositions: 'find',
    rssCells: [10, 5, 4],
    zMax: 0.1026,
    omegaM: 0.26,
    h: 1,
    cell: 5,
    minMaximal: 10,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`invalid ${a}: ${argv[i]} (${USAGE})`);
      return v;
    };
    if (a === '--galaxies') o.galaxies = resolve(argv[++i] ?? '');
    else if (a === '--repeat') o.repeat = num();
    else if (a === '--skip-vast-classify') o.skipVastClassify = true;
    else if (a === '--vast-sample') o.vastSample = num();
    else if (a === '--vast-positions') {
      const p = argv[++i];
      if (p !== 'find' && p !== 'example' && p !== 'float64') throw new Error(`invalid --vast-positions: ${p} (find, example or float64)`);
      o.vastPositions = p;
    } else if (a === '--rss-cells') o.rssCells = (argv[++i] ?? '').split(',').filter(Boolean).map(Number);
    else if (a === '--zmax') o.zMax = num();
    else if (a === '--omega-m') o.omegaM = num();
    else if (a === '--h') o.h = num();
    else if (a === '--cell') o.cell = num();
    else if (a === '--min-maximal') o.minMaximal = num();
    else if (a === '--json') o.json = true;
    else throw new Error(`invalid option: ${a} (${USAGE})`);
  }
  if (o.rssCells.some((c) => !(c > 0))) throw new Error(`invalid --rss-cells (${USAGE})`);
  return o;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function settingsArgs(o: Options, cell: number): string[] {
  return [
    '--zmax',
    String(o.zMax),
    '--omega-m',
    String(o.omegaM),
    '--h',
    String(o.h),
    '--cell',
    String(cell),
    '--min-maximal',
    String(o.minMaximal),
  ];
}

/** One warm-up, then `repeat` runs of skybook's measure.js in fresh processes; the best by find + classify seconds. */
async function ours(o: Options, threads: number, cell: number, repeat: number, log: (s: string) => void): Promise<OurRow> {
  const measure = join(ROOT, 'dist/bench/voids/measure.js');
  const dir = join(OUT, `ours-t${threads}-c${cell}`);
  const args = [measure, o.galaxies, '--out', dir, '--threads', String(threads), ...settingsArgs(o, cell)];
  await runOnce(process.execPath, args);
  const runs: Measurement[] = [];
  for (let i = 0; i < repeat; i++) runs.push(lastJson<Measurement>((await runOnce(process.execPath, args)).stdout));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const shas = new Set(runs.map((r) => r.catalogueSha256));
  if (shas.size > 1) throw new Error(`skybook gave ${shas.size} different catalogues in ${repeat} identical runs (threads ${threads})`);
  log(
    `  skybook ${threads} thread(s), cell ${cell}: ${runs.map((r) => `${r.findSeconds.toFixed(2)}+${r.classifySeconds.toFixed(2)}`).join(' ')} s`,
  );
  return {
    what: `skybook, ${threads} thread${threads > 1 ? 's' : ''}${cell !== o.cell ? `, cell ${cell}` : ''}`,
    threads,
    cell,
    findSeconds: best.findSeconds,
    classifySeconds: best.classifySeconds,
    seconds: best.seconds,
    cpuSeconds: best.cpuSeconds,
    times: runs.map((r) => r.seconds),
    maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)),
    holes: best.holes,
    maximals: best.maximals,
    rows: best.rows,
    catalogueSha256: best.catalogueSha256,
  };
}

function readOurs(dir: string): {
  maximals: Spheres;
  holes: Spheres;
  wall: Float64Array;
  field: Float64Array;
  vflag: Uint8Array;
  vflagDlimu2: Uint8Array;
} {
  const m = JSON.parse(readFileSync(join(dir, 'maximals.json'), 'utf8')) as { x: number[]; y: number[]; z: number[]; radius: number[] };
  const xyz = new Float64Array(3 * m.radius.length);
  m.radius.forEach((_, i) => {
    xyz[3 * i] = m.x[i]!;
    xyz[3 * i + 1] = m.y[i]!;
    xyz[3 * i + 2] = m.z[i]!;
  });
  const f64 = (name: string) => {
    const b = readFileSync(join(dir, name));
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const h = f64('holes.f64'); // x y z radius per hole
  const holes: Spheres = { xyz: new Float64Array((3 * h.length) / 4), radius: new Float64Array(h.length / 4) };
  for (let i = 0; i < h.length / 4; i++) {
    holes.xyz.set(h.subarray(4 * i, 4 * i + 3), 3 * i);
    holes.radius[i] = h[4 * i + 3]!;
  }
  return {
    maximals: { xyz, radius: Float64Array.from(m.radius) },
    holes,
    wall: f64('wall.f64'),
    field: f64('field.f64'),
    vflag: new Uint8Array(readFileSync(join(dir, 'vflag.u8'))),
    vflagDlimu2: new Uint8Array(readFileSync(join(dir, 'vflag-dlimu2.u8'))),
  };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(line + '\n');
  if (!existsSync(join(ROOT, 'dist/bench/voids/measure.js')))
    throw new Error('dist/bench/voids/measure.js is missing: run npm run build first');
  if (!existsSync(o.galaxies))
    throw new Error(`${o.galaxies} is missing (the DR7 sample is in ../shared/fixtures/voids; or give --galaxies)`);
  mkdirSync(OUT, { recursive: true });
  const loadBefore = load();
  log(`load average before: ${loadBefore}`);

  // VAST first: its find output is what everything below is compared with.
  const vp = vastPython(ROOT);
  const vastDir = join(OUT, 'vast');
  let vastFind: VastFind | undefined;
  let vast: Figures['vast'];
  let vastFlags: { vflag: Uint8Array; surface: Uint8Array } | undefined;
  if (vp.python) {
    rmSync(join(vastDir, 'find_timing.json'), { force: true });
    log(`VAST ${vp.version} find ...`);
    const r = await runOnce(vp.python, [join(ROOT, 'bench/voids/vast_dr7_find.py'), o.galaxies, vastDir, ...vastFindArgs(o)]);
    vastFind = lastJson<VastFind>(r.stdout);
    const voidsSha = `${await sha256File(vastFind.output)} ${o.vastPositions}`;
    const cacheKey = join(vastDir, 'vflag.key');
    const flagsFile = join(vastDir, 'vflag.txt');
    let classify: VastClassify;
    let classifySource: Figures['vast']['classifySource'];
    let classifyNote: string;
    const cached = existsSync(cacheKey) && readFileSync(cacheKey, 'utf8') === voidsSha && existsSync(flagsFile);
    if (!o.skipVastClassify) {
      log(`VAST determine_vflag for every galaxy (~${ISSUE_FIGURES.classifySeconds} s on this machine) ...`);
      classify = lastJson<VastClassify>(
        (
          await runOnce(vp.python, [
            join(ROOT, 'bench/voids/vast_dr7_classify.py'),
            o.galaxies,
            vastFind.output,
            flagsFile,
            ...vastClassifyArgs(o),
          ])
        ).stdout,
      );
      writeFileSync(cacheKey, voidsSha);
      classifySource = 'run';
      classifyNote = `run now, all ${classify.rows.toLocaleString('en-US')} rows, ${classify.classify_s.toFixed(1)} s (+ ${classify.xyz_s.toFixed(2)} s for the coordinates)`;
      vastFlags = readVflagText(flagsFile);
    } else if (cached) {
      classify = JSON.parse(readFileSync(join(vastDir, 'vflag.json'), 'utf8')) as VastClassify;
      classifySource = 'cached';
      classifyNote =
        `NOT run now (--skip-vast-classify): ${classify.classify_s.toFixed(1)} s from an earlier run of this bench against the same VAST output ` +
        `(bench/out/voids/vast/vflag.json); the issue measured 553 s here`;
      vastFlags = readVflagText(flagsFile);
    } else {
      const sampleFile = join(vastDir, 'vflag-sample.txt');
      log(`VAST determine_vflag for the first ${o.vastSample} galaxies ...`);
      const s = lastJson<VastClassify>(
        (
          await runOnce(vp.python, [
            join(ROOT, 'bench/voids/vast_dr7_classify.py'),
            o.galaxies,
            vastFind.output,
            sampleFile,
            ...vastClassifyArgs(o),
            '--rows',
            String(o.vastSample),
          ])
        ).stdout,
      );
      classify = { ...s, classify_s: ISSUE_FIGURES.classifySeconds };
      classifySource = 'sample';
      classifyNote =
        `NOT run now for all rows (--skip-vast-classify): the figure is the issue's 553 s measured on this machine; ` +
        `the first ${s.rows} rows took ${s.classify_s.toFixed(2)} s (${((s.classify_s / s.rows) * 1e3).toFixed(2)} ms a galaxy) and are what the vflag agreement uses`;
      vastFlags = readVflagText(sampleFile);
    }
    vast = {
      source: 'run',
      findVoidsSeconds: vastFind.stages_s.find_voids,
      findSeconds: vastFind.total_s,
      classifySeconds: classify.classify_s,
      classifySource,
      classifyNote,
      classifyRows: classify.rows,
      peakRssBytes: vastFind.peak_rss_mb * 2 ** 20,
      maximals: vastFind.maximals,
      holes: vastFind.holes,
    };
  } else {
    vast = {
      source: 'issue',
      why: vp.why!,
      findVoidsSeconds: ISSUE_FIGURES.findSeconds,
      findSeconds: ISSUE_FIGURES.findSeconds,
      classifySeconds: ISSUE_FIGURES.classifySeconds,
      classifySource: 'issue',
      classifyNote: "not run (VAST is not installed): the issue's 553 s, measured on this machine",
      classifyRows: 0,
    };
  }

  // skybook: 1 thread (the goal), 2 threads (the speed-up and the determinism check), then the memory series.
  const rows: OurRow[] = [];
  rows.push(await ours(o, 1, o.cell, o.repeat, log));
  rows.push(await ours(o, 2, o.cell, o.repeat, log));
  const rss: Figures['rss'] = [{ cell: o.cell, holes: rows[0]!.holes, maxRssBytes: rows[0]!.maxRssBytes }];
  for (const cell of o.rssCells.filter((c) => c !== o.cell)) {
    const r = await ours(o, 1, cell, 1, log);
    rows.push(r);
    rss.push({ cell, holes: r.holes, maxRssBytes: r.maxRssBytes });
  }

  let oursOnVast: Figures['oursOnVast'];
  let agreement: Figures['agreement'];
  if (vastFind && vastFlags) {
    const dir = join(OUT, 'ours-on-vast');
    const r: RunResult = await runOnce(process.execPath, [
      join(ROOT, 'dist/bench/voids/measure.js'),
      o.galaxies,
      '--out',
      dir,
      '--voids',
      vastFind.output,
      ...settingsArgs(o, o.cell),
    ]);
    const m = lastJson<Measurement>(r.stdout);
    const flags = new Uint8Array(readFileSync(join(dir, 'vflag.u8')));
    const n = vastFlags.vflag.length;
    oursOnVast = { classifySeconds: m.classifySeconds, agreement: compareVflags(flags.subarray(0, n), vastFlags.vflag, vastFlags.surface) };

    const mine = readOurs(join(OUT, `ours-t1-c${o.cell}`));
    const theirs = await readVastOutput(vastFind.output);
    agreement = {
      wall: comparePointSets(mine.wall, theirs.wall, 1e-3),
      field: comparePointSets(mine.field, theirs.field, 1e-3),
      wallBits: comparePointSets(mine.wall, theirs.wall, 0),
      fieldBits: comparePointSets(mine.field, theirs.field, 0),
      maximals: compareMaximals(mine.maximals, theirs.maximals, 1, 1),
      maximalRows: compareRows(mine.maximals, theirs.maximals),
      holeRows: compareRows(mine.holes, theirs.holes),
      vflags: compareVflags(mine.vflag.subarray(0, n), vastFlags.vflag, vastFlags.surface),
      vflagsDlimu2: compareVflags(mine.vflagDlimu2.subarray(0, n), vastFlags.vflag, vastFlags.surface),
    };
  }

  const figures: Figures = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? '?',
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      vast: vp.version ?? 'not installed',
    },
    load: { before: loadBefore, after: load() },
    galaxies: { path: o.galaxies.startsWith(ROOT) ? o.galaxies.slice(ROOT.length + 1) : o.galaxies, rows: rows[0]!.rows },
    settings: { zMax: o.zMax, omegaM: o.omegaM, h: o.h, cell: o.cell, minMaximal: o.minMaximal },
    repeat: o.repeat,
    ours: rows,
    vast,
    rss,
    deterministic: rows[0]!.catalogueSha256 === rows[1]!.catalogueSha256,
  };
  if (oursOnVast) figures.oursOnVast = oursOnVast;
  if (agreement) figures.agreement = agreement;
  process.stdout.write(o.json ? JSON.stringify(figures, null, 2) + '\n' : formatReport(figures));
}

/** VAST's driver takes skybook's settings flags, on one process (its num_cpus). */
function vastFindArgs(o: Options): string[] {
  return [...settingsArgs(o, o.cell), '--num-cpus', '1'];
}

function vastClassifyArgs(o: Options): string[] {
  return ['--omega-m', String(o.omegaM), '--h', String(o.h), '--positions', o.vastPositions];
}

await main();
