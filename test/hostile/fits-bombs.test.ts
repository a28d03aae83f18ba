import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type CappedRun, runCapped } from '../helpers/capped.js';
import { block, card, concat, PRIMARY, tiledImage, tinyTable } from '../helpers/tiny-fits.js';

// Issue 13 items 1, 2 and 9: small files that declare huge data. Each runs the built CLI under the watchdog (1 GB, 10 CPU s)
// and must end the way a user would want: refused with one line naming the file and HDU before anything large is
// allocated, or done in bounded memory, with warnings for what is odd but readable.

const dir = mkdtempSync(join(tmpdir(), 'sb-bombs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the test wrote: every run is checked to have added nothing to the folder. */
const made = new Set<string>();
function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  made.add(name);
  return path;
}

/** Asserts the run stayed within the caps, wrote nothing new, and returns it. */
function bounded(r: CappedRun): CappedRun {
  if (process.env.SKYBOOK_BOMB_LOG)
    console.log(
      `FIGURES exit ${r.code} ${r.peakRssMb.toFixed(0)} MB ${r.cpuSeconds.toFixed(2)} cpu s ${r.seconds.toFixed(2)} s ${r.stderr.trim().slice(0, 400)}`,
    );
  expect(
    r.killed,
    `killed (${r.peakRssMb.toFixed(0)} MB, ${r.cpuSeconds.toFixed(1)} cpu s, ${r.seconds.toFixed(1)} s): ${r.stderr}`,
  ).toBeUndefined();
  expect(r.peakRssMb).toBeLessThan(1024);
  expect(r.cpuSeconds).toBeLessThan(10);
  expect(readdirSync(dir).filter((f) => !made.has(f))).toEqual([]);
  return r;
}

/** A refusal: exit 2, nothing on stdout, and exactly one stderr line that names the file (and HDU) and matches `why`. */
function refused(r: CappedRun, command: string, path: string, why: RegExp): void {
  bounded(r);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith(`skybook ${command}: ${path}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(why);
}

/**
 * A GZIP_1 image of `naxis` pixels in tiles of `tile` whose rows all point at the one tile `heapTile` (shared), or at
 * one copy each (`shared: false`).
 */
function compressedImage(o: { zbitpix: number; naxis: number[]; tile: number[]; heapTile: Uint8Array; shared?: boolean }): Uint8Array {
  const tiles = o.naxis.reduce((a, n, i) => a * Math.ceil(n / o.tile[i]!), 1);
  const shared = o.shared ?? true;
  return tiledImage({
    ...o,
    heap: shared ? o.heapTile : concat(...Array.from({ length: tiles }, () => o.heapTile)),
    descriptors: Array.from({ length: tiles }, (_, t) => [o.heapTile.length, shared ? 0 : t * o.heapTile.length]),
  });
}

/** A FITS image header declaring `naxis` pixels of BITPIX `bitpix`, with no data after it. */
function imageHeader(bitpix: number, naxis: number[]): Uint8Array {
  return block(
    [
      card('SIMPLE', true),
      card('BITPIX', bitpix),
      card('NAXIS', naxis.length),
      ...naxis.map((n, i) => card(`NAXIS${i + 1}`, n)),
      card('END'),
    ].join(''),
  );
}

/**
 * A gzip bomb: an image header declaring `bytes` of uint8 pixels, then that many zeros as concatenated gzip members
 * of 64 MiB each (65 KB apiece: 3.6 GiB in 3.8 MB, 11 GiB in 11.5 MB), written straight to disk.
 */
function gzipBomb(name: string, bytes: number): string {
  const rows = Math.ceil(bytes / 2880);
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, gzipSync(imageHeader(8, [2880, rows])));
    const member = 64 * 2 ** 20;
    const zeros = gzipSync(Buffer.alloc(member), { level: 9 });
    let left = rows * 2880;
    for (; left >= member; left -= member) writeSync(fd, zeros);
    if (left > 0) writeSync(fd, gzipSync(Buffer.alloc(left), { level: 9 }));
  } finally {
    closeSync(fd);
  }
  made.add(name);
  return path;
}

describe('item 1: tile-compression bombs', () => {
  const n = 46340;

  it.each([
    [-64, 'float64'],
    [16, 'int16'],
  ])('46340 tile rows sharing one 1 KB tile, %i (%s): fits stats refuses it at once, naming the HDU and column', async (zbitpix, dtype) => {
    const tile = gzipSync(Buffer.alloc(n * (Math.abs(zbitpix) / 8)));
    const path = file(`tile-bomb-${dtype}.fits`, compressedImage({ zbitpix, naxis: [n, n], tile: [n, 1], heapTile: tile }));
    expect(statSync(path).size).toBeLessThan(400_000);
    const r = await runCapped(['fits', 'stats', path]);
    refused(
      r,
      'fits stats',
      path,
      new RegExp(
        `HDU 1: column COMPRESSED_DATA: row 2: tiles 1 and 2 point at the same heap bytes .*46339 tiles in all share another's: the table declares .* of pixels \\(46340 x 46340 ${dtype}\\) from \\d+ bytes of tile data, a decompression bomb`,
      ),
    );
    // fits info reads headers only: it lists the image as its header declares it
    const info = bounded(await runCapped(['fits', 'info', path, '--json']));
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).hdus[1]).toMatchObject({ name: 'SCI', type: 'COMPRESSED_IMAGE', naxis: [n, n], dtype });
  });

  it('statistics stream band by band: 4,000 distinct tiles of 8 MB of pixels in all, in bounded memory', async () => {
    const width = 2000;
    const tile = gzipSync(Buffer.alloc(width * 2, 1));
    const path = file(
      'tiles-distinct.fits',
      compressedImage({ zbitpix: 16, naxis: [width, 4000], tile: [width, 1], heapTile: tile, shared: false }),
    );
    const r = bounded(await runCapped(['fits', 'stats', path, '--json', '--hdu', '1']));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hdus[0].image).toMatchObject({
      naxis: [width, 4000],
      dtype: 'int16',
      count: width * 4000,
      min: 257,
      max: 257,
    });
  });

  it('one GZIP_1 tile of 46340 x 46340 float64: refused by the budget, or as more than one buffer can hold', async () => {
    const path = file(
      'one-huge-tile.fits',
      compressedImage({ zbitpix: -64, naxis: [n, n], tile: [n, n], heapTile: gzipSync(Buffer.alloc(1000)) }),
    );
    refused(
      await runCapped(['fits', 'stats', path]),
      'fits stats',
      path,
      /HDU 1: ZTILE1: decoding one GZIP_1 tile \(46340 x 46340 pixels\) needs 48 GiB, more than the memory budget of .*; tiles this large cannot be decompressed here: compress the image in smaller tiles \(ZTILEn\)$/,
    );
    refused(
      await runCapped(['fits', 'stats', path], { env: { SKYBOOK_MAX_MEMORY: '1T' } }),
      'fits stats',
      path,
      /HDU 1: ZTILE1: decoding one GZIP_1 tile \(46340 x 46340 pixels\) needs 16 GiB in one buffer, more than Node can hold in one \(4 GiB\); tiles this large/,
    );
  });

  it('a tile that inflates past its declared pixels is refused naming its row', async () => {
    const path = file(
      'tile-overflow.fits',
      compressedImage({ zbitpix: 16, naxis: [100, 10], tile: [100, 1], heapTile: gzipSync(Buffer.alloc(801)), shared: false }),
    );
    refused(
      await runCapped(['fits', 'stats', path]),
      'fits stats',
      path,
      /HDU 1: column COMPRESSED_DATA: row 1: GZIP_1 tile 1 of 10: GZIP: tile inflates to more than 800 bytes$/,
    );
  });
});

