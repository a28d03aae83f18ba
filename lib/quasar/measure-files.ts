import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Progress, progressOf, WorkerPool } from '../core/index.js';
import { FitsFile } from '../fits/index.js';
import { type FileFeatures, type FileFeaturesMessage, fromMessage, type MeasureFileOptions, measureSpectraFile } from './measure-file.js';
import { loadQuasarTemplates } from './quasar-templates.js';

const WORKER = new URL('./feature-worker.js', import.meta.url);

/**
 * Options of {@link measureQuasarFiles}: those of one file, plus worker threads (default 1: the calling thread), where
 * progress goes (spectra measured), and a quasar templates directory (loadQuasarTemplates) for the host-galaxy and
 * Fe II steps of the fit: read once here, which reports a bad directory before any work, and once by each worker.
 *
 * @example
 * const o: MeasureFilesOptions = { threads: 2, matrix: true, progress: bar, templates: defaultQuasarTemplatesDir() };
 */
export interface MeasureFilesOptions extends MeasureFileOptions {
  threads?: number;
  progress?: Progress | false;
  templates?: string | undefined;
}

/** What a feature worker is set up with: the options every file shares (the redshifts as two arrays). */
export interface FeatureWorkerSetup {
  ids?: BigInt64Array;
  zs?: Float64Array;
  matrix: boolean;
  grid?: MeasureFileOptions['grid'];
  fit?: MeasureFileOptions['fit'];
  /** The quasar templates directory each worker loads once. */
  templates?: string;
}

/** Spectra in a file, from its headers alone (FIBERMAP rows for DESI, 1 for an SDSS spec file). */
async function countSpectra(file: string): Promise<number> {
  const f = await FitsFile.open(file);
  try {
    const fibermap = f.hdus.find((h) => h.name === 'FIBERMAP');
    if (fibermap) return Number(fibermap.header.get('NAXIS2') ?? 0);
    return 1;
  } finally {
    await f.close();
  }
}

/**
 * Measures the quasar spectra of many files ({@link measureSpectraFile} per file) on `threads` worker threads, and
 * yields each file's features in the order of `files`, whatever order the threads finish in: the output of any
 * thread count is identical. At most two files per thread are in flight, so memory stays flat however many files
 * there are. A file that cannot be read stops the run with an error naming it.
 *
 * @example
 * for await (const r of measureQuasarFiles(files, { threads: 2 })) await writer.write(r.features);
 */
export async function* measureQuasarFiles(files: readonly string[], options: MeasureFilesOptions = {}): AsyncGenerator<FileFeatures> {
  const templates = options.templates === undefined ? undefined : await loadQuasarTemplates(options.templates);
  const fileOptions: MeasureFileOptions = templates ? { ...options, fit: { ...options.fit, templates } } : options;
  const progress = progressOf(options.progress);
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  let total = 0;
  // Each file's headers are read once even when the list names it again (a benchmark reading its files pass after pass).
  const counts = new Map<string, number>();
  for (const f of files) {
    let n = counts.get(f);
    if (n === undefined) counts.set(f, (n = await countSpectra(f)));
    total += n;
  }
  progress.start({ label: `quasar features of ${files.length} file${files.length === 1 ? '' : 's'}`, total, unit: 'spectra' });
  const useWorkers = threads > 1 && existsSync(fileURLToPath(WORKER));
  try {
    if (!useWorkers) {
      for (const file of files) yield await measureSpectraFile(file, fileOptions, (n) => progress.advance(n, basename(file)));
      return;
    }
    const setup: FeatureWorkerSetup = { matrix: options.matrix ?? false };
    if (options.grid) setup.grid = options.grid;
    if (options.fit) setup.fit = options.fit;
    if (options.templates !== undefined) setup.templates = options.templates;
    if (options.redshifts) {
      setup.ids = BigInt64Array.from(options.redshifts.keys());
      setup.zs = Float64Array.from(options.redshifts.values());
    }
    // Two files per thread at a time: while one waits on its reads the other is measured (see WorkerPool).
    const pool = new WorkerPool<string, FileFeaturesMessage>(WORKER, threads, setup, { perWorker: 2 });
    try {
      const inFlight: Promise<FileFeaturesMessage>[] = [];
      let next = 0;
      const submit = () => {
        const file = files[next++]!;
        const job = pool.run(file, { onTick: (n) => progress.advance(n, basename(file)) });
        // Awaited in order below; a later file's failure must not surface as an unhandled rejection meanwhile.
        job.catch(() => undefined);
        inFlight.push(job);
      };
      while (next < files.length && inFlight.length < 2 * threads) submit();
      while (inFlight.length > 0) {
        const message = await inFlight.shift()!;
        if (next < files.length) submit();
        yield fromMessage(message);
      }
    } finally {
      await pool.close();
    }
  } finally {
    progress.finish();
  }
}
