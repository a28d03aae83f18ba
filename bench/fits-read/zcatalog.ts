import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Uint32,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import { Rng } from './rng.js';

/**
 * A synthetic DESI zcatalog-like table for the FITS read benchmark: 25 columns, 259 bytes per row (so 5,000,000 rows
 * make a 1.3 GB file), every value drawn from a seeded PRNG, one generator per column, so the same seed gives the same
 * bytes whatever the batch size. Covers the stored types a real zcatalog has: int64 ids above 2^53, 6/7/20-char strings,
 * float64, float32 (with a few NaNs), a 10-element float64 vector, a logical, an unsigned int32 (J + TZERO), int16, int32.
 *
 * @example
 * for (const batch of zcatalogBatches({ rows: 1000, seed: 42 })) console.log(batch.numRows);
 */
export interface ZcatalogOptions {
  rows: number;
  seed: number;
  /** Rows per record batch; default 65,536. */
  batchRows?: number;
}

/** One column: its Arrow type, FITS TFORM, and a generator of `n` values for rows from `row`. */
interface ColumnSpec {
  name: string;
  tform: string;
  type: DataType;
  make(rng: Rng, row: number, n: number): Data;
}

const SURVEYS = ['main', 'main', 'main', 'sv1', 'sv3', 'special', 'cmx'];
const PROGRAMS = ['dark', 'dark', 'bright', 'backup', 'other'];
const SPECTYPES = ['GALAXY', 'GALAXY', 'GALAXY', 'QSO', 'STAR'];
const SUBTYPES = ['', '', '', 'CV', 'WD', 'LRG', 'ELG_LOP', 'QSO_HIZ', 'BGS_BRIGHT_FAINT_X', 'MWS_BROAD_NEARBY_20'];

const ARROW = {
  i16: new Int16(),
  i32: new Int32(),
  u32: new Uint32(),
  i64: new Int64(),
  f32: new Float32(),
  f64: new Float64(),
  bool: new Bool(),
  utf8: new Utf8(),
};

function numeric(type: DataType, values: ArrayBufferView & { length: number }): Data {
  return makeData({ type: type as never, length: values.length, nullCount: 0, data: values as never } as never);
}

/** Strings picked from a list, as one Utf8 Data built straight from bytes. */
function pick(choices: string[], rng: Rng, n: number): Data {
  const enc = choices.map((s) => Buffer.from(s, 'ascii'));
  const offsets = new Int32Array(n + 1);
  const data = new Uint8Array(n * Math.max(...enc.map((b) => b.length)));
  let end = 0;
  for (let i = 0; i < n; i++) {
    const b = enc[rng.int(enc.length)]!;
    data.set(b, end);
    end += b.length;
    offsets[i + 1] = end;
  }
  return makeData({ type: ARROW.utf8, length: n, nullCount: 0, valueOffsets: offsets, data: data.subarray(0, end) } as never);
}

/** Writes `v` as `digits` decimal digits at `p` (zero padded); returns the next position. */
function digits(out: Uint8Array, p: number, v: number, width: number): number {
  for (let k = width - 1; k >= 0; k--, v = Math.floor(v / 10)) out[p + k] = 48 + (v % 10);
  return p + width;
}

/** DESI-style names `Jddd.ddddd+dd.ddddd` (19 characters) from random positions, formatted on bytes. */
function desiNames(rng: Rng, n: number): Data {
  const offsets = new Int32Array(n + 1);
  const data = new Uint8Array(n * 19);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const ra = rng.int(36_000_000);
    const dec = rng.int(18_000_000) - 9_000_000;
    data[p++] = 74; // J
    p = digits(data, p, Math.floor(ra / 100_000), 3);
    data[p++] = 46;
    p = digits(data, p, ra % 100_000, 5);
    data[p++] = dec < 0 ? 45 : 43;
    const d = Math.abs(dec);
    p = digits(data, p, Math.floor(d / 100_000), 2);
    data[p++] = 46;
    p = digits(data, p, d % 100_000, 5);
    offsets[i + 1] = p;
  }
  return makeData({ type: ARROW.utf8, length: n, nullCount: 0, valueOffsets: offsets, data } as never);
}