describe('item 2: gzip bombs', () => {
  it('3.6 GiB of zeros in 3.8 MB: fits info inflates once, keeps at most an eighth of the budget, and lists the HDU', async () => {
    const path = gzipBomb('zeros-3.6G.fits.gz', 3.9e9);
    expect(statSync(path).size).toBeLessThan(5e6);
    const r = bounded(await runCapped(['fits', 'info', path, '--json'], { env: { SKYBOOK_MAX_MEMORY: '4G' } }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).hdus).toMatchObject([{ index: 0, type: 'IMAGE', naxis: [2880, 1354167], dtype: 'uint8' }]);
  });

  it('the same file: fits stats refuses its 3.6 GiB image by the budget before reading it', async () => {
    const path = join(dir, 'zeros-3.6G.fits.gz');
    refused(
      await runCapped(['fits', 'stats', path], { env: { SKYBOOK_MAX_MEMORY: '4G' } }),
      'fits stats',
      path,
      /HDU 0: the image \(2880 x 1354167 uint8\) needs 7\.3 GiB, more than the memory budget of 4 GiB \(SKYBOOK_MAX_MEMORY=4G\); read it in sections/,
    );
  });

  it('11 GiB in 11.5 MB: refused by the memory budget as soon as it inflates past it', async () => {
    const path = gzipBomb('zeros-11G.fits.gz', 11 * 2 ** 30);
    refused(
      await runCapped(['fits', 'info', path], { env: { SKYBOOK_MAX_MEMORY: '4G' } }),
      'fits info',
      path,
      /: decompresses to more than 4 GiB, the memory budget \(SKYBOOK_MAX_MEMORY=4G\); decompress it on disk \(gunzip -k\)/,
    );
  });
});

