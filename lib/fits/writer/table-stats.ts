import { DataType, type Data, type RecordBatch, type Schema } from 'apache-arrow';
import { FitsError } from '../../errors/index.js';
import { declaredStringWidth, defaultTnull, describeType } from './column-plan.js';
import { LEAF_INFO, type Leaf } from './leaf.js';

/**
 * One pass over an in-memory table before writing: the byte width of each string column (its longest value, at
 * least 1) and, for integer columns that hold nulls, a TNULL value that no element uses. Only offsets and integer
 * words are read; nothing is allocated per value.
 *
 * @example
 * const { stringWidths, tnulls } = scanTable(table.schema, table.batches);
 */
export function scanTable(
  schema: Schema,
  batches: readonly RecordBatch[],
): { stringWidths: Map<string, number>; tnulls: Map<string, bigint> } {
  const stringWidths = new Map<string, number>();
  const tnulls = new Map<string, bigint>();
  schema.fields.forEach((field, i) => {
    const d = describeType(field.name, field.type);
    const columns = batches.map((b) => b.data.children[i]!);
    if (d.kind === 'string') {
      let max = 0;
      for (const c of columns) {
        const o = c.valueOffsets as Int32Array;
        for (let r = 0; r < c.length; r++) max = Math.max(max, o[r + 1]! - o[r]!);
      }
      stringWidths.set(field.name, Math.max(1, max, declaredStringWidth(field) ?? 0));
      return;
    }
    if (!d.leaf || !LEAF_INFO[d.leaf].integer || field.metadata.has('fits.TNULL')) return;
    if (!columns.some(hasNulls)) return;
    tnulls.set(field.name, chooseTnull(field.name, d.leaf, columns.map(leafData)));
  });
  return { stringWidths, tnulls };
}

/** True when the column or any level below it has a null. */
export function hasNulls(data: Data): boolean {
  if (data.nullCount > 0) return true;
  if (DataType.isFixedSizeList(data.type) || DataType.isList(data.type)) return hasNulls(data.children[0]!);
  return false;
}

/** The innermost Data of a column (below every FixedSizeList or List level). */
export function leafData(data: Data): Data {
  let d = data;
  while (DataType.isFixedSizeList(d.type) || DataType.isList(d.type)) d = d.children[0]!;
  return d;
}

const NEAR = 64;

/**
 * A stored value that no element uses: the type's default (minimum for signed, maximum for unsigned) when free,
 * else the nearest free value within 64 of either end.
 */
function chooseTnull(column: string, leaf: Leaf, leaves: Data[]): bigint {
  const size = LEAF_INFO[leaf].size;
  const flip = LEAF_INFO[leaf].zero !== undefined;
  if (size <= 2) {
    const seen = new Uint8Array(size === 1 ? 256 : 65536);
    const bias = size === 1 ? 0 : 32768;
    for (const d of leaves) {
      const v = d.values as Uint8Array | Int8Array | Int16Array | Uint16Array;
      for (let i = 0; i < v.length; i++) {
        const stored = size === 1 ? (v[i]! ^ (leaf === 'i8' ? 0x80 : 0)) & 0xff : ((v[i]! ^ (flip ? 0x8000 : 0)) << 16) >> 16;
        seen[stored + bias] = 1;
      }
    }
    return pick(column, leaf, (k) => seen[Number(k) + bias] === 1);
  }
  // 32/64-bit: remember which of the NEAR values at each end of the stored range occur
  const low = new Uint8Array(NEAR);
  const high = new Uint8Array(NEAR);
  for (const d of leaves) {
    const v = d.values as Int32Array;
    const w = new Uint32Array(v.buffer, v.byteOffset, (v.length * v.BYTES_PER_ELEMENT) >>> 2);
    if (size === 4) {
      for (let i = 0; i < w.length; i++) {
        const s = (w[i]! ^ (flip ? 0x80000000 : 0)) | 0;
        if (s < -0x80000000 + NEAR) low[s + 0x80000000] = 1;
        else if (s > 0x7fffffff - NEAR) high[0x7fffffff - s] = 1;
      }
    } else {
      for (let i = 0; i < w.length; i += 2) {
        const hi = (w[i + 1]! ^ (flip ? 0x80000000 : 0)) | 0;
        const lo = w[i]!;
        if (hi === -0x80000000 && lo < NEAR) low[lo] = 1;
        else if (hi === 0x7fffffff && lo > 0xffffffff - NEAR) high[0xffffffff - lo] = 1;
      }
    }
  }
  const bits = BigInt(size * 8);
  const min = -(1n << (bits - 1n));
  const max = (1n << (bits - 1n)) - 1n;
  return pick(column, leaf, (k) =>
    k - min < BigInt(NEAR) ? low[Number(k - min)] === 1 : max - k < BigInt(NEAR) ? high[Number(max - k)] === 1 : true,
  );
}

function pick(column: string, leaf: Leaf, used: (stored: bigint) => boolean): bigint {
  const first = defaultTnull(leaf);
  const size = LEAF_INFO[leaf].size;
  const [min, max] = leaf === 'u8' || leaf === 'i8' ? [0n, 255n] : [-(1n << BigInt(size * 8 - 1)), (1n << BigInt(size * 8 - 1)) - 1n];
  const step = first === max ? -1n : 1n;
  const other = first === max ? min : max;
  for (let k = 0n; k < BigInt(NEAR); k++) {
    if (!used(first + step * k)) return first + step * k;
    if (!used(other - step * k)) return other - step * k;
  }
  throw new FitsError(
    'every value near both ends of the integer range is used, so no TNULL could be chosen: set field metadata fits.TNULL',
    { column },
  );
}
