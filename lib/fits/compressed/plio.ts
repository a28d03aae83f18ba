import { CodecError } from './codec-error.js';

/**
 * PLIO_1: IRAF's pixel-list encoding, a run-length code for non-negative integer masks. The tile is a list of
 * 16-bit words: a header (its length, and where the instructions start), then instructions, each a 3-bit opcode
 * over 12 bits of data, that emit runs of zeros or of the current "high value" and adjust that value.
 */

const OP_ZERO_RUN = 0; // data zeros
const OP_SET_HIGH = 1; // high value = (next word << 12) + data
const OP_INC_HIGH = 2;
const OP_DEC_HIGH = 3;
const OP_HIGH_RUN = 4; // data pixels at the high value
const OP_ZEROS_THEN_HIGH = 5; // data - 1 zeros, then one pixel at the high value
const OP_INC_STORE = 6; // high value += data, one pixel at it
const OP_DEC_STORE = 7; // high value -= data, one pixel at it

/**
 * Decodes one PLIO_1 tile of `npix` pixels from its 16-bit words (signed, already in native order).
 * Pixels the list does not reach are 0. Fails (CodecError) on a malformed list; never loops past its words.
 *
 * @example
 * const pix = plioDecompress(Int16Array.of(0, 7, -100, 8, 0, 0, 0, 4 * 4096 + 3), 3); // [1, 1, 1]
 */
export function plioDecompress(words: Int16Array, npix: number): Int32Array {
  const out = new Int32Array(npix);
  if (words.length < 3) throw new CodecError(`PLIO_1: ${words.length} words is too short for a line-list header`);
  let length: number;
  let first: number;
  if (words[2]! > 0) {
    // old header: length in word 3, instructions from word 4
    length = words[2]!;
    first = 3;
  } else {
    if (words.length < 5) throw new CodecError('PLIO_1: truncated line-list header');
    length = words[4]! * 32768 + words[3]!;
    first = words[1]!;
  }
  if (length <= 0 || npix <= 0) return out;
  if (length > words.length) throw new CodecError(`PLIO_1: the line list declares ${length} words but the tile holds ${words.length}`);
  if (first < 3 || first > length) throw new CodecError(`PLIO_1: instructions start at word ${first + 1}, outside the list`);

  let x = 0; // next pixel index
  let high = 1;
  for (let ip = first; ip < length && x < npix; ip++) {
    const w = words[ip]!;
    if (w < 0) throw new CodecError(`PLIO_1: invalid instruction word ${w} at word ${ip + 1}`);
    const op = w >> 12;
    const data = w & 4095;
    switch (op) {
      case OP_ZERO_RUN:
      case OP_HIGH_RUN:
      case OP_ZEROS_THEN_HIGH: {
        const end = Math.min(x + data, npix);
        if (op === OP_HIGH_RUN) out.fill(high, x, end);
        // zeros are already there
        else if (op === OP_ZEROS_THEN_HIGH && data > 0 && x + data <= npix) out[x + data - 1] = high;
        x += data;
        break;
      }
      case OP_SET_HIGH:
        if (ip + 1 >= length) throw new CodecError('PLIO_1: set-high instruction without its second word');
        high = words[ip + 1]! * 4096 + data;
        ip++;
        break;
      case OP_INC_HIGH:
        high += data;
        break;
      case OP_DEC_HIGH:
        high -= data;
        break;
      case OP_INC_STORE:
      case OP_DEC_STORE:
        high += op === OP_INC_STORE ? data : -data;
        out[x++] = high;
        break;
    }
  }
  return out;
}
