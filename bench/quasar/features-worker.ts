// bench/quasar's skybook side, on a thread of its own: one measureQuasarFiles call over the files listed again and
// again until `spectra` have been measured (with the ML matrix rows when `matrix`), as `skybook quasar features`
// runs over many files: one pool of feature threads for the whole run, the features streamed to one Parquet file,
// and the peak resident memory each time another pass over the files has been measured (process-wide, so it
// includes the feature threads; flat = memory does not grow with the number of spectra).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { FitsFile } from '../../lib/fits/index.js';
import { measureQuasarFiles } from '../../lib/quasar/index.js';
import { ParquetStreamWriter } from '../../lib/store/index.js';

const { files, spectra, threads, matrix } = workerData as { files: string[]; spectra: number; threads: number; matrix: boolean };

/** Spectra in one pass over the files (FIBERMAP rows, from the headers). */
let perPass = 0;
for (const file of files) {
  const f = await FitsFile.open(file);
  perPass += Number(f.hdus.find((h) => h.name === 'FIBERMAP')?.header.get('NAXIS2') ?? 0);
  await f.close();
}
const passes = Math.max(1, Math.ceil(spectra / perPass));
const list = Array.from({ length: passes }, () => files).flat();

const out = join(tmpdir(), `skybook-bench-quasar-${process.pid}.parquet`);
const rssAfterPass: number[] = [];
let done = 0;
let measured = 0;
const t0 = performance.now();
const writer = new ParquetStreamWriter(out);
for await (const r of measureQuasarFiles(list, { threads, matrix, progress: false })) {
  await (r.ipc ? writer.writeIpc(r.ipc) : writer.write(r.features));
  done += r.features.numRows;
  measured += r.good;
  if (done >= (rssAfterPass.length + 1) * perPass) rssAfterPass.push(process.resourceUsage().maxRSS * 1024);
}
await writer.close();
const seconds = (performance.now() - t0) / 1000;
rmSync(out, { force: true });
parentPort!.postMessage({ spectra: done, seconds, rssAfterPass, measured, failed: done - measured });
