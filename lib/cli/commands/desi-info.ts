import { statSync } from 'node:fs';
import { type DesiDirInfo, type DesiInfo, desiInfo, desiInfoDir } from '../../desi/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

const n = (k: number) => k.toLocaleString('en-US');
/** `1 redshift`, `338 redshifts`, `2 spectra`. */
const counted = (k: number, one: string) => `${n(k)} ${k === 1 ? one : one === 'spectrum' ? 'spectra' : `${one}s`}`;
/** `main 10,000, sv3 2,345`: a count per value, or '-' when there is none. */
const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ') || '-';

/** What a zcatalog holds, in words: `15,060 rows; surveys main 15,060; programs bright 7,000, dark 8,060; healpix 27200-27299`. */
function catalogText(info: DesiInfo): string {
  const c = info.catalog!;
  return `${n(c.rows)} rows; surveys ${counts(c.surveys)}; programs ${counts(c.programs)}; healpix ${c.healpix ? `${c.healpix.min}-${c.healpix.max}` : '-'}`;
}

/** One line for a file in a folder's summary. */
function fileLine(info: DesiInfo): string {
  if (info.catalog) return `${info.file}: zcatalog, ${catalogText(info)}`;
  const where = [info.survey ?? '-', info.program ?? '-', info.healpix ?? '-'].join('/');
  const what = info.product === 'redrock' ? 'redshift' : 'spectrum';
  const arms = Object.keys(info.arms);
  return `${info.file}: ${info.product}, ${where}, ${counted(info.nspec, what)}${arms.length ? `, arms ${arms.join(' ')}` : ''}`;
}

function skippedLine(d: DesiDirInfo): string {
  const s = d.skipped;
  const parts = [
    `${n(d.files.length)} DESI file${d.files.length === 1 ? '' : 's'}${d.truncated ? ' (stopped there: give a subfolder for the rest)' : ''}`,
    `skipped ${n(s.notFits)} non-FITS, ${n(s.notDesi)} FITS of no DESI product, ${n(s.unreadable.length)} unreadable`,
  ];
  return `${d.dir}: ${parts.join('; ')}`;
}

/**
 * `skybook desi info PATH [--json]`: what DESI product a file is (zcatalog, redrock, coadd, spectra, sdss-spec) and
 * its summary; for a folder, one line per DESI file under it (sorted; other files skipped and counted). Unknown files
 * exit 2 naming the file and the HDUs that were expected.
 *
 * @example
 * skybook desi info coadd-main-dark-27247.fits --json
 */
export const desiInfoCommand: Command = {
  name: 'desi info',
  usage: 'skybook desi info PATH [--json]',
  summary: 'what DESI product a file is, and its summary; for a folder, every DESI file under it',
  flags: [
    {
      flag: 'PATH',
      help:
        'a DESI file (zcatalog, redrock, coadd, spectra; an SDSS spec file too): a path, http(s):// URL or s3://...; ' +
        'or a local folder: every DESI file under it, one line each (sorted, at most 1,000; non-FITS files skipped and counted)',
    },
    {
      flag: '--json',
      help:
        "a file: { product, survey, program, healpix, nspec, targetids, arms, columns, catalog } (catalog: a zcatalog's rows, " +
        'surveys and programs with counts, healpix range); a folder: an array of those, each with its file',
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['path'], switches: ['json'] });
    const path = args.positionals.path!;
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory(); // a URL or a missing path: desiInfo says what is wrong with it
    } catch {
      /* not a local folder */
    }
    if (isDir) {
      let d: DesiDirInfo;
      try {
        d = await desiInfoDir(path, { progress });
      } finally {
        progress.finish();
      }
      if (json) {
        io.stdout(toJson(d.files) + '\n');
        io.stderr(`skybook desi info: ${skippedLine(d)}\n`);
      } else {
        io.stdout(d.files.map((f) => fileLine(f) + '\n').join(''));
        io.stdout(skippedLine(d) + '\n');
      }
      for (const u of d.skipped.unreadable) io.stderr(`skybook desi info: skipped ${u.error}\n`);
      return 0;
    }
    let info: DesiInfo;
    try {
      info = await desiInfo(path, { progress });
    } finally {
      progress.finish();
    }
    if (json) {
      const { file: _file, ...rest } = info;
      io.stdout(toJson(rest) + '\n');
      return 0;
    }
    const lines = [
      `${info.file}: ${info.product}`,
      info.catalog
        ? `  ${catalogText(info)}`
        : `  survey ${info.survey ?? '-'}, program ${info.program ?? '-'}, healpix ${info.healpix ?? '-'}`,
      `  ${n(info.nspec)} ${info.product === 'zcatalog' || info.product === 'redrock' ? 'redshifts' : 'spectra'}; first TARGETIDs: ${info.targetids.join(', ') || '-'}`,
      ...Object.entries(info.arms).map(([arm, a]) => `  arm ${arm}: ${a.nwave} pixels, ${a.wmin.toFixed(1)}-${a.wmax.toFixed(1)} A`),
      `  ${info.columns.length} columns: ${info.columns.join(' ')}`,
    ];
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
