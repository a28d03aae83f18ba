// bench/cloudy-parse (issue 16): skybook's Cloudy parsers against pyCloudy's reader on the same real Cloudy output, in
// one run, with the ratio. Two tasks: (1) a 100-model grid, each model a folder with its main output and save files
// (overview, lines emissivity, continuum: Cloudy 10.00's hii_sphere from ../shared/fixtures/cloudy, copied 100 times
// into bench/out/cloudy-parse/), read whole: skybook's readOutFile + readSaveFile x3 per model, pyCloudy's CloudyModel
// with read_ovr, read_emis, read_cont; (2) the largest fixture .out alone (the 2019 trunk's hii_smoke.out), main
// output only. Goal: faster than pyCloudy.
//
// Build first: npm run build && node dist/bench/cloudy-parse/run.js [--models 100] [--repeat 3] [--python .venv/bin/python] [--json]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readOutFile, readSaveFile } from '../../lib/cloudy/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = resolve(ROOT, '../shared/fixtures/cloudy');
const OUT = join(ROOT, 'bench/out/cloudy-parse');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
}
const models = Number(option('models', '100'));
const repeat = Number(option('repeat', '3'));
const python = option('python', join(ROOT, '.venv/bin/python'));
const json = process.argv.includes('--json');

if (!existsSync(FIXTURES)) {
  console.error(`bench/cloudy-parse: ${FIXTURES} is absent (../shared beside the repository)`);
  process.exit(2);
}
const src = join(FIXTURES, 'c10.00/hii_sphere/hii_sphere');
mkdirSync(OUT, { recursive: true });
for (let i = 0; i < models; i++) {
  const stem = join(OUT, `model-${String(i).padStart(3, '0')}`);
  // pyCloudy names the emissivity file .emis and the continuum .cont; the fixture's are .ems and .con.
  for (const [from, to] of [
    ['.out', '.out'],
    ['.ovr', '.ovr'],
    ['.ems', '.emis'],
    ['.con', '.cont'],
  ] as const)
    if (!existsSync(stem + to)) copyFileSync(src + from, stem + to);
}
const big = join(FIXTURES, 'trunk-2019/hii_smoke/hii_smoke.out');

async function ours(): Promise<{ modelsSeconds: number; zones: number; outSeconds: number; lines: number }> {
  let t0 = performance.now();
  let zones = 0;
  for (let i = 0; i < models; i++) {
    const stem = join(OUT, `model-${String(i).padStart(3, '0')}`);
    await readOutFile(`${stem}.out`);
    zones += (await readSaveFile(`${stem}.ovr`)).table.numRows;
    await readSaveFile(`${stem}.emis`, { kind: 'ems' });
    await readSaveFile(`${stem}.cont`, { kind: 'con' });
  }
  const modelsSeconds = (performance.now() - t0) / 1000;
  // The largest .out, read 15 times: the median, as pycloudy_read.py does (one 3 ms read is mostly noise and GC).
  const times: number[] = [];
  let lines = 0;
  for (let k = 0; k < 15; k++) {
    t0 = performance.now();
    lines = (await readOutFile(big)).lines.numRows;
    times.push((performance.now() - t0) / 1000);
  }
  return { modelsSeconds, zones, outSeconds: times.sort((a, b) => a - b)[7]!, lines };
}

function theirs(): { models_seconds: number; zones: number; out_seconds: number } | string {
  if (!existsSync(python)) return `pyCloudy skipped: ${python} is missing (npm run setup:python)`;
  const r = spawnSync(python, [join(ROOT, 'bench/cloudy-parse/pycloudy_read.py'), OUT, String(models), big], { encoding: 'utf8' });
  if (r.status !== 0) return `pyCloudy failed (exit ${r.status}): ${r.stderr.trim().split('\n').at(-1)}`;
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const rows: { run: number; ours: Awaited<ReturnType<typeof ours>>; theirs: ReturnType<typeof theirs> }[] = [];
await ours(); // warm-up: module loading and JIT, not parsing
for (let run = 1; run <= repeat; run++) rows.push({ run, ours: await ours(), theirs: theirs() });
if (json) console.log(JSON.stringify({ models, load: loadavg(), rows }, null, 2));
else {
  console.log(
    `cloudy-parse, ${new Date().toISOString()} (load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}), ${models} models`,
  );
  for (const { run, ours: o, theirs: t } of rows) {
    if (typeof t === 'string') {
      console.log(
        `run ${run}: skybook ${models} models ${o.modelsSeconds.toFixed(3)} s, big .out ${(o.outSeconds * 1000).toFixed(1)} ms; ${t}`,
      );
      continue;
    }
    if (t.zones !== o.zones) console.log(`  zones differ: skybook ${o.zones}, pyCloudy ${t.zones}`);
    console.log(
      `run ${run}: ${models} models: skybook ${o.modelsSeconds.toFixed(3)} s, pyCloudy ${t.models_seconds.toFixed(3)} s, ${(t.models_seconds / o.modelsSeconds).toFixed(1)}x; ` +
        `largest .out (${o.lines} lines): skybook ${(o.outSeconds * 1000).toFixed(1)} ms, pyCloudy ${(t.out_seconds * 1000).toFixed(1)} ms, ${(t.out_seconds / o.outSeconds).toFixed(1)}x`,
    );
  }
}
