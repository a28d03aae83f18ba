import { describe, expect, it } from 'vitest';
import { columnType } from '../../lib/fits/bintable/arrow-types.js';
import { describeColumns } from '../../lib/fits/bintable/columns.js';
import { columnTypeName, isComplexColumn } from '../../lib/fits/bintable/type-names.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { Header, parseCards } from '../../lib/fits/header/header.js';
import { expectedFiles, HAVE_FIXTURES } from '../helpers/fixtures.js';
import { card } from '../helpers/tiny-fits.js';

// Every TFORM code, repeat counts, TDIMs, unsigned and scaled columns, variable-length arrays, a zero-width column.
const FORMS: [string, string?, Record<string, string | number>?][] = [
  ['L'],
  ['3L'],
  ['X'],
  ['13X'],
  ['B'],
  ['B', undefined, { TZERO: -128 }],
  ['I'],
  ['I', undefined, { TZERO: 32768 }],
  ['J'],
  ['J', undefined, { TZERO: 2147483648 }],
  ['K'],
  ['K', undefined, { TZERO: '9223372036854775808' }],
  ['E'],
  ['D'],
  ['C'],
  ['M'],
  ['J', undefined, { TSCAL: 0.5 }],
  ['I', undefined, { TSCAL: 2, TZERO: 10 }],
  ['20A'],
  ['12A', '(4,3)'],
  ['6D', '(3,2)'],
  ['10E'],
  ['4C', '(2,2)'],
  ['1PE(5)'],
  ['1PD'],
  ['1PJ'],
  ['1PA(30)'],
  ['1QB'],
  ['1PC'],
  ['1PL'],
  ['0E'],
];

function header(): Header {
  let width = 0;
  const cols: string[] = [];
  FORMS.forEach(([tform, tdim, extra], i) => {
    const n = i + 1;
    cols.push(card(`TTYPE${n}`, `C${n}`), card(`TFORM${n}`, tform));
    if (tdim) cols.push(card(`TDIM${n}`, tdim));
    for (const [k, v] of Object.entries(extra ?? {}))
      cols.push(typeof v === 'string' ? `${`${k}${n}`.padEnd(8)}= ${v.padStart(20)}`.padEnd(80) : card(`${k}${n}`, v));
    const m = /^(\d*)([A-Z])/.exec(tform)!;
    const rep = m[1] === '' ? 1 : Number(m[1]);
    const bytes: Record<string, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, A: 1, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16 };
    width += m[2] === 'X' ? Math.ceil(rep / 8) : m[2] === 'P' || m[2] === 'Q' ? (rep ? bytes[m[2]]! : 0) : rep * bytes[m[2]]!;
  });
  const text = [
    card('XTENSION', 'BINTABLE'),
    card('BITPIX', 8),
    card('NAXIS', 2),
    card('NAXIS1', width),
    card('NAXIS2', 0),
    card('PCOUNT', 0),
    card('GCOUNT', 1),
    card('TFIELDS', FORMS.length),
    ...cols,
    card('END'),
  ].join('');
  return new Header(parseCards(text), { file: 'synthetic', hdu: 1 });
}

describe('Arrow type names without Arrow (fits stats)', () => {
  it('names every kind of column as Arrow does', () => {
    const cols = describeColumns(header());
    expect(cols).toHaveLength(FORMS.length);
    for (const c of cols) {
      expect(columnTypeName(c), c.tformText).toBe(String(columnType(c)));
      expect(isComplexColumn(c), c.tformText).toBe(/^(\d*P)?\d*[CM]|P[CM]/.test(c.tformText.trim()));
    }
  });

  it.skipIf(!HAVE_FIXTURES)('names every column of the corpus tables as Arrow does', async () => {
    let n = 0;
    for (const f of [...new Set(expectedFiles().map((e) => e.file))]) {
      const fits = await FitsFile.open(f);
      try {
        for (const h of fits.hdus.filter((x) => x.type === 'BINTABLE')) {
          for (const c of describeColumns(h.header)) {
            expect(columnTypeName(c), `${f} ${c.name}`).toBe(String(columnType(c)));
            n++;
          }
        }
      } finally {
        await fits.close();
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});
