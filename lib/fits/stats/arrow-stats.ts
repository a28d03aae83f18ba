import { Type, type Data } from 'apache-arrow';
import type { ImageArray } from '../image/fits-image.js';
import { addTyped, bitmapValidity, type StatsAccumulator } from './accumulator.js';

function validity(data: Data): ((i: number) => boolean) | undefined {
  const bitmap = data.nullBitmap;
  if (!data.nullCount || !bitmap || bitmap.length === 0) return undefined;
  return bitmapValidity(bitmap);
}

/**
 * Adds the values of one Arrow column chunk to `acc`, descending through FixedSizeList and List cells to their elements
 * (so a 10-element vector cell counts 10). Complex (struct re/im) cells go to `acc` as their real parts and to `imag`.
 */
export function addArrowData(
  acc: StatsAccumulator,
  data: Data,
  imag?: StatsAccumulator,
  start = data.offset,
  end = data.offset + data.length,
): void {
  const t = data.type;
  switch (t.typeId) {
    case Type.FixedSizeList: {
      const n = (t as unknown as { listSize: number }).listSize;
      const child = data.children[0]!;
      return addArrowData(acc, child, imag, child.offset + start * n, child.offset + end * n);
    }
    case Type.List: {
      const offs = data.valueOffsets!;
      const child = data.children[0]!;
      return addArrowData(acc, child, imag, child.offset + offs[start]!, child.offset + offs[end]!);
    }
    case Type.Struct: {
      const [re, im] = data.children;
      if (re) addArrowData(acc, re, undefined, re.offset + start - data.offset, re.offset + end - data.offset);
      if (im && imag) addArrowData(imag, im, undefined, im.offset + start - data.offset, im.offset + end - data.offset);
      return;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Null: {
      const nulls = data.typeId === Type.Null ? end - start : countNulls(data, start, end);
      acc.nullCount += nulls;
      acc.addOther(end - start - nulls);
      return;
    }
    case Type.Bool:
      acc.nullCount += countNulls(data, start, end);
      return acc.addBools(data.values as Uint8Array, start, end, validity(data));
    case Type.Int:
    case Type.Float:
      acc.nullCount += countNulls(data, start, end);
      return addTyped(acc, data.values as ImageArray, start, end, validity(data));
    default:
      acc.addOther(end - start);
  }
}

function countNulls(data: Data, start: number, end: number): number {
  const v = validity(data);
  if (!v) return 0;
  let n = 0;
  for (let i = start; i < end; i++) if (!v(i)) n++;
  return n;
}
