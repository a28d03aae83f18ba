import { FitsFile } from '../../lib/fits/fits-file.js';
import { readRange, scanPieceBytes } from '../../lib/fits/source/read-range.js';
import { fitsStats } from '../../lib/fits/stats/hdu-stats.js';

/**
 * One in-process measurement, run by the benchmark driver in a fresh child process so that its peak RSS is its own.
 * Prints one JSON line: mode, seconds (the work only, not Node's start or the imports), peak RSS in bytes, rows.
 *
 * Modes: `full` (readTable of every column), `column NAME` (readTable of one column), `stats` (fitsStats of the whole
 * file, what `skybook fits stats` runs), `verify` (the CHECKSUM/DATASUM pass of HDU 1 alone), `io` (the table's bytes
 * read as our readers read them, 128 KiB positional reads into one reused buffer, and nothing else: the floor a
 * one-thread reader pays without mmap).
 *
 * @example
 * node dist/bench/fits-read/measure.js column bench/out/zcatalog-5000000-s42.fits Z
 */
export type MeasureMode = 'full' | 'column' | 'stats' | 'verify' | 'io';

export interface Measurement {
  mode: MeasureMode;
  seconds: number;
  maxRssBytes: number;
  rows: number;
}

async function work(mode: MeasureMode, file: string, column: string | undefined): Promise<number> {
  const fits = await FitsFile.open(file);
  try {
    const hdu = fits.hdus[1]!;
    switch (mode) {
      case 'full':
        return (await fits.readTable(1)).numRows;
      case 'column':
        return (await fits.readTable(1, { columns: [column ?? 'Z'] })).numRows;
      case 'stats':
        return (await fitsStats(fits)).hdus[1]?.table?.rows ?? 0;
      case 'verify':
        await fits.verify(1);
        return hdu.header.int('NAXIS2');
      case 'io': {
        const end = hdu.dataOffset + hdu.header.int('NAXIS1') * hdu.header.int('NAXIS2');
        let touched = 0;
        for await (const piece of readRange(fits.source, hdu.dataOffset, end, scanPieceBytes(fits.source))) touched += piece.length;
        return touched === end - hdu.dataOffset ? hdu.header.int('NAXIS2') : -1;
      }
    }
  } finally {
    await fits.close();
  }
}

async function main(): Promise<void> {
  const [mode, file, column] = process.argv.slice(2) as [MeasureMode, string, string | undefined];
  if (!['full', 'column', 'stats', 'verify', 'io'].includes(mode) || !file) {
    process.stderr.write('usage: measure.js full|column|stats|verify|io FILE [COLUMN]\n');
    process.exit(2);
  }
  // FitsFile loads its table readers (and apache-arrow) on first use: load them now, so the seconds stay the read's
  // alone, as they were when lib/fits imported everything up front ("seconds exclude start-up and imports").
  await import('../../lib/fits/bintable/read-table.js');
  const t0 = performance.now();
  const rows = await work(mode, file, column);
  const seconds = (performance.now() - t0) / 1000;
  const out: Measurement = { mode, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, rows };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
