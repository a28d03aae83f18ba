import { describe, expect, it } from 'vitest';
import { BGS_TARGET, COADD_FIBERSTATUS, DESI_TARGET, MWS_TARGET, SCND_TARGET, SPECMASK, ZWARN } from '../../lib/desi/index.js';

describe('bitmasks', () => {
  it('ZWARN bits are those of DOMAIN.md (redrock zwarning + DESI post-redrock bits)', () => {
    const want: Array<[string, number]> = [
      ['SKY', 0],
      ['LITTLE_COVERAGE', 1],
      ['SMALL_DELTA_CHI2', 2],
      ['NEGATIVE_MODEL', 3],
      ['MANY_OUTLIERS', 4],
      ['Z_FITLIMIT', 5],
      ['NEGATIVE_EMISSION', 6],
      ['UNPLUGGED', 7],
      ['BAD_TARGET', 8],
      ['NODATA', 9],
      ['BAD_MINFIT', 10],
      ['POORDATA', 11],
      ['LOW_DEL_CHI2', 16],
      ['LOW_DEL_CHI2_BGS', 17],
      ['BAD_SPECQA', 18],
      ['BAD_PETALQA', 19],
    ];
    expect(ZWARN.bits.map((b) => [b.name, b.bit])).toEqual(want);
  });

  it('DESI_TARGET carries the DOMAIN.md bits and decodes 64-bit values exactly', () => {
    for (const [n, b] of [
      ['LRG', 0],
      ['ELG', 1],
      ['QSO', 2],
      ['QSO_HIZ', 4],
      ['ELG_LOP', 5],
      ['ELG_HIP', 6],
      ['ELG_VLO', 7],
      ['SKY', 32],
      ['STD_FAINT', 33],
      ['STD_WD', 34],
      ['STD_BRIGHT', 35],
      ['BGS_ANY', 60],
      ['MWS_ANY', 61],
      ['SCND_ANY', 62],
    ] as const) {
      expect(DESI_TARGET.def(n).bit, n).toBe(b);
    }
    const v = (1n << 62n) | (1n << 60n) | (1n << 2n);
    expect(DESI_TARGET.decode(v)).toEqual(['QSO', 'BGS_ANY', 'SCND_ANY']);
    expect(DESI_TARGET.encode(['QSO', 'BGS_ANY', 'SCND_ANY'])).toBe(v);
    // bit 63 set arrives as a negative int64: decoded from its unsigned bit pattern, unnamed bits shown as BITn
    expect(DESI_TARGET.decode(-(1n << 63n) | 1n)).toEqual(['LRG', 'BIT63']);
  });

  it('round-trips every named bit of every mask', () => {
    for (const m of [ZWARN, DESI_TARGET, BGS_TARGET, MWS_TARGET, SCND_TARGET, COADD_FIBERSTATUS, SPECMASK]) {
      expect(new Set(m.bits.map((b) => b.bit)).size, m.name).toBe(m.bits.length);
      for (const b of m.bits) {
        expect(m.decode(m.mask(b.name)), `${m.name}.${b.name}`).toEqual([b.name]);
        expect(m.has(m.mask(b.name), b.name)).toBe(true);
      }
      const all = m.encode(m.bits.map((b) => b.name));
      expect(m.decode(all)).toEqual([...m.bits].sort((a, b) => a.bit - b.bit).map((b) => b.name));
    }
  });

  it('accepts numbers for 32-bit masks, including the sign bit of an int32 column', () => {
    expect(COADD_FIBERSTATUS.decode(2 ** 9 + 2)).toEqual(['STUCKPOSITIONER', 'BADPOSITION']);
    expect(COADD_FIBERSTATUS.decode(-2147483648)).toEqual(['RESERVED31']);
    expect(SPECMASK.decode(0)).toEqual([]);
    expect(SPECMASK.decode(2 ** 8)).toEqual(['NODATA']);
    expect(BGS_TARGET.decode(2n)).toEqual(['BGS_BRIGHT']);
    expect(MWS_TARGET.has(1n << 60n, 'BACKUP_BRIGHT')).toBe(true);
    expect(SCND_TARGET.decode(1n << 36n)).toEqual(['Z5_QSO']);
  });

  it('names the mask and the bad name on unknown bit names', () => {
    expect(() => ZWARN.encode(['SKY', 'NOPE'])).toThrow(/ZWARN: unknown bit name 'NOPE'/);
  });
});
