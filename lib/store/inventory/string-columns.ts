import { Field, List, makeData, makeVector, Utf8, type Vector } from 'apache-arrow';

/** A validity bitmap for `values` (bit set = present), and how many are null. */
function validity(values: readonly unknown[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

/** Utf8 data from strings: one encode of all of them joined, offsets from their byte lengths. */
function utf8Data(values: readonly (string | null)[]) {
  const valueOffsets = new Int32Array(values.length + 1);
  let bytes = 0;
  values.forEach((s, i) => {
    if (s !== null) bytes += Buffer.byteLength(s);
    valueOffsets[i + 1] = bytes;
  });
  const data = new Uint8Array(Buffer.from(values.map((s) => s ?? '').join(''), 'utf8'));
  return makeData({ type: new Utf8(), length: values.length, ...validity(values), valueOffsets, data });
}

/**
 * A string column built in one pass (Arrow's generic builder spends most of a large inventory's write time on
 * per-cell encoding and garbage).
 *
 * @example
 * utf8Vector(['REDSHIFTS', null]).get(1) // null
 */
export function utf8Vector(values: readonly (string | null)[]): Vector<Utf8> {
  return makeVector(utf8Data(values));
}

/**
 * A list-of-strings column (an HDU's column names, their TFORMs) built in one pass.
 *
 * @example
 * utf8ListVector([['TARGETID', 'Z'], null]).get(0)?.toArray() // ['TARGETID', 'Z']
 */
export function utf8ListVector(values: readonly (readonly string[] | null)[]): Vector<List<Utf8>> {
  const valueOffsets = new Int32Array(values.length + 1);
  const flat: string[] = [];
  values.forEach((v, i) => {
    if (v) for (const s of v) flat.push(s);
    valueOffsets[i + 1] = flat.length;
  });
  const type = new List(new Field('item', new Utf8(), true));
  return makeVector(makeData({ type, length: values.length, ...validity(values), valueOffsets, child: utf8Data(flat) }));
}
