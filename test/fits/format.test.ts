import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FitsError } from '../../lib/errors/index.js';
import { parseCardImage, type CardValue } from '../../lib/fits/header/card.js';
import { parseCards } from '../../lib/fits/header/header.js';
import { formatCard, formatFloat, formatHeader, type CardInput } from '../../lib/fits/header/format.js';

const PYTHON = '/usr/bin/python3';
const hasAstropy = spawnSync(PYTHON, ['-c', 'import astropy'], { stdio: 'ignore' }).status === 0;
if (!hasAstropy)
  console.warn(`format tests: ${PYTHON} cannot import astropy (apt-get install python3-astropy); astropy comparisons skipped`);

/** Runs a Python snippet with `data` (JSON) on stdin; returns its stdout parsed as JSON. */
function python(script: string, data: unknown): unknown {
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(data), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const img = (s: string) => s.padEnd(80);

// input -> exact card image (astropy's layout) -> value read back
const TABLE: [CardInput, string, CardValue][] = [
  [
    { keyword: 'SIMPLE', value: true, comment: 'conforms to FITS standard' },
    'SIMPLE  =                    T / conforms to FITS standard',
    true,
  ],
  [{ keyword: 'naxis', value: 2 }, 'NAXIS   =                    2', 2],
  [{ keyword: 'NEG', value: -17 }, 'NEG     =                  -17', -17],
  [{ keyword: 'BIG', value: 9223372036854775807n }, 'BIG     =  9223372036854775807', 9223372036854775807n],
  [{ keyword: 'TZERO1', value: 9223372036854775808n }, 'TZERO1  =  9223372036854775808', 9223372036854775808n],
  [{ keyword: 'FLT', value: 3, isInteger: false }, 'FLT     =                  3.0', 3],
  [{ keyword: 'FLT', value: 0.1 }, 'FLT     =                  0.1', 0.1],
  [{ keyword: 'FLT', value: 0.30000000000000004 }, 'FLT     =  0.30000000000000004', 0.30000000000000004],
  [{ keyword: 'FLT', value: -1.5e-7 }, 'FLT     =             -1.5E-07', -1.5e-7],
  [{ keyword: 'FLT', value: 6.02214076e23 }, 'FLT     =       6.02214076E+23', 6.02214076e23],
  [{ keyword: 'FLT', value: 1e16 }, 'FLT     =                1E+16', 1e16],
  [{ keyword: 'FLT', value: 1234567890123456.8 }, 'FLT     =   1234567890123456.8', 1234567890123456.8],
  [{ keyword: 'FLT', value: 0.0001 }, 'FLT     =               0.0001', 0.0001],
  [{ keyword: 'FLT', value: 1.7976931348623157e308 }, 'FLT     = 1.7976931348623157E+308', 1.7976931348623157e308],
  [{ keyword: 'FLT', value: 5e-324 }, 'FLT     =               5E-324', 5e-324],
  [{ keyword: 'FLT', value: -0, isInteger: false }, 'FLT     =                 -0.0', -0],
  [{ keyword: 'CPX', value: { re: 1.5, im: -2 } }, 'CPX     =          (1.5, -2.0)', { re: 1.5, im: -2 }],
  [{ keyword: 'OBJECT', value: 'M13', comment: 'target' }, "OBJECT  = 'M13     '           / target", 'M13'],
  [{ keyword: 'QUOTE', value: "it's" }, "QUOTE   = 'it''s   '", "it's"],
  [{ keyword: 'LONGNAME', value: 'exactly eight+' }, "LONGNAME= 'exactly eight+'", 'exactly eight+'],
  [{ keyword: 'EMPTY', value: '' }, "EMPTY   = ''", ''],
  [{ keyword: 'LEAD', value: '  x' }, "LEAD    = '  x     '", '  x'],
  [{ keyword: 'UNDEF', value: null, comment: 'no value' }, 'UNDEF   =  / no value', null],
  [{ keyword: 'COMMENT', value: 'a comment card' }, 'COMMENT a comment card', 'a comment card'],
  [{ keyword: 'HISTORY', value: 'made by skybook' }, 'HISTORY made by skybook', 'made by skybook'],
  [{ keyword: '', value: 'blank keyword text' }, '        blank keyword text', 'blank keyword text'],
  [{ keyword: 'ESO DET CHIP ID', value: 3, comment: 'chip' }, 'HIERARCH ESO DET CHIP ID = 3 / chip', 3],
  [{ keyword: 'HIERARCH long.keyword', value: 'x' }, "HIERARCH long.keyword = 'x       '", 'x'],
];

describe('formatCard', () => {
  it.each(TABLE.map(([input, image, value]) => [input.keyword, input, image, value] as const))('%s', (_k, input, image, value) => {
    const out = formatCard(input);
    expect(out).toBe(img(image));
    const back = parseCardImage(out);
    if (typeof value === 'number' && Object.is(value, -0)) expect(Object.is(back.value, -0)).toBe(true);
    else expect(back.value).toEqual(value);
    if (input.isInteger === false || (typeof input.value === 'number' && !Number.isInteger(input.value)))
      expect(back.isInteger).toBeFalsy();
  });

  it('round-trips random doubles exactly and always as floats', () => {
    const view = new DataView(new ArrayBuffer(8));
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      view.setUint32(0, seed);
      seed = (seed * 1103515245 + 12345) >>> 0;
      view.setUint32(4, seed);
      const x = view.getFloat64(0);
      if (!Number.isFinite(x)) continue;
      const back = parseCardImage(formatCard({ keyword: 'X', value: x, isInteger: false }));
      expect(back.value).toBe(x);
      expect(back.isInteger).toBe(false);
    }
    for (const x of [1, 10, 123456789, 2 ** 53, 2 ** 60, 1e21, 1e-5, 123e-20]) expect(formatFloat(x)).toMatch(/[.E]/);
  });

  it('writes long strings with CONTINUE cards that read back whole', () => {
    const long = "The quick brown fox's tail, ".repeat(12);
    const comment = 'a comment that is long enough to need more than one continuation card, certainly so';
    const out = formatCard({ keyword: 'LONGSTR', value: long, comment });
    expect(out.length % 80).toBe(0);
    expect(out.length / 80).toBeGreaterThan(5);
    const cards = parseCards(out);
    expect(cards).toHaveLength(1);
    // trailing blanks are not significant in FITS strings (astropy drops them; header.ts keeps them before a comment)
    expect(String(cards[0]!.value).trimEnd()).toBe(long.trimEnd());
    expect(cards[0]!.comment).toBe(comment);
    // a quote pair is never cut by a card boundary
    const quotes = "'".repeat(100);
    expect(parseCards(formatCard({ keyword: 'Q', value: quotes }))[0]!.value).toBe(quotes);
  });

  it('cuts a comment that does not fit instead of failing', () => {
    const out = formatCard({ keyword: 'K', value: 1, comment: 'c'.repeat(100) });
    expect(out).toHaveLength(80);
    expect(parseCardImage(out).value).toBe(1);
  });

  it('rejects bad keywords and text with errors that name them', () => {
    const bad: [CardInput, RegExp][] = [
      [{ keyword: 'A.B', value: 1 }, /A\.B.*A-Z 0-9 _ -/],
      [{ keyword: 'KEY=', value: 1 }, /KEY=/],
      [{ keyword: 'TÉL', value: 1 }, /TÉL.*printable ASCII/],
      [{ keyword: 'OBJECT', value: 'Café' }, /OBJECT.*U\+00E9.*printable ASCII/],
      [{ keyword: 'OBJECT', value: 'x', comment: 'tab\there' }, /OBJECT.*comment/],
      [{ keyword: 'BAD', value: Number.NaN }, /BAD.*NaN/],
      [{ keyword: 'BAD', value: Number.POSITIVE_INFINITY }, /Infinity/],
      [{ keyword: 'HIERARCH ' + 'K'.repeat(60), value: 'a value that makes it too long' }, /does not fit/],
      [{ keyword: 'END' }, /END/],
    ];
    for (const [input, re] of bad) {
      expect(() => formatCard(input), input.keyword).toThrow(FitsError);
      expect(() => formatCard(input), input.keyword).toThrow(re);
    }
  });
});

