import { open, type FileHandle } from 'node:fs/promises';
import { FitsError, SkybookError, SourceError } from '../../errors/index.js';
import {
  FileSource,
  type FitsFile,
  type GatherJob,
  GatherTruncated,
  type HduInfo,
  pixelScaling,
  startGather,
  toNativeOrder,
} from '../../fits/index.js';
import type { RowRun } from './rows.js';

/** One image's rows to read: rows of `perRow` 4-byte values, as float32 or uint32 (see {@link RowReader.startRows}). */
export interface RowsRequest {
  hdu: HduInfo;
  perRow: number;
  ctor: typeof Float32Array | typeof Uint32Array;
}

/**
 * Reads image rows straight into output arrays: each run of consecutive rows is one positional read into its place in
 * the output (no buffer per read, no second copy), byte-swapped (`Buffer#swap32`, native) and, for BZERO-unsigned
 * integers, sign-flipped. Local files are read through a handle of our own (by the native addon's threads, or shared
 * with a worker thread for big selections: fits/image/gather.ts); other sources (HTTP, S3, gzip) through their `read`,
 * one range per run.
 *
 * @example
 * const rr = await RowReader.open(f);
 * try { const [flux] = await rr.startRows([{ hdu: f.hdu('B_FLUX'), perRow: 2751, ctor: Float32Array }], [{ start: 3, end: 5 }]).finish(); } finally { await rr.close(); }
 */
export class RowReader {
  private constructor(
    private readonly f: FitsFile,
    private readonly handle: FileHandle | undefined,
  ) {}

  /**
   * A reader for `f`; `close()` it when done.
   *
   * @example
   * const rr = await RowReader.open(f); try { await rr.startRows(reqs, runs).finish(); } finally { await rr.close(); }
   */
  static async open(f: FitsFile): Promise<RowReader> {
    return new RowReader(f, f.source instanceof FileSource ? await open(f.source.name, 'r') : undefined);
  }

  /** Closes the reader's own file handle (the FitsFile stays open). @example await rr.close(); */
  async close(): Promise<void> {
    await this.handle?.close();
  }

  /**
   * Starts reading the rows in `runs` of several 4-byte image HDUs (float32 for BITPIX -32 unscaled; uint32 for
   * BITPIX 32 with BZERO 2^31, or plain int32 whose bits are kept); `finish()` gives one array per request, undefined
   * for any other storage, which the caller decodes the general way. Each run is one positional read into its place
   * in the output, byte-swapped while in cache. From a local file other threads begin at once (fits/image/gather.ts:
   * the native addon's, or a worker sized by `mainBusyBytes`, about how much the caller will read meanwhile in bytes of
   * gathering), so the caller can read something else before `finish()`; `await cancel()` if it will not be called,
   * before closing the reader.
   *
   * @example
   * const pending = rr.startRows(reqs, runs, 48 << 20); const fm = await readFibermap(); const arrays = await pending.finish();
   */
  startRows(
    reqs: readonly RowsRequest[],
    runs: readonly RowRun[],
    mainBusyBytes = 0,
  ): { finish(): Promise<(Float32Array | Uint32Array | undefined)[]>; cancel(): Promise<void> } {
    const nsel = runs.reduce((n, r) => n + r.end - r.start, 0);
    const jobs: { req: number; job: GatherJob }[] = [];
    reqs.forEach((r, i) => {
      const s = pixelScaling(r.hdu.header);
      const float = r.ctor === Float32Array;
      const ok = float ? s.bitpix === -32 && s.mode === 'none' : s.bitpix === 32 && (s.mode === 'none' || s.mode === 'unsigned');
      if (!ok) return;
      const rowBytes = r.perRow * 4;
      const ranges = new Float64Array(runs.length * 2);
      runs.forEach((run, k) => {
        ranges[2 * k] = r.hdu.dataOffset + run.start * rowBytes;
        ranges[2 * k + 1] = (run.end - run.start) * rowBytes;
      });
      jobs.push({ req: i, job: { ranges, bytes: nsel * rowBytes, word: 4, flipSign: s.mode === 'unsigned' } });
    });
    const arrays = (buffers: ArrayBuffer[]) => {
      const out: (Float32Array | Uint32Array | undefined)[] = reqs.map(() => undefined);
      jobs.forEach((j, k) => {
        out[j.req] = new reqs[j.req]!.ctor(buffers[k]!);
      });
      return out;
    };
    if (!this.handle) return { finish: async () => arrays(await this.gatherRemote(jobs, reqs)), cancel: async () => {} };
    const pending = startGather(
      this.handle.fd,
      jobs.map((j) => j.job),
      mainBusyBytes,
    );
    return {
      finish: async () => {
        try {
          return arrays(await pending.finish());
        } catch (e) {
          if (e instanceof GatherTruncated)
            throw new FitsError('truncated image data', { file: this.f.name, hdu: hduName(reqs[jobs[e.job]!.req]!.hdu) });
          if (e instanceof SkybookError) throw e;
          throw new SourceError(this.f.name, `read failed: ${(e as Error).message}`, { cause: e }); // EIO and the like, named
        }
      },
      cancel: () => pending.cancel(),
    };
  }

  private async gatherRemote(jobs: readonly { req: number; job: GatherJob }[], reqs: readonly RowsRequest[]): Promise<ArrayBuffer[]> {
    const out: ArrayBuffer[] = [];
    for (const { req, job } of jobs) {
      const bytes = new Uint8Array(job.bytes);
      let at = 0;
      for (let k = 0; k < job.ranges.length; k += 2) {
        const len = job.ranges[k + 1]!;
        const got = await this.f.source.read(job.ranges[k]!, len);
        if (got.length < len) throw new FitsError('truncated image data', { file: this.f.name, hdu: hduName(reqs[req]!.hdu) });
        bytes.set(got, at);
        at += len;
      }
      toNativeOrder(bytes, job.word, job.flipSign);
      out.push(bytes.buffer);
    }
    return out;
  }
}

function hduName(h: HduInfo): string | number {
  return h.name || h.index;
}
