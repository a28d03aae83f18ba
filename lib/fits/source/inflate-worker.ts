/**
 * Worker-thread entry of `gzip.ts`: inflates a local `.gz` once (`inflateAndKeep`) and sends back its size and the
 * kept chunks, their memory transferred, not copied. On a thread of its own the inflation runs on a small heap: on the
 * main thread, with the FITS readers and Apache Arrow loaded, V8 ran a full collection for every few tens of MB of
 * discarded output and `fits info` of a 3.6 GiB bomb spent 2.4 of its 4 s in the garbage collector. Not imported by
 * anything: `new Worker` runs it from `dist/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SourceError } from '../../errors/index.js';
import { FileSource } from './file-source.js';
import { inflateAndKeep } from './inflate.js';

const { path, pieceBytes, retainBytes, maxBytes } = workerData as {
  path: string;
  pieceBytes: number;
  retainBytes: number;
  maxBytes: number;
};
try {
  const src = await FileSource.open(path);
  try {
    const { total, over, kept } = await inflateAndKeep(src, pieceBytes, retainBytes, maxBytes);
    const buffers = [...new Set(kept.map((c) => c.buffer as ArrayBuffer))];
    const chunks = kept.map((c) => ({ buffer: buffers.indexOf(c.buffer as ArrayBuffer), offset: c.byteOffset, length: c.length }));
    parentPort!.postMessage({ total, over, buffers, chunks }, buffers);
  } finally {
    await src.close();
  }
} catch (e) {
  // bad input (a corrupt stream) is reported by the main thread, naming the file; anything else makes it inflate itself
  parentPort!.postMessage({
    error: e instanceof SourceError ? e.problem : undefined,
    crash: e instanceof SourceError ? undefined : String(e),
  });
}