/** int64 values `base + row * step + rand(step)` through their 32-bit halves (no BigInt per value). */
function ids(base: bigint, step: number, rng: Rng, row: number, n: number): Data {
  const out = new BigInt64Array(n);
  const w = new Uint32Array(out.buffer);
  const hi0 = Number(base >> 32n);
  const lo0 = Number(base & 0xffffffffn);
  for (let i = 0; i < n; i++) {
    const lo = lo0 + (row + i) * step + rng.int(step);
    const carry = Math.floor(lo / 4294967296);
    w[2 * i] = lo - carry * 4294967296;
    w[2 * i + 1] = hi0 + carry;
  }
  return numeric(ARROW.i64, out);
}

function floats64(n: number, f: (i: number) => number): Data {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return numeric(ARROW.f64, a);
}

function floats32(n: number, f: (i: number) => number): Data {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return numeric(ARROW.f32, a);
}

const COEFF_TYPE = new FixedSizeList(10, new Field('item', ARROW.f64, true));

/** Bit masks: mostly 0, else a few of the given bits set. */
function maskBits(rng: Rng, p: number, bits: number): number {
  if (rng.float() >= p) return 0;
  let m = 0;
  const k = 1 + rng.int(3);
  for (let j = 0; j < k; j++) m += 2 ** rng.int(bits);
  return m;
}

const COLUMNS: ColumnSpec[] = [
  { name: 'TARGETID', tform: 'K', type: ARROW.i64, make: (r, row, n) => ids(39627000000000000n, 7919, r, row, n) },
  { name: 'SURVEY', tform: '7A', type: ARROW.utf8, make: (r, _, n) => pick(SURVEYS, r, n) },
  { name: 'PROGRAM', tform: '7A', type: ARROW.utf8, make: (r, _, n) => pick(PROGRAMS, r, n) },
  {
    name: 'HEALPIX',
    tform: 'J',
    type: ARROW.i32,
    make: (r, _, n) =>
      numeric(
        ARROW.i32,
        Int32Array.from({ length: n }, () => r.int(49152)),
      ),
  },
  { name: 'DESINAME', tform: '20A', type: ARROW.utf8, make: (r, _, n) => desiNames(r, n) },
  { name: 'TARGET_RA', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => r.float() * 360) },
  {
    name: 'TARGET_DEC',
    tform: 'D',
    type: ARROW.f64,
    make: (r, _, n) => floats64(n, () => Math.asin(2 * r.float() - 1) * 57.29577951308232),
  },
  {
    name: 'Z',
    tform: 'D',
    type: ARROW.f64,
    make: (r, _, n) => floats64(n, () => (r.float() < 0.1 ? 0.5 + 3 * r.float() : Math.abs(0.8 + 0.4 * r.gauss()))),
  },
  { name: 'ZERR', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => 1e-5 * Math.exp(2 * r.gauss())) },
  {
    name: 'ZWARN',
    tform: 'K',
    type: ARROW.i64,
    make: (r, _, n) =>
      numeric(
        ARROW.i64,
        BigInt64Array.from({ length: n }, () => BigInt(maskBits(r, 0.08, 12))),
      ),
  },
  { name: 'CHI2', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => 7900 + 150 * r.gauss()) },
  { name: 'DELTACHI2', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => -Math.log(1 - r.float()) * 400) },
  {
    name: 'COEFF',
    tform: '10D',
    type: COEFF_TYPE,
    make: (r, _, n) =>
      makeData({
        type: COEFF_TYPE,
        length: n,
        nullCount: 0,
        child: floats64(n * 10, (i) => r.gauss() * 10 ** (2 - (i % 10) / 3)),
      } as never),
  },
  { name: 'SPECTYPE', tform: '6A', type: ARROW.utf8, make: (r, _, n) => pick(SPECTYPES, r, n) },
  { name: 'SUBTYPE', tform: '20A', type: ARROW.utf8, make: (r, _, n) => pick(SUBTYPES, r, n) },
  {
    name: 'FLUX_G',
    tform: 'E',
    type: ARROW.f32,
    make: (r, _, n) => floats32(n, () => (r.float() < 0.001 ? NaN : Math.exp(1 + r.gauss()))),
  },
  { name: 'FLUX_R', tform: 'E', type: ARROW.f32, make: (r, _, n) => floats32(n, () => Math.exp(1.5 + r.gauss())) },
  { name: 'FLUX_Z', tform: 'E', type: ARROW.f32, make: (r, _, n) => floats32(n, () => Math.exp(2 + r.gauss())) },
  { name: 'FLUX_IVAR_G', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => 100 * r.float() ** 2) },
  { name: 'FLUX_IVAR_R', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => 50 * r.float() ** 2) },
  { name: 'FLUX_IVAR_Z', tform: 'D', type: ARROW.f64, make: (r, _, n) => floats64(n, () => 10 * r.float() ** 2) },
  {
    name: 'MASKBITS',
    tform: 'J',
    type: ARROW.u32,
    make: (r, _, n) =>
      numeric(
        ARROW.u32,
        Uint32Array.from({ length: n }, () => (r.float() < 0.3 ? r.next() : maskBits(r, 0.2, 14))),
      ),
  },
  {
    name: 'DESI_TARGET',
    tform: 'K',
    type: ARROW.i64,
    make: (r, _, n) =>
      numeric(
        ARROW.i64,
        BigInt64Array.from({ length: n }, () => BigInt(maskBits(r, 0.9, 30)) << BigInt(r.int(32))),
      ),
  },
  { name: 'ZCAT_PRIMARY', tform: 'L', type: ARROW.bool, make: (r, _, n) => bools(n, () => r.float() < 0.85) },
  {
    name: 'ZCAT_NSPEC',
    tform: 'I',
    type: ARROW.i16,
    make: (r, _, n) =>
      numeric(
        ARROW.i16,
        Int16Array.from({ length: n }, () => 1 + Math.floor(-Math.log(1 - r.float()) * 0.6)),
      ),
  },
];