describe('item 9: smaller ones', () => {
  it('a valid 5 GB image (a sparse file): what is too large and what to do instead, by the budget and by the buffer limit', async () => {
    const header = imageHeader(16, [50000, 50000]);
    const path = file('five-gb.fits', header);
    truncateSync(path, header.length + Math.ceil(5e9 / 2880) * 2880);
    refused(
      await runCapped(['fits', 'stats', path], { env: { SKYBOOK_MAX_MEMORY: '4G' } }),
      'fits stats',
      path,
      /HDU 0: the image \(50000 x 50000 int16\) needs 9\.3 GiB, more than the memory budget of 4 GiB \(SKYBOOK_MAX_MEMORY=4G\); read it in sections \(readImage's `rows`\), leave it out \(`skybook fits stats --hdu` another HDU\), or raise SKYBOOK_MAX_MEMORY$/,
    );
    refused(
      await runCapped(['fits', 'stats', path], { env: { SKYBOOK_MAX_MEMORY: '64G' } }),
      'fits stats',
      path,
      /HDU 0: the image \(50000 x 50000 int16\) needs 4\.7 GiB in one buffer, more than Node can hold in one \(4 GiB\); read it in sections/,
    );
  });

  it('binary junk in a header: read as it is, with one warning naming the file, HDU and card', async () => {
    const junk = Buffer.from(card('JUNK', 1), 'latin1');
    junk.set([0x00, 0xff, 0x1b, 0x80], 40);
    const cards = Buffer.from([card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 0)].join(''), 'latin1');
    const path = file('junk-header.fits', concat(block(Buffer.concat([cards, junk]).toString('latin1') + card('END'))));
    const r = bounded(await runCapped(['fits', 'info', path]));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `skybook fits info: warning: ${path}: HDU 0: 1 header card holds bytes that are not printable ASCII (the first: card 4 'JUNK', ` +
        'byte 0x00 at column 41); a FITS header is ASCII 32-126 only, so this is likely binary data read as keywords\n',
    );
    const json = bounded(await runCapped(['fits', 'info', path, '--json']));
    expect(JSON.parse(json.stdout).warnings).toEqual([
      expect.stringMatching(/HDU 0: 1 header card holds bytes that are not printable ASCII/),
    ]);
  });

  it('trailing garbage after the last HDU: fits info and fits verify warn, once, naming the file and the bytes', async () => {
    const table = tinyTable();
    const path = file('trailing.fits', concat(table, Buffer.alloc(1000, 0xab)));
    const warning = `${path}: 1000 bytes after the last HDU (HDU 1, ending at offset ${table.length}) do not start an extension; ignored`;
    for (const command of ['info', 'verify']) {
      const r = bounded(await runCapped(['fits', command, path]));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(`skybook fits ${command}: warning: ${warning}\n`);
      const json = bounded(await runCapped(['fits', command, path, '--json']));
      expect(JSON.parse(json.stdout).warnings).toEqual([warning]);
    }
    // a clean file's documents have no warnings member
    const clean = bounded(await runCapped(['fits', 'info', file('clean.fits', table), '--json']));
    expect(clean.stderr).toBe('');
    expect(Object.keys(JSON.parse(clean.stdout))).toEqual(['file', 'hdus']);
  });

  it('a table read beyond the budget is refused before anything is written: export -o leaves no file', async () => {
    const ascii = block(
      [
        card('XTENSION', 'TABLE'),
        card('BITPIX', 8),
        card('NAXIS', 2),
        card('NAXIS1', 10),
        card('NAXIS2', 3),
        card('PCOUNT', 0),
        card('GCOUNT', 1),
        card('TFIELDS', 1),
        card('TTYPE1', 'N'),
        card('TFORM1', 'I10'),
        card('TBCOL1', 1),
        card('END'),
      ].join(''),
    );
    const path = file('ascii.fits', concat(PRIMARY, ascii, block('         1         2         3')));
    const out = join(dir, 'out.csv');
    const r = await runCapped(['fits', 'export', path, '--hdu', '1', '--format', 'csv', '-o', out], { env: { SKYBOOK_MAX_MEMORY: '64' } });
    refused(
      r,
      'fits export',
      path,
      /HDU 1: the ASCII table \(3 rows of 10 bytes\) needs 114 bytes, more than the memory budget of 64 bytes \(SKYBOOK_MAX_MEMORY=64\)/,
    );
    expect(existsSync(out)).toBe(false);
    const ok = bounded(await runCapped(['fits', 'export', path, '--hdu', '1', '--format', 'csv']));
    expect(ok.stdout).toBe('N\n1\n2\n3\n');
  });

  it('an unreadable SKYBOOK_MAX_MEMORY is bad usage, one line naming it', async () => {
    const path = file('tiny.fits', tinyTable());
    const r = bounded(await runCapped(['fits', 'stats', path], { env: { SKYBOOK_MAX_MEMORY: 'lots' } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "skybook fits stats: invalid SKYBOOK_MAX_MEMORY: 'lots' (a number of bytes with an optional unit K, M, G or T: 512M, 2G, 4GiB)\n",
    );
  });
});
