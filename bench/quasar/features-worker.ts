// bench/quasar's skybook side, on a thread of its own: measureQuasarFiles over the files again and again until
// `spectra` have been measured, each pass's features streamed to Parquet as the CLI does, and the peak resident memory
// after each pass (process-wide, so it includes the feature threads).
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { measureQuasarFiles } from '../../lib/quasar/index.js';
import { ParquetStreamWriter } from '../../lib/store/index.js';

const { files, spectra, threads } = workerData as { files: string[]; spectra: number; threads: number };
const out = join(tmpdir(), `skybook-bench-quasar-${process.pid}.parquet`);
const rssAfterPass: number[] = [];
let done = 0;
let measured = 0;
const t0 = performance.now();
while (done < spectra) {
  const writer = new ParquetStreamWriter(out);
  for await (const r of measureQuasarFiles(files, { threads, matrix: true, progress: false })) {
    await writer.write(r.features);
    done += r.features.numRows;
    measured += r.good;
  }
  await writer.close();
  rssAfterPass.push(process.resourceUsage().maxRSS * 1024);
}
const seconds = (performance.now() - t0) / 1000;
rmSync(out, { force: true });
parentPort!.postMessage({ spectra: done, seconds, rssAfterPass, measured, failed: done - measured });
