import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Table } from 'apache-arrow';
import { QuasarError, UsageError } from '../../errors/index.js';
import { loadQuasarTemplates, measureQuasarFiles, MlMatrixWriter, readRedshifts } from '../../quasar/index.js';
import { ingestTable, ParquetStreamWriter } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

/** `--redshifts a.fits b.fits --out x` (what a shell glob gives) as `--redshifts a.fits --redshifts b.fits --out x`. */
function spreadRedshifts(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    out.push(argv[i]!);
    if (argv[i] !== '--redshifts') continue;
    let k = i + 1;
    if (k < argv.length) out.push(argv[k++]!);
    while (k < argv.length && !argv[k]!.startsWith('-')) out.push('--redshifts', argv[k++]!);
    i = k - 1;
  }
  return out;
}

/**
 * `skybook quasar features SPECTRA... --out FEATURES.parquet`: continuum, emission lines, BAL indices and luminosities of
 * every spectrum, one row each, streamed to Parquet (and, with --db, into the store keyed by TARGETID).
 */
export const quasarFeatures: Command = {
  name: 'quasar features',
  usage:
    'skybook quasar features SPECTRA... [--redshifts REDROCK...] --out FEATURES.parquet [--matrix MATRIX.parquet] ' +
    '[--templates DIR] [--threads N] [--db URL] [--table NAME] [--json]',
  summary: 'measure quasar spectra: power-law continuum, broad and narrow lines, CIV blueshift, BAL indices, luminosities',
  flags: [
    {
      flag: 'SPECTRA...',
      help: 'DESI coadd or spectra files (every spectrum in them), or SDSS spec-PLATE-MJD-FIBER.fits files (which carry their own redshift)',
    },
    {
      flag: '--redshifts REDROCK...',
      help: "redrock files giving each TARGETID's Z: every file after the flag up to the next option (default: the redrock file beside each DESI file)",
    },
    {
      flag: '-o, --out FEATURES.parquet',
      help: 'the features table: TARGETID, Z, FILE, ROW, STATUS, REASON, the line columns (hb_br_fwhm, ...) and the DESI BAL catalogue columns (BI_CIV, ...) (required)',
    },
    {
      flag: '--matrix MATRIX.parquet',
      help: 'also write the ML matrix of the measured spectra (rest-frame, normalised float32 flux, ivar, mask)',
    },
    {
      flag: '--templates DIR',
      help:
        'quasar templates (npm run setup:python puts them in .venv/share/skybook/quasar-templates): subtract a host galaxy ' +
        '(Yip et al. 2004 eigenspectra, z < 1.16) and fit optical Fe II (Kovacevic et al. 2010) first, as PyQSOFit does',
    },
    { flag: '--threads N', help: 'worker threads (default 1); the output is identical for any number' },
    {
      flag: '--db URL',
      help: 'also load the features into a store (duckdb:FILE or postgres://...), replacing the rows of these TARGETIDs',
    },
    { flag: '--table NAME', help: 'the store table (default quasar_features)' },
    { flag: '--json', help: 'print counts (spectra, measured, failed and why), files and seconds as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(spreadRedshifts(argv), {
      positionals: ['spectra'],
      variadic: true,
      values: ['out', 'matrix', 'threads', 'db', 'table', 'templates'],
      repeatable: ['redshifts'],
      switches: ['json'],
      aliases: { o: 'out' },
    });
    const v = args.values;
    const files = [args.positionals.spectra!, ...args.rest];
    const out = v.out;
    if (!out) throw new UsageError('missing --out FEATURES.parquet', { option: 'out' });
    const max = 4 * availableParallelism();
    const threads = v.threads === undefined ? 1 : Number(v.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > max) throw UsageError.invalid('threads', v.threads!, `an integer 1..${max}`);
    for (const f of files) {
      if (!existsSync(f)) throw new QuasarError('no such file', { file: f });
      if (statSync(f).isDirectory())
        throw new QuasarError('is a directory; give the spectra files in it (e.g. DIR/coadd-*.fits)', { file: f });
    }
    const json = args.switches.has('json');
    // The outputs must be writable before the work starts (a missing folder is reported at once, exit 2).
    for (const [flag, path] of [
      ['--out', out],
      ['--matrix', v.matrix],
    ] as const) {
      if (path === undefined) continue;
      const probe = await OutputFile.open(flag, path);
      await probe.abandon();
    }
    // A bad templates directory is reported before any work (exit 2, naming the file).
    if (v.templates !== undefined) await loadQuasarTemplates(v.templates);
    const t0 = performance.now();
    const redshiftFiles = args.lists.redshifts ?? [];
    const redshifts = redshiftFiles.length > 0 ? await readRedshifts(redshiftFiles) : undefined;
    const progress = progressFor(io, !json);
    const writer = new ParquetStreamWriter(out);
    const matrix = v.matrix ? new MlMatrixWriter(v.matrix) : undefined;
    const batches = [];
    let spectra = 0;
    let good = 0;
    const reasons = new Map<string, number>();
    try {
      for await (const r of measureQuasarFiles(files, {
        threads,
        progress,
        matrix: matrix !== undefined,
        ...(redshifts ? { redshifts } : {}),
        ...(v.templates !== undefined ? { templates: v.templates } : {}),
      })) {
        await (r.ipc ? writer.writeIpc(r.ipc) : writer.write(r.features));
        if (v.db !== undefined) batches.push(r.features);
        if (matrix && r.matrix) await matrix.write(r.matrix);
        spectra += r.features.numRows;
        good += r.good;
        const reason = r.features.getChild('REASON')!;
        for (let i = 0; i < reason.length; i++) {
          const why = reason.get(i) as string | null;
          if (why === null) continue;
          // Reasons that differ only in a number (z=0.010, z=7.200) count as one.
          const key = why.replace(/-?\d+(\.\d+)?/g, 'N');
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      }
      await writer.close();
      await matrix?.close();
    } catch (e) {
      await writer.abort();
      await matrix?.abort();
      throw e;
    } finally {
      progress.finish();
    }
    const t1 = performance.now();
    let stored: { table: string; status: string; rows: number } | undefined;
    if (v.db !== undefined) {
      const table = v.table ?? 'quasar_features';
      const r = await ingestTable(new Table(batches), { into: v.db, table, source: out, replace: true, progress: false });
      stored = { table, status: r.status, rows: r.loaded };
    }
    const seconds = (performance.now() - t0) / 1000;
    const failed = spectra - good;
    if (json) {
      io.stdout(
        toJson(
          {
            files: files.length,
            spectra,
            measured: good,
            failed,
            reasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])),
            out,
            ...(v.matrix ? { matrix: v.matrix } : {}),
            ...(stored ? { stored } : {}),
            threads,
            seconds: Math.round(seconds * 1000) / 1000,
            spectraPerSecond: Math.round(spectra / ((t1 - t0) / 1000)),
          },
          2,
        ) + '\n',
      );
    } else {
      const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3);
      io.stdout(
        `${out}: ${spectra} spectra from ${files.length} file${files.length === 1 ? '' : 's'}, ${good} measured, ${failed} failed` +
          (top.length ? ` (${top.map(([why, n]) => `${n} ${why}`).join('; ')})` : '') +
          (stored ? `; ${stored.rows} rows into ${stored.table} (${stored.status})` : '') +
          `; ${seconds.toFixed(1)} s\n`,
      );
    }
    return 0;
  },
};
