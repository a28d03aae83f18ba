import {
  copyFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addSums,
  checksum32,
  decodeChecksum,
  encodeChecksum,
  FitsChecksum,
  verifyHdu,
  type ChecksumVerdict,
} from '../../lib/fits/checksum.js';
import { walkHdus } from '../../lib/fits/hdu.js';
import { FileSource } from '../../lib/fits/source/file-source.js';
import { MemorySource } from '../../lib/fits/source/memory-source.js';

const FIXTURES = process.env.SKYBOOK_FIXTURES ?? join(import.meta.dirname, '../../../shared/fixtures');
const EXPECTED_DIRS = [join(FIXTURES, 'fits/expected'), join(FIXTURES, 'desi/expected')];

interface ExpectedHdu {
  index: number;
  name: string;
  ver: number;
}
interface ExpectedDoc {
  path?: string;
  file: string;
  hdus?: ExpectedHdu[];
  checksum?: {
    hdus?: { index: number; has_CHECKSUM: boolean; has_DATASUM: boolean; warnings: string[] }[];
    all_messages?: string[];
    error?: string;
  };
}

/** The fixture file an expected JSON describes (desi/ JSON paths say fits/desi/...). */
function fixturePath(doc: ExpectedDoc, expectedDir: string): string | undefined {
  const candidates = [join(FIXTURES, doc.path ?? ''), join(expectedDir, '..', doc.file)];
  return candidates.find((p) => doc.path !== undefined && existsSync(p));
}

/**
 * astropy's verdict per HDU. Its per-HDU `warnings` list only catches messages naming `HDU #n`; astropy 5.2 names
 * HDUs as `('EVENTS', 1)`, so failures are read from `all_messages` as well.
 */
function astropyVerdicts(doc: ExpectedDoc): ChecksumVerdict[] {
  const msgs = doc.checksum?.all_messages ?? [];
  return (doc.checksum?.hdus ?? []).map((h) => {
    const info = doc.hdus?.[h.index];
    const names = [`HDU #${h.index + 1}`, `HDU ${h.index}`];
    if (info) names.push(`('${info.name}', ${info.ver})`);
    const mine = [...h.warnings, ...msgs.filter((m) => names.some((n) => m.includes(n)))];
    const failed = (what: string) => mine.some((m) => m.toLowerCase().startsWith(what));
    return {
      checksum: !h.has_CHECKSUM ? 'absent' : failed('checksum') ? 'bad' : 'ok',
      datasum: !h.has_DATASUM ? 'absent' : failed('datasum') ? 'bad' : 'ok',
    };
  });
}

function withChecksums(): { name: string; file: string; doc: ExpectedDoc }[] {
  const out: { name: string; file: string; doc: ExpectedDoc }[] = [];
  for (const dir of EXPECTED_DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ExpectedDoc;
      const hdus = doc.checksum?.hdus ?? [];
      if (!hdus.some((h) => h.has_CHECKSUM || h.has_DATASUM)) continue;
      const file = fixturePath(doc, dir);
      if (file && !file.endsWith('.gz')) out.push({ name: doc.path ?? f, file, doc });
    }
  }
  return out;
}

describe('ones-complement sum', () => {
  it('adds big-endian words with end-around carry', () => {
    const b = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x02]);
    expect(checksum32(b)).toBe(2); // 0xffffffff + 2 wraps to 2 (0xffffffff is -0)
    expect(checksum32(new Uint8Array([0x80, 0, 0, 0, 0x80, 0, 0, 0]))).toBe(1);
    expect(checksum32(new Uint8Array([0, 0, 0x80, 0, 0, 0, 0x80, 0]))).toBe(0x10000);
    expect(checksum32(new Uint8Array(2880))).toBe(0);
  });

  it('gives the same sum whatever the chunking and alignment', () => {
    const bytes = new Uint8Array(100_003);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const whole = checksum32(bytes);
    let slow = 0; // reference: word by word with a BigInt-free carry fold
    for (let i = 0; i < bytes.length; i += 4) {
      const w = ((bytes[i]! << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0;
      slow += w;
      if (slow > 0xffffffff) slow -= 0xffffffff;
    }
    expect(whole).toBe(slow);
    for (const step of [1, 3, 4, 7, 4096, 65_537]) {
      const inc = new FitsChecksum();
      for (let i = 0; i < bytes.length; i += step) inc.update(bytes.subarray(i, i + step));
      expect(inc.value, `step ${step}`).toBe(whole);
    }
    const shifted = new Uint8Array(bytes.length + 1).subarray(1); // misaligned view
    shifted.set(bytes);
    expect(checksum32(shifted)).toBe(whole);
  });

  it('adds sums as ones-complement numbers', () => {
    expect(addSums(0xffffffff, 5)).toBe(5);
    expect(addSums(0x80000000, 0x80000000)).toBe(1);
    expect(addSums(0x12345678, ~0x12345678 >>> 0)).toBe(0xffffffff);
  });
});

