import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, FixedSizeList, Float32, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyHdu } from '../../lib/fits/checksum.js';
import { walkHdus } from '../../lib/fits/hdu.js';
import { FileSource } from '../../lib/fits/source/file-source.js';
import { writeFits } from '../../lib/fits/writer/index.js';

/**
 * Throughput of a streamed wide table: 25 columns, 260 bytes a row (16 float64, 4 float32, 3 int64, 1 int32, one
 * 22 x float32 vector). By default 500,000 rows (130 MB); SKYBOOK_WRITER_BIG=1 writes the 5,000,000-row, 1.3 GB case.
 */
const ROWS = process.env.SKYBOOK_WRITER_BIG ? 5_000_000 : 500_000;
const BATCH = 65_536;

const dir = mkdtempSync(join(tmpdir(), 'skybook-writer-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wideSchema(): Schema {
  const fields: Field[] = [];
  for (let i = 0; i < 16; i++) fields.push(new Field(`D${i}`, new Float64(), false));
  for (let i = 0; i < 4; i++) fields.push(new Field(`E${i}`, new Float32(), false));
  for (let i = 0; i < 3; i++) fields.push(new Field(`K${i}`, new Int64(), false));
  fields.push(new Field('J0', new Int32(), false));
  fields.push(new Field('SPEC', new FixedSizeList(22, new Field('item', new Float32(), false)), false));
  return new Schema(fields);
}

/** Batches over the same preallocated buffers (values shifted per batch), so the source itself costs no memory. */
async function* wideBatches(schema: Schema, rows: number): AsyncGenerator<RecordBatch> {
  const f64 = new Float64Array(BATCH);
  const f32 = new Float32Array(BATCH);
  const i64 = new BigInt64Array(BATCH);
  const i32 = new Int32Array(BATCH);
  const spec = new Float32Array(BATCH * 22);
  for (let i = 0; i < BATCH; i++) {
    f64[i] = i * 0.5;
    f32[i] = i / 3;
    i64[i] = BigInt(i) * 3_000_000_000n;
    i32[i] = i;
  }
  for (let i = 0; i < spec.length; i++) spec[i] = i % 977;
  for (let done = 0; done < rows; done += BATCH) {
    const n = Math.min(BATCH, rows - done);
    const children: Data[] = schema.fields.map((f) => {
      const t = f.type;
      if (t instanceof Float64) return makeData({ type: t, length: n, data: f64.subarray(0, n) });
      if (t instanceof Float32) return makeData({ type: t, length: n, data: f32.subarray(0, n) });
      if (t instanceof Int64) return makeData({ type: t, length: n, data: i64.subarray(0, n) });
      if (t instanceof Int32) return makeData({ type: t, length: n, data: i32.subarray(0, n) });
      const child = makeData({ type: new Float32(), length: n * 22, data: spec.subarray(0, n * 22) });
      return makeData({ type: t as FixedSizeList, length: n, child });
    });
    yield new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children }));
  }
}

describe('streaming a wide table', () => {
  it(`writes ${ROWS.toLocaleString()} rows x 25 columns fast, in bounded memory, with valid checksums`, async () => {
    const schema = wideSchema();
    const path = join(dir, 'wide.fits');
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    await writeFits(path, [{ kind: 'table', table: wideBatches(schema, ROWS), schema, name: 'WIDE' }]);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    const size = statSync(path).size;
    const mbps = size / 1e6 / seconds;
    console.log(
      `writer: ${(size / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ${mbps.toFixed(0)} MB/s; RSS growth ${((peak - rss0) / 1e6).toFixed(0)} MB`,
    );
    expect(size).toBeGreaterThanOrEqual(ROWS * 260);
    expect(peak - rss0).toBeLessThan(200e6);

    const src = await FileSource.open(path);
    const hdus = await walkHdus(src);
    expect(hdus[1]!.header.get('NAXIS1')).toBe(260);
    expect(hdus[1]!.header.get('NAXIS2')).toBe(ROWS);
    for (const h of hdus) expect(await verifyHdu(src, h)).toEqual({ checksum: 'ok', datasum: 'ok' });
    // spot-check the last row: D0 = (row % BATCH) * 0.5, K0 = (row % BATCH) * 3e9
    const last = ROWS - 1;
    const row = await src.read(hdus[1]!.dataOffset + last * 260, 260);
    const view = new DataView(row.buffer, row.byteOffset, row.byteLength);
    expect(view.getFloat64(0)).toBe((last % BATCH) * 0.5);
    expect(view.getBigInt64(16 * 8 + 4 * 4)).toBe(BigInt(last % BATCH) * 3_000_000_000n);
    await src.close();
  }, 600_000);
});
