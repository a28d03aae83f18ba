// Run by streaming.test.ts in a child process (so its RSS is the generator's alone): iterates a medium survey's
// spectra through the built library, without writing, and prints RSS samples as JSON.
import { datasets } from '../../dist/lib/index.js';

const { surveySpectra } = datasets;

const maxPixels = Number(process.argv[2] ?? 60);
const samples = [];
let spectra = 0;
let batches = 0;
for await (const b of surveySpectra({ preset: 'medium', seed: 5, maxPixels })) {
  batches++;
  spectra += b.targetid.length;
  if (batches % 5 === 0) {
    globalThis.gc?.();
    samples.push(process.memoryUsage().rss);
  }
}
console.log(JSON.stringify({ spectra, batches, samples }));