function bools(n: number, f: () => boolean): Data {
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (f()) bits[i >> 3]! |= 1 << (i & 7);
  return makeData({ type: ARROW.bool, length: n, nullCount: 0, data: bits } as never);
}

/** Bytes per FITS row of the table (the sum of the TFORM widths). */
export const ROW_BYTES = 259;

/** The table's Arrow schema; each field carries its `fits.TFORM` (string widths and the J + TZERO of MASKBITS follow from it). */
export const ZCATALOG_SCHEMA = new Schema(
  COLUMNS.map((c) => new Field(c.name, c.type, false, new Map([['fits.TFORM', c.tform]]))),
  new Map([['fits.EXTNAME', 'ZCATALOG']]),
);

/** The column names, in file order. */
export const ZCATALOG_COLUMNS = COLUMNS.map((c) => c.name);

/** The table's record batches, generated lazily (memory stays at one batch). */
export function* zcatalogBatches(opts: ZcatalogOptions): Generator<RecordBatch> {
  const batchRows = opts.batchRows ?? 65536;
  const rngs = COLUMNS.map((_, i) => new Rng(opts.seed * 1000 + i));
  for (let row = 0; row < opts.rows; row += batchRows) {
    const n = Math.min(batchRows, opts.rows - row);
    const children = COLUMNS.map((c, i) => c.make(rngs[i]!, row, n));
    const data = makeData({ type: new Struct(ZCATALOG_SCHEMA.fields), length: n, nullCount: 0, children } as never);
    yield new RecordBatch(ZCATALOG_SCHEMA, data as never);
  }
}
