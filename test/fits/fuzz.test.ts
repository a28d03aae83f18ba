/**
 * Fuzzing the reader with fast-check: mutated corpus files (byte flips, truncations, insertions, header-card edits) must
 * either read or fail with a SkybookError, quickly; never another exception type, never a hang. A bounded number of cases
 * with a fixed seed keeps the run short and reproducible.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkybookError } from '../../lib/errors/index.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { MemorySource } from '../../lib/fits/source/memory-source.js';
import { fitsStats } from '../../lib/fits/stats/hdu-stats.js';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures.js';
import { tinyTable } from '../helpers/tiny-fits.js';

const CORPUS = [
  'fits/astropy/tb.fits',
  'fits/astropy/btable.fits',
  'fits/astropy/variable_length_table.fits',
  'fits/astropy/ascii.fits',
  'fits/astropy/tdim.fits',
  'fits/astropy/m13_rice.fits',
  'fits/astropy/m13_plio.fits',
  'fits/astropy/m13_hcomp.fits',
  'fits/astropy/m13_gzip.fits',
  'fits/astropy/random_groups.fits',
  'fits/astropy/scale.fits',
  'fits/cfitsio/testprog.std',
  'fits/astropy/theap-gap.fits',
];

/** Opens and fully reads bytes; returns 'ok' or the error class name if it is a SkybookError; rethrows anything else. */
async function readAll(bytes: Uint8Array): Promise<string> {
  try {
    const fits = await FitsFile.open(new MemorySource(bytes, 'fuzz.fits'));
    await fitsStats(fits);
    for (const h of fits.hdus) {
      if (h.type === 'BINTABLE' || h.type === 'TABLE') await fits.readTable(h.index);
    }
    return 'ok';
  } catch (e) {
    if (e instanceof SkybookError) return e.name;
    throw e;
  }
}

const mutation = (size: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(size - 1), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(size - 1) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(size - 1), value: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    // header damage: rewrite the value field of one card in the first blocks with digits or junk
    fc.record({
      kind: fc.constant('card' as const),
      card: fc.nat(Math.min(size, 8640) / 80 - 1),
      text: fc.stringMatching(/^[ -~]{0,20}$/),
    }),
  );

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; value: Uint8Array }
  | { kind: 'card'; card: number; text: string };

function mutate(src: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = src.slice();
  for (const m of ms) {
    if (m.kind === 'flip') b[Math.min(m.at, b.length - 1)] = m.value;
    else if (m.kind === 'truncate') b = b.slice(0, Math.min(m.at, b.length));
    else if (m.kind === 'insert') {
      const at = Math.min(m.at, b.length);
      const n = new Uint8Array(b.length + m.value.length);
      n.set(b.subarray(0, at));
      n.set(m.value, at);
      n.set(b.subarray(at), at + m.value.length);
      b = n;
    } else {
      const off = m.card * 80 + 10;
      if (off + 20 <= b.length) b.set(Buffer.from(m.text.padEnd(20), 'latin1'), off);
    }
    if (b.length === 0) break;
  }
  return b;
}

async function fuzz(bytes: Uint8Array, runs: number, seed: number): Promise<void> {
  expect(await readAll(bytes)).toBe('ok');
  await fc.assert(
    fc.asyncProperty(fc.array(mutation(bytes.length), { minLength: 1, maxLength: 4 }), async (ms) => {
      const t0 = performance.now();
      const verdict = await readAll(mutate(bytes, ms as Mutation[]));
      expect(['ok', 'FitsError', 'SourceError']).toContain(verdict);
      expect(performance.now() - t0).toBeLessThan(5000);
    }),
    { numRuns: runs, seed },
  );
}

describe('fuzzing the FITS reader', () => {
  it('a hand-built table with a heap survives mutations', async () => {
    await fuzz(tinyTable(), 300, 42);
  });

  describe.skipIf(!HAVE_FIXTURES)('corpus files (../shared/fixtures)', () => {
    CORPUS.forEach((rel, i) => {
      it(`${rel} survives mutations`, async () => {
        await fuzz(readFileSync(join(FIXTURES, rel)), 60, 1000 + i);
      });
    });
  });
});
