import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileSource } from './file-source.js';
import type { ReadHelperInput } from './read-helper-worker.js';
import { CONSUMED, SharedPieces, STOP } from './shared-pieces.js';

const HELPER = new URL('./read-helper-worker.js', import.meta.url);
/** Pieces in flight: enough for the helper to run ahead while the caller decodes. */
const SLOTS = 8;
/** Pieces taken between two turns of the event loop when no wait gives one. */
const PIECES_PER_TURN = 128;

/** True where a helper thread can run: the worker script exists (the built package, not the TypeScript sources). */
export function canHelpRead(): boolean {
  return existsSync(fileURLToPath(HELPER));
}

/**
 * The pieces of `readRange` over a local file, read by this thread and a helper worker thread together: both claim the
 * next unread piece and copy it into a shared slot, and this thread hands them out in order, reading pieces itself
 * whenever the next one is not there yet (so the helper's start-up costs nothing). Reading is most of the work when few
 * columns are decoded from many rows, so two readers nearly halve it. If the helper fails, this thread reads the rest.
 *
 * @example
 * for await (const piece of readWithHelper(src, from, to, 1 << 17)) decode(piece);
 */
export async function* readWithHelper(src: FileSource, from: number, to: number, pieceBytes: number): AsyncGenerator<Uint8Array> {
  const shared = new SharedPieces(SLOTS, pieceBytes);
  const { ctrl } = shared;
  const pieces = Math.ceil((to - from) / pieceBytes);
  const want = (i: number) => Math.min(pieceBytes, to - from - i * pieceBytes);
  const readPiece = (i: number) => (into: Uint8Array) => src.readIntoSync(from + i * pieceBytes, into.subarray(0, want(i)));
  const input: ReadHelperInput = { fd: src.fd, from, to, pieceBytes, slots: SLOTS, ctrl, data: shared.data };
  const worker = new Worker(HELPER, { workerData: input });
  const gone = () => {
    if (Atomics.compareExchange(ctrl, STOP, 0, 2) === 0) for (let s = 0; s < SLOTS; s++) Atomics.notify(ctrl, shared.readyAt(s));
  };
  worker.once('error', gone);
  worker.once('exit', gone);
  try {
    for (let j = 0; j < pieces; j++) {
      for (;;) {
        const ready = Atomics.load(ctrl, shared.readyAt(j));
        if (ready === j + 1) break;
        if (Atomics.load(ctrl, STOP) === 2) {
          shared.fill(j, readPiece(j)); // the helper is gone: whatever it claimed and did not finish is read here
          break;
        }
        const i = shared.claim(pieces);
        if (i >= 0) {
          shared.fill(i, readPiece(i));
          if (i % PIECES_PER_TURN === PIECES_PER_TURN - 1) await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        const wait = Atomics.waitAsync(ctrl, shared.readyAt(j), ready, 100);
        if (wait.async) await wait.value;
      }
      const n = Atomics.load(ctrl, shared.lengthAt(j));
      yield shared.slot(j).subarray(0, n);
      if (n < want(j)) return;
      Atomics.store(ctrl, CONSUMED, j + 1);
      Atomics.notify(ctrl, CONSUMED);
    }
  } finally {
    Atomics.compareExchange(ctrl, STOP, 0, 1);
    Atomics.notify(ctrl, CONSUMED);
    void worker.terminate();
  }
}
