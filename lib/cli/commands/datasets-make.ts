import { formatBytes, makeSurvey, surveyManifest } from '../../datasets/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { writeOutput } from '../output-file.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

const PRESETS = ['small', 'medium', 'large', 'voids', 'quasars'];

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || Number(text) > 2 ** 32 - 1) throw UsageError.invalid('seed', text, 'an integer 0..4294967295');
  return Number(text);
}

function parseSpectra(text: string | undefined): 'all' | 'none' | number | undefined {
  if (text === undefined || text === 'all' || text === 'none') return text;
  if (!/^\d+$/.test(text)) throw UsageError.invalid('spectra', text, 'all, none, or a number of healpix pixels');
  return Number(text);
}

export const datasetsMake: Command = {
  name: 'datasets make',
  usage:
    'skybook datasets make [--preset small|medium|large|voids|quasars] [--seed N] --out DIR [--spectra all|none|N] [--manifest FILE] [--json]',
  summary: 'deterministic mock DESI DR1 survey (zcatalog, redrock, coadd) with truth tables',
  flags: [
    {
      flag: '--preset NAME',
      help: 'small (default: a 6 x 6 deg patch), medium (20 x 10 deg) large (140 x 40 deg, no spectra by default) voids (40 x 30 deg to z 0.12, 15-25 Mpc/h voids) or quasars (1,000 quasar spectra, 1% anomalies)',
    },
    { flag: '--seed N', help: 'the random seed, 0..4294967295 (default 1); the same seed writes byte-identical files' },
    { flag: '-o, --out DIR', help: 'the folder to write the survey into, in the DR1 layout (required; made if missing)' },
    {
      flag: '--spectra all|none|N',
      help: 'quasar coadd files for every dark-program healpix pixel (default, none for large), none, or N pixels',
    },
    { flag: '--manifest FILE', help: "also write a JSON manifest: preset, seed, command and every file's sha256 and size" },
    { flag: '--json', help: 'print the summary (counts, files, bytes, seconds) as JSON instead of one line' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      values: ['preset', 'seed', 'out', 'spectra', 'manifest'],
      switches: ['json'],
      aliases: { o: 'out' },
    });
    const preset = args.values.preset ?? 'small';
    if (!PRESETS.includes(preset)) throw UsageError.invalid('preset', preset, `one of ${PRESETS.join(', ')}`);
    const out = args.values.out;
    if (!out) throw new UsageError('missing --out DIR', { option: 'out' });
    const seed = parseSeed(args.values.seed);
    const spectra = parseSpectra(args.values.spectra);
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    const t0 = process.hrtime.bigint();
    let summary;
    try {
      summary = await makeSurvey({ preset: preset as 'small', seed, out, ...(spectra !== undefined ? { spectra } : {}), progress });
    } finally {
      progress.finish();
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // opened only now: the manifest may go inside the survey's folder, which makeSurvey has just made
    if (args.values.manifest !== undefined)
      await writeOutput('--manifest', args.values.manifest, JSON.stringify(await surveyManifest(summary), null, 2) + '\n');
    const bytes = summary.files.reduce((a, f) => a + f.bytes, 0);
    if (json) io.stdout(toJson({ ...summary, bytes, seconds: Math.round(seconds * 1000) / 1000 }, 2) + '\n');
    else {
      const c = summary.counts;
      io.stdout(
        `${out}: ${preset} survey, seed ${seed}: ${c.zcatalogRows} zcatalog rows, ${c.pixels} healpix pixels, ${c.spectra} quasar spectra, ` +
          `${c.voids} voids; ${summary.files.length} files, ${formatBytes(bytes)} in ${seconds.toFixed(1)} s\n`,
      );
    }
    return 0;
  },
};
