/**
 * The shared state of a scan read by two threads (`read-helper.ts` and its worker `read-helper-worker.ts`): `slots`
 * piece buffers in one SharedArrayBuffer and a control array. Piece `i` goes to slot `i % slots`. Either thread claims
 * the next unread piece by bumping NEXT, reads it into its slot once the consumer has released that slot (CONSUMED
 * > i - slots), records its length and marks it READY (i + 1); the consumer takes pieces in order.
 */
export const NEXT = 0;
export const CONSUMED = 1;
export const STOP = 2;
const HEAD = 3;

/**
 * Views of the shared buffers.
 *
 * @example
 * const shared = new SharedPieces(8, 1 << 17); const copy = new SharedPieces(8, 1 << 17, shared.ctrl, shared.data);
 */
export class SharedPieces {
  readonly ctrl: Int32Array;
  readonly data: Uint8Array;

  constructor(
    readonly slots: number,
    readonly pieceBytes: number,
    ctrl?: Int32Array,
    data?: Uint8Array,
  ) {
    this.ctrl = ctrl ?? new Int32Array(new SharedArrayBuffer(4 * (HEAD + 2 * slots)));
    this.data = data ?? new Uint8Array(new SharedArrayBuffer(slots * pieceBytes));
  }

  /** Index in `ctrl` of the READY mark of the slot of piece `i`. */
  readyAt(i: number): number {
    return HEAD + (i % this.slots);
  }

  lengthAt(i: number): number {
    return HEAD + this.slots + (i % this.slots);
  }

  /** The buffer of the slot of piece `i`. */
  slot(i: number): Uint8Array {
    const s = i % this.slots;
    return this.data.subarray(s * this.pieceBytes, (s + 1) * this.pieceBytes);
  }

  /**
   * Claims the next unread piece if it is below `limit` and its slot is free; returns it, or -1. Both threads use this,
   * so a piece is read exactly once.
   */
  claim(limit: number): number {
    for (;;) {
      const i = Atomics.load(this.ctrl, NEXT);
      if (i >= limit || Atomics.load(this.ctrl, STOP) !== 0) return -1;
      if (Atomics.load(this.ctrl, CONSUMED) <= i - this.slots) return -1;
      if (Atomics.compareExchange(this.ctrl, NEXT, i, i + 1) === i) return i;
    }
  }

  /** Reads piece `i` with `read` (into its slot; returns bytes read) and marks it ready. */
  fill(i: number, read: (into: Uint8Array) => number): void {
    const n = read(this.slot(i));
    Atomics.store(this.ctrl, this.lengthAt(i), n);
    Atomics.store(this.ctrl, this.readyAt(i), i + 1);
    Atomics.notify(this.ctrl, this.readyAt(i));
  }
}
