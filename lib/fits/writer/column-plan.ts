import { DataType, type Field, type Schema } from 'apache-arrow';
import { FitsError } from '../../errors/index.js';
import type { CardInput } from '../header/format.js';
import { storedNull, type StoredNull } from './encode-leaf.js';
import { LEAF_INFO, leafOfType, type Leaf } from './leaf.js';

/**
 * How one Arrow column is laid out in a BINTABLE row: its TFORM, where it sits, and what the header says about it.
 *
 * @example
 * const plans = planColumns(schema, { stringWidths: new Map([['NAME', 12]]), tnulls: new Map() });
 */
export interface ColumnPlan {
  index: number;
  name: string;
  field: Field;
  /** fixed: `repeat` leaf elements per row; string: `repeat` bytes of ASCII; vla: a P descriptor into the heap. */
  kind: 'fixed' | 'string' | 'vla';
  leaf?: Leaf;
  repeat: number;
  /** Cell shape in FITS order (NAXIS1-like axis first); TDIM is written when it has two or more axes. */
  dims: number[];
  /** Bytes per row and byte offset within the row. */
  width: number;
  offset: number;
  /** TNULL in stored units (after TZERO), for integer leaves. */
  tnull?: bigint;
  nullPattern?: StoredNull;
  /** True when the TNULL was not chosen by looking at the data: a valid value equal to it is an error. */
  checkTnull: boolean;
  /** Longest list written so far (vla), for `1PX(max)`. */
  vlaMax: number;
}

/** What the writer knows before the first row: string widths and TNULLs, by column name. */
export interface PlanInputs {
  stringWidths: Map<string, number>;
  /** TNULL chosen from the data (stored units); columns absent here take `fits.TNULL` or a default. */
  tnulls: Map<string, bigint>;
  /** True when the data is not known in advance (streamed batches): nullable integer columns get a default TNULL. */
  streaming?: boolean;
}

const SUPPORTED = 'Bool, Int8-64, Uint8-64, Float32/64, Utf8, Struct{re,im} of Float32/64, FixedSizeList and List of those';

/** The structure of an Arrow type as a FITS column: kind, leaf and FITS-order dims; throws for unsupported types. */
export function describeType(name: string, type: DataType): { kind: ColumnPlan['kind']; leaf?: Leaf; dims: number[] } {
  const outerFirst: number[] = [];
  let t = type;
  while (DataType.isFixedSizeList(t)) {
    outerFirst.push(t.listSize);
    t = t.children[0]!.type;
  }
  const leaf = leafOfType(t);
  if (leaf) return { kind: 'fixed', leaf, dims: outerFirst.reverse() };
  if (outerFirst.length === 0 && DataType.isUtf8(t)) return { kind: 'string', dims: [] };
  if (outerFirst.length === 0 && DataType.isList(t)) {
    const inner = leafOfType(t.children[0]!.type);
    if (inner) return { kind: 'vla', leaf: inner, dims: [] };
  }
  throw new FitsError(`Arrow type ${String(type)} has no FITS BINTABLE equivalent (supported: ${SUPPORTED})`, { column: name });
}

/** The TNULL a nullable integer column gets when nothing else is known: the type's minimum (signed) or maximum. */
export function defaultTnull(leaf: Leaf): bigint {
  const bits = LEAF_INFO[leaf].size * 8;
  const unsigned = LEAF_INFO[leaf].zero !== undefined && leaf !== 'i8';
  if (leaf === 'u8') return 255n;
  if (leaf === 'i8') return 0n; // stored 0 is physical -128
  return unsigned ? (1n << BigInt(bits - 1)) - 1n : -(1n << BigInt(bits - 1));
}

function fieldTnull(field: Field): bigint | undefined {
  const text = field.metadata.get('fits.TNULL');
  if (text === undefined) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(text))
    throw new FitsError(`field metadata fits.TNULL ${JSON.stringify(text)} is not an integer`, { column: field.name });
  return BigInt(text.trim());
}

/** The declared width of a string column: field metadata `fits.TFORM` = 'rA'. */
export function declaredStringWidth(field: Field): number | undefined {
  const m = /^\s*(\d+)A\s*$/i.exec(field.metadata.get('fits.TFORM') ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Plans every column of `schema`: TFORM layout, offsets, TNULLs. Throws a `FitsError` naming the column for types
 * FITS cannot hold, a string column whose width is unknown, or a name that is not printable ASCII.
 */
export function planColumns(schema: Schema, inputs: PlanInputs): ColumnPlan[] {
  let offset = 0;
  return schema.fields.map((field, index) => {
    const name = field.name;
    if (!/^[\x20-\x7e]*$/.test(name))
      throw new FitsError('column name is not printable ASCII, which FITS headers require', { column: name });
    const d = describeType(name, field.type);
    const plan: ColumnPlan = { index, name, field, kind: d.kind, dims: d.dims, repeat: 1, width: 0, offset, checkTnull: false, vlaMax: 0 };
    if (d.leaf) plan.leaf = d.leaf;
    if (d.kind === 'fixed') {
      plan.repeat = d.dims.reduce((a, b) => a * b, 1);
      plan.width = plan.repeat * LEAF_INFO[d.leaf!].size;
    } else if (d.kind === 'string') {
      const w = inputs.stringWidths.get(name) ?? declaredStringWidth(field);
      if (w === undefined) {
        throw new FitsError(
          "the width of a streamed string column must be declared: set field metadata fits.TFORM (e.g. '16A') or the stringWidths option",
          { column: name },
        );
      }
      plan.repeat = Math.max(1, w);
      plan.width = plan.repeat;
    } else {
      plan.width = 8;
    }
    if (d.leaf && LEAF_INFO[d.leaf].integer) {
      const chosen = inputs.tnulls.get(name);
      const declared = fieldTnull(field);
      const tnull = declared ?? chosen ?? (inputs.streaming && field.nullable ? defaultTnull(d.leaf) : undefined);
      if (tnull !== undefined) {
        plan.tnull = tnull;
        plan.nullPattern = storedNull(tnull);
        plan.checkTnull = chosen === undefined;
      }
    }
    offset += plan.width;
    return plan;
  });
}

/** The TFORM of a planned column (`1PE(max)` uses the longest list written so far). */
export function tformOf(plan: ColumnPlan): string {
  if (plan.kind === 'string') return `${plan.repeat}A`;
  const code = LEAF_INFO[plan.leaf!].code;
  if (plan.kind === 'vla') return `1P${code}(${plan.vlaMax})`;
  return `${plan.repeat}${code}`;
}

/** The column keywords of one planned column, in astropy's order. */
export function columnCards(plan: ColumnPlan): CardInput[] {
  const n = plan.index + 1;
  const cards: CardInput[] = [
    { keyword: `TTYPE${n}`, value: plan.name },
    { keyword: `TFORM${n}`, value: tformOf(plan) },
  ];
  if (plan.tnull !== undefined) cards.push({ keyword: `TNULL${n}`, value: plan.tnull });
  const zero = plan.leaf ? LEAF_INFO[plan.leaf].zero : undefined;
  if (zero !== undefined) cards.push({ keyword: `TZERO${n}`, value: zero });
  const unit = plan.field.metadata.get('fits.TUNIT');
  if (unit) cards.push({ keyword: `TUNIT${n}`, value: unit });
  const disp = plan.field.metadata.get('fits.TDISP');
  if (disp) cards.push({ keyword: `TDISP${n}`, value: disp });
  if (plan.dims.length >= 2) cards.push({ keyword: `TDIM${n}`, value: `(${plan.dims.join(',')})` });
  return cards;
}
