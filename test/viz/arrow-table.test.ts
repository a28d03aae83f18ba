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
