/**
 * The file-reading commands over damaged files, as a user meets them: mutated corpus files (byte flips, truncations,
 * runs of junk, header values rewritten), some gzipped and some of those cut short. Each run ends with exit 0, exit 2
 * and one line naming the file, or for `fits verify` exit 1 (a checksum mismatch); never an internal error, since the
 * CLI no longer guesses that an unexpected exception of a fits command means bad input. Seeded, bounded, in-process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { skybookInProcess } from '../helpers/cli.js';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures.js';
import { mulberry32 } from '../helpers/prng.js';
import { tinyTable } from '../helpers/tiny-fits.js';

const CORPUS = [
  'fits/astropy/tb.fits',
  'fits/astropy/variable_length_table.fits',
  'fits/astropy/ascii.fits',
  'fits/astropy/tdim.fits',
  'fits/astropy/m13_rice.fits',
  'fits/astropy/m13_hcomp.fits',
  'fits/astropy/m13_gzip.fits',
  'fits/astropy/random_groups.fits',
  'fits/astropy/scale.fits',
  'fits/astropy/checksum.fits',
  'fits/cfitsio/testprog.std',
  'desi/coadd-special-dark-27247.fits',
];
const VALUES = ['-1', '0', '99999999999', "'1PE(3)'", "'QQ'", 'T', "'XX'", '2.5'];

const dir = mkdtempSync(join(tmpdir(), 'skybook-fits-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One to three damages: a byte, a cut, 64 bytes of junk, or a header card's value rewritten. */
function damage(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = src.slice();
  for (let k = 1 + Math.floor(rnd() * 3); k > 0 && b.length > 0; k--) {
    const at = Math.floor(rnd() * b.length);
    const kind = Math.floor(rnd() * 8);
    if (kind < 3) b[at] = Math.floor(rnd() * 256);
    else if (kind === 3) b = b.slice(0, at);
    else if (kind < 6) for (let i = 0; i < 64 && at + i < b.length; i++) b[at + i] = Math.floor(rnd() * 256);
    else {
      const off = Math.floor((rnd() * Math.min(b.length, 8640)) / 80) * 80 + 10;
      const text = kind === 6 ? String(Math.floor(rnd() * 1e6) - 5e5) : VALUES[Math.floor(rnd() * VALUES.length)]!;
      if (off + 20 <= b.length) b.set(Buffer.from(text.padEnd(20), 'latin1'), off);
    }
  }
  return b;
}

async function fuzz(name: string, src: Uint8Array, runs: number, seed: number): Promise<void> {
  const rnd = mulberry32(seed);
  for (let t = 0; t < runs; t++) {
    let bytes = damage(src, rnd);
    const gz = rnd() < 0.2;
    if (gz) {
      const z = gzipSync(bytes);
      bytes = rnd() < 0.5 ? z.subarray(0, Math.floor(rnd() * z.length)) : z;
    }
    const path = join(dir, `${name}-${t}.fits${gz ? '.gz' : ''}`);
    writeFileSync(path, bytes);
    for (const cmd of [
      ['fits', 'info', path],
      ['fits', 'stats', path, '--json'],
      ['fits', 'verify', path],
      ['fits', 'export', path, '--hdu', '1', '--format', 'csv'],
      ['desi', 'info', path],
    ]) {
      const r = await skybookInProcess(cmd);
      const what = `${cmd.slice(0, 2).join(' ')} on ${path} (seed ${seed}, run ${t}): ${r.stderr}`;
      // a checksum mismatch is a result, not an error: nothing on stderr but warnings about the damage (core.warn)
      if (r.code === 1 && cmd[1] === 'verify') expect(r.stderr.replace(/^skybook fits verify: warning: [^\n]*\n/gm, ''), what).toBe('');
      else expect([0, 2], what).toContain(r.code);
      if (r.code === 2) expect(r.stderr, what).toMatch(new RegExp(`^skybook ${cmd[0]} ${cmd[1]}: .*${name}-${t}\\.fits[^\\n]*\\n$`));
    }
  }
}

describe('fits commands and desi info over damaged files', () => {
  it('a hand-built table with a heap', async () => {
    await fuzz('tiny', tinyTable(), 40, 7);
  });

  describe.skipIf(!HAVE_FIXTURES)('corpus files (../shared/fixtures)', () => {
    CORPUS.forEach((rel, i) => {
      it(rel, async () => {
        await fuzz(rel.replace(/\W+/g, '_'), readFileSync(join(FIXTURES, rel)), 8, 100 + i);
      });
    });
  });
});
