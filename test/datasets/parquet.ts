import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tableFromIPC, type Table } from 'apache-arrow';

interface ParquetWasm {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
}

/** Reads a Parquet file into an Arrow table with parquet-wasm's reader (the writer side is under test, not this). */
export function readParquetFile(path: string): Table {
  const pq = createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return tableFromIPC(pq.readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
}
