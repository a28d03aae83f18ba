import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatByteSize, memoryBudget } from '../../core/index.js';
import { SourceError } from '../../errors/index.js';
import type { ByteSource } from './byte-source.js';
import { FileSource } from './file-source.js';
import { GzipStreamSource } from './gzip-stream-source.js';
import { type Inflated, inflateAndKeep } from './inflate.js';
import { firstAnswer } from './second-thread.js';
import { MemorySource } from './memory-source.js';

/**
 * Limits on inflating a whole-file gzip.
 *
 * @example
 * await gunzipSource(src, { maxBytes: 2 ** 30 });
 */
export interface GzipOptions {
  /** Most decompressed bytes a `.gz` may have (default: the memory budget, `SKYBOOK_MAX_MEMORY`). */
  maxBytes?: number;
  /**
   * Most decompressed bytes kept in memory (default: an eighth of the memory budget, 512 MiB of 4 GiB). A file that
   * inflates to more keeps its first `retainBytes` and is read past them by inflating again from the start.
   */
  retainBytes?: number;
  /** Compressed bytes read per request (default 64 MiB: a remote `.gz` smaller than that is fetched whole, in one request). */
  chunkBytes?: number;
}

const WORKER = new URL('./inflate-worker.js', import.meta.url);
/** Compressed bytes from which a local `.gz` is inflated on a worker thread (starting one costs tens of ms). */
const WORKER_FROM = 1 << 20;
const DEFAULT_CHUNK = 64 * 2 ** 20;
/** Compressed bytes per read from a local file: its pages are in the page cache already, so small reads cost nothing. */
const LOCAL_CHUNK = 1 << 20;

/**
 * True when `bytes` starts with the gzip magic number 1f 8b. Detection is by content, never by file name.
 *
 * @example
 * isGzip(await src.read(0, 2));
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Opens a whole-file gzip (`.fits.gz`, one member or several concatenated) as a byte source with the original's name,
 * inflating it once, as a stream, to learn its size: zlib's output chunks are kept as they come (one copy, never
 * joined) up to `retainBytes`, so a file that inflates to that or less is then read from memory (a
 * {@link MemorySource}). A larger one keeps only its first `retainBytes` and is read past them by inflating again
 * from the start, discarding what is not asked for ({@link GzipStreamSource}; `fits info` reads only headers, so a
 * 3.9 GB bomb costs one pass in bounded memory). A file that inflates past `maxBytes` (default: the memory budget,
 * `SKYBOOK_MAX_MEMORY`) is refused as soon as it does. The compressed source is left open; a streaming result reads
 * it again and closes it with itself.
 *
 * @example
 * const fits = await gunzipSource(await FileSource.open('dss.fits.gz'));
 * const hdus = await walkHdus(fits);
 */
export async function gunzipSource(src: ByteSource, options: GzipOptions = {}): Promise<ByteSource> {
  const budget = memoryBudget();
  const maxBytes = options.maxBytes ?? budget.bytes;
  const retainBytes = options.retainBytes ?? Math.floor(budget.bytes / 8);
  const chunkBytes = options.chunkBytes ?? (src.readIntoSync ? LOCAL_CHUNK : DEFAULT_CHUNK);
  for (const [name, v, min] of [
    ['maxBytes', maxBytes, 0],
    ['retainBytes', retainBytes, 0],
    ['chunkBytes', chunkBytes, 1],
  ] as const)
    if (!Number.isSafeInteger(v) || v < min) throw new SourceError(src.name, `invalid ${name}: ${v}`);
  const tooBig = (): SourceError =>
    new SourceError(
      src.name,
      options.maxBytes === undefined
        ? `decompresses to more than ${formatByteSize(maxBytes)}, the memory budget (${budget.source}); ` +
            'decompress it on disk (gunzip -k) and open the .fits, or raise SKYBOOK_MAX_MEMORY'
        : `decompresses to more than ${maxBytes} bytes (maxBytes); raise maxBytes or decompress it on disk`,
    );

  // A remote file's compressed bytes are kept while it is read (they are fewer), so inflating again does not fetch again.
  const compressed = src.readIntoSync ? undefined : new KeptPieces(src, retainBytes);
  const { total, over, kept } =
    (src instanceof FileSource && src.size >= WORKER_FROM && (await inflateInWorker(src, chunkBytes, retainBytes, maxBytes))) ||
    (await inflateAndKeep(compressed ?? src, chunkBytes, retainBytes, maxBytes));
  if (over) throw tooBig();
  // zlib accepts an empty stream; a FITS file is never empty, so say so here rather than later
  if (total === 0 && src.size > 0) throw new SourceError(src.name, 'gzip data decompresses to nothing');
  const prefix = new MemorySource(kept, src.name);
  if (prefix.size === total) return prefix;
  return new GzipStreamSource(compressed?.source() ?? src, src, prefix, total, chunkBytes);
}

/**
 * {@link inflateAndKeep} of a local file on a worker thread (see inflate-worker.ts: the main thread's larger heap made
 * discarded output expensive to collect); undefined where the worker script is absent or the thread failed, and the
 * caller inflates on this thread. A corrupt stream is a SourceError naming the file.
 */
async function inflateInWorker(src: FileSource, pieceBytes: number, retainBytes: number, maxBytes: number): Promise<Inflated | undefined> {
  if (!existsSync(fileURLToPath(WORKER))) return undefined;
  type Answer = {
    total?: number;
    over?: boolean;
    buffers?: ArrayBuffer[];
    chunks?: { buffer: number; offset: number; length: number }[];
    error?: string;
    crash?: string;
  };
  const worker = new Worker(WORKER, { workerData: { path: src.name, pieceBytes, retainBytes, maxBytes } });
  const answer = await firstAnswer<Answer>(worker, 'the gzip thread').catch(() => undefined);
  void worker.terminate();
  if (!answer || answer.crash !== undefined) return undefined;
  if (answer.error !== undefined) throw new SourceError(src.name, answer.error);
  const kept = answer.chunks!.map((c) => new Uint8Array(answer.buffers![c.buffer]!, c.offset, c.length));
  return { total: answer.total!, over: answer.over!, kept };
}

/** A source's bytes as read through it, kept in memory up to a limit (beyond it, none are kept). */
class KeptPieces implements ByteSource {
  private pieces: Uint8Array[] | undefined = [];
  private held = 0;

  constructor(
    private readonly src: ByteSource,
    private readonly limit: number,
  ) {}

  get name(): string {
    return this.src.name;
  }

  get size(): number {
    return this.src.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.src.read(offset, length);
    if (this.pieces && offset === this.held && this.held + bytes.length <= this.limit) {
      this.pieces.push(bytes.slice());
      this.held += bytes.length;
    } else this.pieces = undefined;
    return bytes;
  }

  /** The whole source from memory when every byte was kept, else undefined. */
  source(): ByteSource | undefined {
    return this.pieces && this.held === this.src.size ? new MemorySource(this.pieces, this.src.name) : undefined;
  }

  close(): Promise<void> {
    return this.src.close();
  }
}
