/**
 * Worker-thread entry of {@link measureQuasarFiles} (`measure-files.ts`): set up once with the shared options (the
 * redshifts as two arrays), then measures one file per job and sends its features back as Arrow IPC bytes. Not
 * imported by anything: `new Worker` runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveJobs } from '../core/index.js';
import { type FileFeaturesMessage, measureSpectraFile, type MeasureFileOptions, toMessage, transferables } from './measure-file.js';
import type { FeatureWorkerSetup } from './measure-files.js';
import { loadQuasarTemplates } from './quasar-templates.js';

const setup = workerData as FeatureWorkerSetup;
const options: MeasureFileOptions = { matrix: setup.matrix };
if (setup.grid) options.grid = setup.grid;
if (setup.fit) options.fit = setup.fit;
// By path, not by value: each worker reads the templates once rather than receiving a copy per job.
if (setup.templates !== undefined) options.fit = { ...options.fit, templates: await loadQuasarTemplates(setup.templates) };
if (setup.ids && setup.zs) {
  const redshifts = new Map<bigint, number>();
  for (let i = 0; i < setup.ids.length; i++) redshifts.set(setup.ids[i]!, setup.zs[i]!);
  options.redshifts = redshifts;
}

serveJobs<string, FileFeaturesMessage>(
  parentPort!,
  async (file, tick) => toMessage(await measureSpectraFile(file, options, tick)),
  transferables,
);
