import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved } from './interleave.js';
import { compareHashes, formatReport, type Figures } from './report.js';
import { ensureCoadd, pickTargetids } from './make-coadd.js';

/**
 * The DESI spectra benchmark: `readSpectra(coadd, { targetids })` against astropy.io.fits (open, np.isin on the
 * FIBERMAP TARGETIDs, slice every image HDU for those rows), with fits.open's default, memmap=True and memmap=False, in one run on the same coadd and the
 * same TARGETID list; the faster astropy mode is the anchor. Every array is cross-checked by sha256.
 *
 * Usage: node dist/bench/desi-spectra/run.js [--nspec 5000] [--select 1000] [--seed 42] [--repeat 5] [--fresh] [--json]
 */
interface Options {
  nspec: number;
  select: number;
  seed: number;
  repeat: number;
  fresh: boolean;
  json: boolean;
}

const GOAL = 0.5;
/** astropy_read.py --memmap: fits.open defaults (memmap=None), memmap=True (raw MASK unsigned by hand), memmap=False. */
const ASTROPY_MODES = ['default', 'on', 'off'] as const;
const PYTHON = '/usr/bin/python3';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const USAGE = 'usage: run.js [--nspec N] [--select N] [--seed S] [--repeat N] [--fresh] [--json]';

function parseOptions(argv: string[]): Options {
  const o: Options = { nspec: 5000, select: 1000, seed: 42, repeat: 5, fresh: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`invalid ${a}: ${argv[i]} (${USAGE})`);
      return v;
    };
    if (a === '--nspec') o.nspec = num();
    else if (a === '--select') o.select = num();
    else if (a === '--seed') o.seed = num();
    else if (a === '--repeat') o.repeat = num();
    else if (a === '--fresh') o.fresh = true;
    else if (a === '--json') o.json = true;
    else throw new Error(`invalid option: ${a} (${USAGE})`);
  }
  if (o.select > o.nspec) throw new Error(`invalid --select ${o.select}: more than --nspec ${o.nspec}`);
  return o;
}

/** Reads the whole file once so every tool starts from the page cache. */
function warmPageCache(path: string): Promise<void> {
  return new Promise((res, rej) => {
    createReadStream(path, { highWaterMark: 8 << 20 })
      .on('data', () => {})
      .on('end', () => res())
      .on('error', rej);
  });
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(line + '\n');
  const measure = join(ROOT, 'dist/bench/desi-spectra/measure.js');
  if (!existsSync(measure)) throw new Error(`${measure} is missing: run npm run build first`);
  const coadd = await ensureCoadd({ base: join(ROOT, 'bench/out/desi-spectra'), nspec: o.nspec, seed: o.seed, fresh: o.fresh });
  log(
    `coadd ${coadd.path} (${(coadd.size / 1e9).toFixed(3)} GB${coadd.writeSeconds === null ? ', reused' : `, written in ${coadd.writeSeconds.toFixed(1)} s`})`,
  );
  const ids = pickTargetids(coadd.targetids, o.select, o.seed);
  const idsFile = join(dirname(coadd.path), `targetids-${o.select}-s${o.seed}.txt`);
  writeFileSync(idsFile, ids.join('\n') + '\n');
  await warmPageCache(coadd.path);
  const loadBefore = load();
  log(`load average before: ${loadBefore}`);

  const anchor = join(ROOT, 'bench/desi-spectra/astropy_read.py');
  const s = await interleaved(
    [
      { name: 'skybook', cmd: process.execPath, args: [measure, coadd.path, idsFile] },
      ...ASTROPY_MODES.map((mode) => ({ name: `astropy ${mode}`, cmd: PYTHON, args: [anchor, coadd.path, idsFile, '--memmap', mode] })),
    ],
    o.repeat,
    log,
  );
  const loadAfter = load();

  type Out = { seconds: number; cpuSeconds: number; nspec: number; hashes: Record<string, string>; astropy?: string; numpy?: string };
  const parsed = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, JSON.parse(v.best.stdout.trim().split('\n').at(-1)!) as Out]));
  const ours = parsed.skybook!;
  const anchors = ASTROPY_MODES.map((m) => `astropy ${m}`);
  const mismatches = anchors.flatMap((k) => compareHashes(ours.hashes, parsed[k]!.hashes, k));
  for (const k of anchors)
    if (parsed[k]!.nspec !== ours.nspec)
      mismatches.push({ key: 'nspec', against: k, ours: String(ours.nspec), theirs: String(parsed[k]!.nspec) });
  const anchorKey = anchors.reduce((a, b) => (s[b]!.best.seconds! < s[a]!.best.seconds! ? b : a));
  const ratio = s.skybook!.best.seconds! / s[anchorKey]!.best.seconds!;
  const cpuRatio = ours.cpuSeconds / parsed[anchorKey]!.cpuSeconds;
  const any = parsed[anchors[0]!]!;
  const figures: Figures = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? '?',
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      astropy: any.astropy ?? '?',
      numpy: any.numpy ?? '?',
    },
    load: { before: loadBefore, after: loadAfter },
    file: {
      path: coadd.path.startsWith(ROOT) ? coadd.path.slice(ROOT.length + 1) : coadd.path,
      nspec: o.nspec,
      bytes: coadd.size,
      writeSeconds: coadd.writeSeconds,
    },
    select: ours.nspec,
    repeat: o.repeat,
    rows: Object.entries(s).map(([k, v]) => ({
      what: k,
      seconds: v.best.seconds!,
      cpuSeconds: parsed[k]!.cpuSeconds,
      times: v.times,
      maxRssBytes: v.maxRssBytes ?? 0,
    })),
    anchor: anchorKey,
    goal: { ratio, cpuRatio, limit: GOAL, pass: ratio <= GOAL },
    crossCheck: { arrays: Object.keys(ours.hashes).length, mismatches },
  };
  process.stdout.write(o.json ? JSON.stringify(figures, null, 2) + '\n' : formatReport(figures));
  if (mismatches.length) process.exitCode = 1;
}

await main();
