import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FitsChecksum, useWasmChecksum } from '../../lib/fits/checksum.js';
import { WASM_BASE64 } from '../../lib/fits/wasm/checksum-wasm.js';
import { compileWat, wasmModuleSource } from '../../scripts/build-wasm.js';
import { ROOT } from '../helpers/cli.js';
import { mulberry32 } from '../helpers/prng.js';

afterEach(() => useWasmChecksum(true));

describe('the checksum loop in WebAssembly SIMD', () => {
  it('the committed module is what lib/fits/wasm/checksum.wat compiles to', async () => {
    const wat = readFileSync(join(ROOT, 'lib/fits/wasm/checksum.wat'), 'utf8');
    const bytes = await compileWat('checksum.wat', wat);
    expect(Buffer.from(bytes).toString('base64')).toBe(WASM_BASE64);
    expect(readFileSync(join(ROOT, 'lib/fits/wasm/checksum-wasm.ts'), 'utf8')).toBe(wasmModuleSource('lib/fits/wasm/checksum.wat', bytes));
  });

  it("gives the JavaScript loop's sums for any lengths, offsets and piece sizes, all-0xff bytes included", () => {
    const rnd = mulberry32(5);
    const data = new Uint8Array(3 * 1024 * 1024 + 13);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
    data.fill(0xff, 100_000, 1_300_000); // lanes at their largest
    const sum = (pieces: number[], wasm: boolean, from: number) => {
      useWasmChecksum(wasm);
      const c = new FitsChecksum();
      let p = from;
      for (const n of pieces) {
        c.update(data.subarray(p, Math.min(data.length, p + n)));
        p += n;
      }
      return c.value;
    };
    for (const [from, pieces] of [
      [0, [data.length]],
      [4, [1_048_576, 2_000_000, 100_003]],
      [1, [3, 17, 1024, 5000, 262_144 + 16, 999_999]],
      [16, [1040, 16, 1023, 1025]],
    ] as const) {
      const js = sum([...pieces], false, from);
      expect(sum([...pieces], true, from), `from ${from}, pieces ${pieces.join(',')}`).toBe(js);
    }
  });
});
