import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File, sha256FileSync } from '../../lib/fits/source/sha256-file.js';
import { mulberry32 } from '../helpers/prng.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT = join(ROOT, 'dist/lib/fits/source/sha256-file.js');
const dir = mkdtempSync(join(tmpdir(), 'skybook-sha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` as an ES module in a fresh Node with the built library, hashing big files on a worker thread. */
function runBuilt(body: string): string {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `import { sha256File } from ${JSON.stringify(BUILT)};\n${body}\n`);
  return execFileSync(process.execPath, [file], { env: { ...process.env, SKYBOOK_FITS_PARALLEL_BYTES: '0' }, encoding: 'utf8' });
}

describe('sha256File', () => {
  // 9 MiB + 5 bytes: pieces of 4 MiB, the last one short
  const bytes = Buffer.alloc((9 << 20) + 5);
  const rnd = mulberry32(5);
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(rnd() * 2 ** 32), i);
  const path = join(dir, 'data.bin');
  writeFileSync(path, bytes);
  const want = createHash('sha256').update(bytes).digest('hex');

  it('hashes in pieces on this thread, and on a worker thread from the build (the path big files take)', async () => {
    expect(sha256FileSync(path)).toBe(want);
    expect(await sha256File(path)).toBe(want);
    expect(existsSync(BUILT), 'npm run build has run (npm test does)').toBe(true);
    expect(runBuilt(`console.log(await sha256File(${JSON.stringify(path)}));`).trim()).toBe(want);
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, '');
    expect(await sha256File(empty)).toBe(createHash('sha256').digest('hex'));
  });

  it('rejects naming the file when it cannot be read, on either thread', async () => {
    await expect(sha256File(join(dir, 'missing.fits'))).rejects.toThrow(/missing\.fits/);
    expect(runBuilt(`await sha256File(${JSON.stringify(join(dir, 'missing.fits'))}).catch((e) => console.log(e.message));`)).toMatch(
      /missing\.fits/,
    );
  });
});
