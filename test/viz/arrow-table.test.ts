import { tableFromArrays, Table, vectorFromArray, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { formatCell, isArrowTable, mimeBundle, tableCaption, tableHtml, tableText, vectorText } from '../../lib/viz/index.js';

function zcat(n: number): Table {
  const ids = new BigInt64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = 39627586454521344n + BigInt(i);
    z[i] = i / 4;
  }
  return tableFromArrays({ TARGETID: ids, Z: z });
}

describe('Arrow table rendering', () => {
  it('recognises tables and record batches, not look-alikes', () => {
    const t = zcat(3);
    expect(isArrowTable(t)).toBe(true);
    expect(isArrowTable(t.batches[0])).toBe(true);
    expect(isArrowTable({ numRows: 3, schema: {} })).toBe(false);
    expect(isArrowTable(null)).toBe(false);
  });

  it('shows head and tail with a gap row, exact int64 ids and the row count', () => {
    const html = tableHtml(zcat(1234), { head: 2, tail: 2 });
    const rows = [...html.matchAll(/<tr>(<th>[^<]*<\/th>)?(.*?)<\/tr>/g)].map((m) => m[0]);
    expect(html).toContain('<th>TARGETID</th><th>Z</th>');
    expect(html).toContain('<th><code>Int64</code></th><th><code>Float64</code></th>');
    expect(html).toContain('<tr><th>0</th><td>39627586454521344</td><td>0</td></tr>');
    expect(html).toContain('<tr><th>1</th><td>39627586454521345</td><td>0.25</td></tr>');
    expect(html).toContain('<tr class="skybook-gap"><th>…</th><td>…</td><td>…</td></tr>');
    expect(html).toContain('<tr><th>1233</th><td>39627586454522577</td><td>308.25</td></tr>');
    expect(html).not.toContain('<th>2</th>');
    expect(rows.length).toBe(5); // header row + 4 data rows (the types and gap rows have classes)
    expect(html).toContain('1,234 rows × 2 columns');
  });

  it('shows every row when the table is short', () => {
    const text = tableText(zcat(3), { head: 2, tail: 2 });
    expect(text.split('\n')).toEqual([
      '   TARGETID           Z',
      '   Int64              Float64',
      '0  39627586454521344  0',
      '1  39627586454521345  0.25',
      '2  39627586454521346  0.5',
      '3 rows × 2 columns',
    ]);
  });

  it('escapes names and values (no markup injection)', () => {
    const t = new Table({ '<b>name</b>': vectorFromArray(['<script>alert(1)</script>', 'a & "b"'], new Utf8()) });
    const html = tableHtml(t);
    expect(html).toContain('<th>&lt;b&gt;name&lt;/b&gt;</th>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('<td>a &amp; &quot;b&quot;</td>');
    expect(html).not.toContain('<script>');
  });

  it('renders nulls, lists, long strings and counts hidden columns', () => {
    const cols: Record<string, unknown[]> = {};
    for (let i = 0; i < 45; i++) cols[`c${i}`] = [i, null];
    const wide = tableFromArrays(cols as Record<string, number[]>);
    const text = tableText(wide);
    expect(text.split('\n')[0]).toContain('… 5 more');
    expect(text.split('\n')[0]).toContain('c39');
    expect(text.split('\n')[0]).not.toContain('c40');
    expect(tableCaption(wide)).toBe('2 rows × 45 columns');
    expect(formatCell(new Float32Array([1.5, 2]))).toBe('[1.5, 2]');
    expect(formatCell(Array.from({ length: 10 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, … (10)]');
    expect(formatCell('x'.repeat(100))).toBe(`${'x'.repeat(59)}…`);
    expect(formatCell(null)).toBe('null');
    expect(formatCell(-0)).toBe('-0');
    expect(formatCell(new Date(Date.UTC(2021, 0, 2)))).toBe('2021-01-02T00:00:00.000Z');
  });

  it('is deterministic: the same table gives the same bytes', () => {
    expect(tableHtml(zcat(50))).toBe(tableHtml(zcat(50)));
    expect(tableText(zcat(50))).toBe(tableText(zcat(50)));
  });
});

describe('Arrow vector rendering', () => {
  it('a column shows its type, length and first values, int64 exactly', () => {
    const t = zcat(1234);
    expect(vectorText(t.getChild('TARGETID')!, 2)).toBe('Int64 vector, 1,234 values: [39627586454521344, 39627586454521345, …]');
    expect(mimeBundle(t.getChild('Z'), 'x')).toEqual({
      'text/plain': 'Float64 vector, 1,234 values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, …]',
    });
    expect(vectorText(zcat(1).getChild('Z')!)).toBe('Float64 vector, 1 value: [0]');
  });
});

describe('Arrow table precision (issue 12: floats to 17 digits ran the table off the page)', () => {
  const t = tableFromArrays({
    TARGETID: new BigInt64Array([39627586454521344n, 2n]),
    Z: new Float64Array([0.20043752985109645, 0.4]),
    FLUX: new Float32Array([1 / 3, 0.1]),
    NAME: ['x'.repeat(100), 'short'],
  });

  it('HTML: floats to their column precision with the exact value in the title; int64 exact; long text whole in the title', () => {
    const html = tableHtml(t);
    expect(html).toContain(
      '<tr><th>0</th><td>39627586454521344</td><td title="0.20043752985109645">0.20043753</td><td title="0.33333334">0.3333333</td>' +
        `<td title="${'x'.repeat(100)}">${'x'.repeat(59)}…</td></tr>`,
    );
    // Values the digits show whole carry no title.
    expect(html).toContain('<tr><th>1</th><td>2</td><td>0.4</td><td>0.1</td><td>short</td></tr>');
    expect(html).not.toMatch(/>-?\d*\.\d{9,}</); // no cell shows more than 8 decimals
  });

  it('HTML: the table scrolls sideways inside its output rather than running off the page', () => {
    expect(tableHtml(t)).toMatch(/^<div class="skybook-table" style="overflow-x: auto; max-width: 100%;">\n<table>/);
  });

  it('text/plain: the same digits, so the columns stay narrow', () => {
    expect(tableText(t).split('\n')).toEqual([
      '   TARGETID           Z           FLUX       NAME',
      '   Int64              Float64     Float32    Dictionary<Int32, Utf8>',
      `0  39627586454521344  0.20043753  0.3333333  ${'x'.repeat(59)}…`,
      '1  2                  0.4         0.1        short',
      '2 rows × 4 columns',
    ]);
  });

  it('a float32 column prints its float32 values, not their float64 expansions', () => {
    expect(vectorText(t.getChild('FLUX')!)).toBe('Float32 vector, 2 values: [0.33333334, 0.1]');
  });
});
