import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFits } from '../../lib/fits/writer/index.js';
import { ROW_BYTES, ZCATALOG_SCHEMA, zcatalogBatches } from './zcatalog.js';

/** Bump when the table's columns or values change, so an old file in `bench/out/` is rewritten. */
const TABLE_VERSION = 1;

export interface MadeTable {
  path: string;
  size: number;
  rows: number;
  /** Seconds the write took; null when an existing file was reused. */
  writeSeconds: number | null;
}

/** The size a table of `rows` rows must have: a primary header block, one ZCATALOG header, the data padded to 2880. */
function minimumSize(rows: number): number {
  return 2880 * 2 + Math.ceil((rows * ROW_BYTES) / 2880) * 2880;
}

/**
 * Writes the benchmark table once into `dir` (`zcatalog-<rows>-s<seed>.fits`, streamed batch by batch through the FITS
 * writer), or reuses the file already there when its sidecar `.json` records the same rows, seed, version and size.
 * `fresh` rewrites it anyway.
 *
 * @example
 * const t = await ensureTable({ dir: 'bench/out', rows: 200_000, seed: 42 });
 */
export async function ensureTable(opts: { dir: string; rows: number; seed: number; fresh?: boolean }): Promise<MadeTable> {
  const path = join(opts.dir, `zcatalog-${opts.rows}-s${opts.seed}.fits`);
  const sidecar = `${path}.json`;
  const want = { version: TABLE_VERSION, rows: opts.rows, seed: opts.seed };
  if (!opts.fresh && existsSync(path) && existsSync(sidecar)) {
    const have = JSON.parse(readFileSync(sidecar, 'utf8')) as typeof want & { size: number };
    const size = statSync(path).size;
    if (have.version === want.version && have.rows === want.rows && have.seed === want.seed && have.size === size) {
      return { path, size, rows: opts.rows, writeSeconds: null };
    }
  }
  await mkdir(dirname(path), { recursive: true });
  await rm(sidecar, { force: true });
  const tmp = `${path}.tmp`;
  const t0 = performance.now();
  await writeFits(
    tmp,
    [
      { kind: 'image' },
      { kind: 'table', name: 'ZCATALOG', schema: ZCATALOG_SCHEMA, table: zcatalogBatches({ rows: opts.rows, seed: opts.seed }) },
    ],
    { overwrite: true },
  );
  const writeSeconds = (performance.now() - t0) / 1000;
  await rename(tmp, path);
  const size = statSync(path).size;
  if (size < minimumSize(opts.rows)) throw new Error(`${path}: ${size} bytes, expected at least ${minimumSize(opts.rows)}`);
  writeFileSync(sidecar, JSON.stringify({ ...want, size, writeSeconds }) + '\n');
  return { path, size, rows: opts.rows, writeSeconds };
}

/** `node dist/bench/fits-read/make-table.js [--rows N] [--seed S] [--fresh]`: writes (or finds) the table, prints its path. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rowsAt = args.indexOf('--rows');
  const seedAt = args.indexOf('--seed');
  const t = await ensureTable({
    dir: resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench/out'),
    rows: rowsAt >= 0 ? Number(args[rowsAt + 1]) : 5_000_000,
    seed: seedAt >= 0 ? Number(args[seedAt + 1]) : 42,
    fresh: args.includes('--fresh'),
  });
  process.stdout.write(
    `${t.path}: ${t.rows} rows, ${(t.size / 1e9).toFixed(3)} GB, ${t.writeSeconds === null ? 'reused' : `written in ${t.writeSeconds.toFixed(1)} s`}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
