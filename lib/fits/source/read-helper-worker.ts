/**
 * Worker-thread entry of `read-helper.ts`: claims pieces of the scan and reads them into their shared slots until all
 * are claimed or the scan stops. Reads through the file descriptor of the main thread's `FileSource` (positional
 * reads need no shared offset). Not imported by anything: `new Worker` runs it from `dist/`.
 */
import { readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { CONSUMED, NEXT, SharedPieces, STOP } from './shared-pieces.js';

/** What the main thread sends. */
export interface ReadHelperInput {
  fd: number;
  from: number;
  to: number;
  pieceBytes: number;
  slots: number;
  ctrl: Int32Array;
  data: Uint8Array;
}

const input = workerData as ReadHelperInput;
const shared = new SharedPieces(input.slots, input.pieceBytes, input.ctrl, input.data);
const pieces = Math.ceil((input.to - input.from) / input.pieceBytes);

function readPiece(i: number, into: Uint8Array): number {
  const pos = input.from + i * input.pieceBytes;
  const want = Math.min(input.pieceBytes, input.to - pos);
  let done = 0;
  while (done < want) {
    const got = readSync(input.fd, into, done, want - done, pos + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}

try {
  for (;;) {
    const i = shared.claim(pieces);
    if (i >= 0) {
      shared.fill(i, (into) => readPiece(i, into));
      continue;
    }
    if (Atomics.load(shared.ctrl, NEXT) >= pieces || Atomics.load(shared.ctrl, STOP) !== 0) break;
    Atomics.wait(shared.ctrl, CONSUMED, Atomics.load(shared.ctrl, CONSUMED), 50); // until a slot is released
  }
} catch {
  // the main thread reads what is left itself
  Atomics.store(shared.ctrl, STOP, 2);
  for (let s = 0; s < shared.slots; s++) Atomics.notify(shared.ctrl, shared.readyAt(s));
}