describe('formatHeader', () => {
  it('adds LONGSTRN before the first long string, END, and pads to 2880', () => {
    const text = formatHeader([
      { keyword: 'SIMPLE', value: true },
      { keyword: 'BITPIX', value: 8 },
      { keyword: 'NAXIS', value: 0 },
      { keyword: 'PATH', value: '/a/very/long/path/'.repeat(10) },
    ]);
    expect(text.length % 2880).toBe(0);
    const cards = parseCards(text);
    expect(cards.map((c) => c.keyword)).toEqual(['SIMPLE', 'BITPIX', 'NAXIS', 'LONGSTRN', 'PATH']);
    expect(text).toMatch(/^(.{80})*END {77}/);
    expect(formatHeader([{ keyword: 'X', value: 1 }]).match(/LONGSTRN/)).toBeNull();
  });
});

describe.skipIf(!hasAstropy)('astropy agrees', () => {
  it('formats the same images for values whose %.16G form is shortest, and reads every card back', () => {
    const inputs = TABLE.filter(([c]) => !c.keyword.startsWith('HIERARCH') && c.keyword.length <= 8 && !(typeof c.value === 'bigint'));
    const toPy = inputs.map(([c]) => ({
      keyword: c.keyword,
      value: typeof c.value === 'object' && c.value !== null ? { complex: [c.value.re, c.value.im] } : c.value,
      float: typeof c.value === 'number' && (c.isInteger === false || !Number.isInteger(c.value)),
      comment: c.comment ?? '',
    }));
    const script = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.io import fits
out = []
for c in json.load(sys.stdin):
    v = c['value']
    if isinstance(v, dict): v = complex(*v['complex'])
    elif c['float']: v = float(v)
    elif v is None: v = fits.card.UNDEFINED
    if c['keyword'] in ('COMMENT', 'HISTORY', ''): card = fits.Card(c['keyword'], v)
    else: card = fits.Card(c['keyword'], v, c['comment'])
    out.append(card.image)
print(json.dumps(out))`;
    const images = python(script, toPy) as string[];
    const same = ['0.1', '-1.5E-07', '1E+16', '0.0001', '3.0', '(1.5, -2.0)', '6.02214076E+23'];
    inputs.forEach(([c], i) => {
      const ours = formatCard(c);
      const theirs = images[i]!;
      const numeric = typeof c.value === 'number' || (typeof c.value === 'object' && c.value !== null);
      if (!numeric || same.some((s) => theirs.includes(s))) expect(ours, c.keyword).toBe(theirs);
    });
  });

  it('parses our header with no warnings and gets the same values', () => {
    const cards: CardInput[] = [
      { keyword: 'SIMPLE', value: true },
      { keyword: 'BITPIX', value: 8 },
      { keyword: 'NAXIS', value: 0 },
      ...TABLE.map(([c]) => c).filter((c) => !['SIMPLE', 'naxis'].includes(c.keyword)),
      { keyword: 'LONGSTR', value: "it's a long string ".repeat(10), comment: 'with a comment '.repeat(8) },
      { keyword: 'HISTORY', value: 'h'.repeat(150) },
    ];
    const text = formatHeader(cards);
    const script = `
import json, sys, warnings
warnings.simplefilter('error')
from astropy.io import fits
h = fits.Header.fromstring(sys.stdin.read()[1:-1].encode().decode('unicode_escape'))
for c in h.cards: c.verify('exception')
def j(v):
    if isinstance(v, bool): return v
    if isinstance(v, int): return str(v)
    if isinstance(v, complex): return [v.real, v.imag]
    if v is None or isinstance(v, fits.card.Undefined): return None
    return v
print(json.dumps([[c.keyword, j(c.value), c.comment] for c in h.cards]))`;
    const got = python(script, text) as [string, unknown, string][];
    const ours = parseCards(text);
    expect(got.map((g) => g[0])).toEqual(ours.map((c) => c.keyword));
    ours.forEach((c, i) => {
      const v = c.value;
      const expected =
        typeof v === 'number' && (c.isInteger || Number.isInteger(v)) && got[i]![1] !== null && typeof got[i]![1] === 'string'
          ? String(v)
          : typeof v === 'bigint'
            ? String(v)
            : v !== null && typeof v === 'object'
              ? [v.re, v.im]
              : typeof v === 'string'
                ? v.trimEnd()
                : v;
      expect(got[i]![1], c.keyword).toEqual(expected);
    });
  });
});