describe('CHECKSUM encoding', () => {
  it('round-trips values and avoids punctuation', () => {
    // bytes whose quarter lands on punctuation (0x3a.., 0x5b..) exercise the nudging loop
    for (const v of [0, 1, 0xffffffff, 0x12345678, 0x3a3a3a3a, 0x5b5b5b5b, 0xdeadbeef, 0x40404040]) {
      const text = encodeChecksum(v, false);
      expect(text).toMatch(/^[0-9A-Za-z]{16}$/);
      expect(decodeChecksum(text)).toBe(v);
    }
    expect(encodeChecksum(0xffffffff)).toBe('0000000000000000'); // the complement of -0 is +0
    expect(decodeChecksum('not a checksum!!')).toBeUndefined();
  });
});

const cases = withChecksums();
const describeFixtures = cases.length ? describe : describe.skip;
if (!cases.length) console.warn(`checksum fixtures: none found under ${FIXTURES} (set SKYBOOK_FIXTURES); skipping`);

describeFixtures('verifyHdu on real files (astropy 5.2.1 verdicts)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const src = await FileSource.open(c.file);
    try {
      const hdus = await walkHdus(src);
      const expected = astropyVerdicts(c.doc);
      expect(hdus.length).toBe(expected.length);
      for (const hdu of hdus) {
        const got = await verifyHdu(src, hdu);
        expect(got, `HDU ${hdu.index}`).toEqual(expected[hdu.index]);
        if (got.checksum === 'ok') {
          // re-encoding reproduces the card: sum with a '0000000000000000' placeholder, complemented
          const header = Buffer.from(await src.read(hdu.headerOffset, hdu.dataOffset - hdu.headerOffset));
          const card = hdu.header.card('CHECKSUM')!;
          const at = header.indexOf(card.image.slice(0, 80));
          const valueAt = header.indexOf(`'${String(card.value)}'`, at) + 1;
          header.write('0000000000000000', valueAt, 'latin1');
          const data = new FitsChecksum();
          data.update(await src.read(hdu.dataOffset, hdu.dataSpan));
          expect(encodeChecksum(addSums(checksum32(header), data.value))).toBe(card.value);
        }
      }
    } finally {
      await src.close();
    }
  });

  it('says bad after one data byte is flipped', async () => {
    const c = cases.find((x) => x.name.includes('checksum.fits')) ?? cases[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'skybook-checksum-'));
    const copy = join(dir, 'flipped.fits');
    try {
      copyFileSync(c.file, copy);
      chmodSync(copy, 0o644);
      const before = await FileSource.open(copy);
      const hdus = await walkHdus(before);
      await before.close();
      const target = hdus.find((h) => h.dataSize > 0 && h.header.has('DATASUM'))!;
      const pos = target.dataOffset + Math.floor(target.dataSize / 2);
      const fd = openSync(copy, 'r+');
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, pos);
      one[0] = one[0]! ^ 0x01;
      writeSync(fd, one, 0, 1, pos);
      closeSync(fd);
      const src = await FileSource.open(copy);
      const verdicts = [];
      for (const h of await walkHdus(src)) verdicts.push(await verifyHdu(src, h));
      await src.close();
      const expected = astropyVerdicts(c.doc);
      expected[target.index] = { checksum: 'bad', datasum: 'bad' };
      expect(verdicts).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verifyHdu on memory', () => {
  it('reports absent cards', async () => {
    const card = (s: string) => s.padEnd(80, ' ');
    const text =
      card('SIMPLE  =                    T') +
      card('BITPIX  =                    8') +
      card('NAXIS   =                    0') +
      card('END');
    const bytes = new Uint8Array(2880).fill(0x20);
    bytes.set(Buffer.from(text, 'latin1'));
    const src = new MemorySource(bytes, 'mem.fits');
    const [hdu] = await walkHdus(src);
    expect(await verifyHdu(src, hdu!)).toEqual({ checksum: 'absent', datasum: 'absent' });
  });
});
