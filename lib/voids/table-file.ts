import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type Table, tableToIPC } from 'apache-arrow';
import { fileProblem, VoidsError } from '../errors/index.js';

interface ParquetWasm {
  Table: { fromIPCStream(b: Uint8Array): unknown };
  writeParquet(t: unknown): Uint8Array;
}

let wasm: ParquetWasm | undefined;
/** parquet-wasm, loaded on first use (a few MB of WebAssembly that most readers of voids never need). */
function parquet(): ParquetWasm {
  wasm ??= createRequire(import.meta.url)('parquet-wasm/node') as ParquetWasm;
  return wasm;
}

/**
 * The bytes of a table as its file name asks: `.parquet` (Parquet, via parquet-wasm) or `.arrow` / `.feather` /
 * `.ipc` (an Arrow IPC file). Deterministic: the same table gives the same bytes.
 *
 * @example
 * const bytes = tableFileBytes('maximals.parquet', catalogue.maximals);
 */
export function tableFileBytes(path: string, table: Table): Uint8Array {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return parquet().writeParquet(parquet().Table.fromIPCStream(tableToIPC(table, 'stream')));
  if (lower.endsWith('.arrow') || lower.endsWith('.feather') || lower.endsWith('.ipc')) return tableToIPC(table, 'file');
  throw new VoidsError('unknown table format: name the file .parquet, .arrow, .feather or .ipc', { file: path });
}

/**
 * Writes MAXIMALS, HOLES (or any Arrow table) as Parquet or an Arrow IPC file, by the file's extension, for the store
 * and for tools that read columns without FITS. Written beside the target and renamed when complete, so a failure
 * leaves nothing at `path`; an existing file is replaced only with `overwrite`.
 *
 * @example
 * await writeVoidTable('dr7-maximals.parquet', catalogue.maximals);
 */
export async function writeVoidTable(path: string, table: Table, options: { overwrite?: boolean } = {}): Promise<void> {
  const bytes = tableFileBytes(path, table);
  if (
    !options.overwrite &&
    (await stat(path).then(
      () => true,
      () => false,
    ))
  )
    throw new VoidsError('exists; pass overwrite to replace it', { file: path });
  const partial = `${path}.partial-${process.pid}`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw new VoidsError(`cannot write it: ${fileProblem(e)}`, { file: path });
  }
}
