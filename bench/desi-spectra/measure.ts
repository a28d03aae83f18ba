import { readFileSync } from 'node:fs';
import { readSpectra } from '../../lib/desi/index.js';
import { spectraHashes, type Hashes } from './hashes.js';

/**
 * The skybook side, run by the driver in a fresh process: `readSpectra(FILE, { targetids })` for the TARGETIDs listed
 * in IDS (one per line), all arms, with resolution and every FIBERMAP column. Prints one JSON line: seconds (the
 * read alone: open, TARGETID index, row reads, close; not Node's start, the imports or the hashing), its CPU seconds, peak RSS,
 * nspec, and the sha256 of every returned array (see hashes.ts).
 *
 * @example
 * node dist/bench/desi-spectra/measure.js bench/out/desi-spectra/n5000-s42/coadd-main-dark-26841.fits targets.txt
 */
export interface Measurement {
  tool: 'skybook';
  seconds: number;
  /** CPU time (user + system, all threads) of the read: what the machine's load does not inflate. */
  cpuSeconds: number;
  maxRssBytes: number;
  nspec: number;
  hashes: Hashes;
}

async function main(): Promise<void> {
  const [file, idsFile] = process.argv.slice(2);
  if (!file || !idsFile) {
    process.stderr.write('usage: measure.js COADD IDS_FILE\n');
    process.exit(2);
  }
  const targetids = readFileSync(idsFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => BigInt(l));
  // FitsFile loads its table readers (and what they import) on first use: load them now, so the seconds are the read's
  // alone, as astropy's exclude its imports (bench/fits-read/measure.ts does the same)
  await import('../../lib/fits/bintable/read-table.js');
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await readSpectra(file, { targetids });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const out: Measurement = {
    tool: 'skybook',
    seconds,
    cpuSeconds: (c.user + c.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    nspec: s.nspec,
    hashes: spectraHashes(s),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
