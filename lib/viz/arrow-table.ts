import { escapeHtml } from './html.js';
import { formatCell } from './format-cell.js';

/** The part of an Arrow `Table` (or `RecordBatch`) the renderers read; duck-typed so any apache-arrow copy works. */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: unknown; readonly nullable?: boolean }[] };
  getChildAt(index: number): { get(row: number): unknown } | null;
}

/** How much of a table to show. */
export interface TableViewOptions {
  /** Rows from the top (default 5). */
  head?: number;
  /** Rows from the bottom (default 5). */
  tail?: number;
  /** Columns at most (default 40); the rest are counted in the caption. */
  maxColumns?: number;
}

/**
 * Whether a value is an Arrow table or record batch (duck-typed, because a notebook may hold tables from the CommonJS
 * and the ESM build of apache-arrow at once).
 *
 * @example
 * isArrowTable(tableFromArrays({ z: new Float64Array([0.5]) })); // true
 */
export function isArrowTable(value: unknown): value is ArrowTableLike {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<ArrowTableLike>;
  return typeof t.numRows === 'number' && typeof t.getChildAt === 'function' && Array.isArray(t.schema?.fields);
}

interface View {
  rows: (number | null)[];
  columns: number[];
  hiddenColumns: number;
}

function view(table: ArrowTableLike, opts: TableViewOptions): View {
  const head = opts.head ?? 5;
  const tail = opts.tail ?? 5;
  const n = table.numRows;
  const rows: (number | null)[] = [];
  if (n <= head + tail) for (let i = 0; i < n; i++) rows.push(i);
  else {
    for (let i = 0; i < head; i++) rows.push(i);
    rows.push(null); // the gap
    for (let i = n - tail; i < n; i++) rows.push(i);
  }
  const nCols = table.schema.fields.length;
  const shown = Math.min(nCols, opts.maxColumns ?? 40);
  return { rows, columns: Array.from({ length: shown }, (_, i) => i), hiddenColumns: nCols - shown };
}

function typeName(t: unknown): string {
  return String(t);
}

function cell(table: ArrowTableLike, col: number, row: number): string {
  return formatCell(table.getChildAt(col)?.get(row));
}

/** "1,234 rows × 5 columns", with grouping that does not depend on the machine's locale. */
export function tableCaption(table: ArrowTableLike): string {
  const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const r = table.numRows;
  const c = table.schema.fields.length;
  return `${group(r)} row${r === 1 ? '' : 's'} × ${group(c)} column${c === 1 ? '' : 's'}`;
}

/**
 * An Arrow table as an HTML `<table>`: column names with their Arrow types, the first and last rows with a gap row
 * between them, and a caption with the row and column counts. Every name and value is HTML-escaped; the output depends
 * only on the table's contents (same table, same bytes).
 *
 * @example
 * const html = tableHtml(await fits.readTable('ZCATALOG'), { head: 3, tail: 3 });
 */
export function tableHtml(table: ArrowTableLike, opts: TableViewOptions = {}): string {
  const v = view(table, opts);
  const fields = table.schema.fields;
  const more = v.hiddenColumns > 0 ? `<th>… ${v.hiddenColumns} more</th>` : '';
  const moreCell = v.hiddenColumns > 0 ? '<td>…</td>' : '';
  const head = [
    `<tr><th></th>${v.columns.map((c) => `<th>${escapeHtml(fields[c]!.name)}</th>`).join('')}${more}</tr>`,
    `<tr class="skybook-types"><th></th>${v.columns.map((c) => `<th><code>${escapeHtml(typeName(fields[c]!.type))}</code></th>`).join('')}${more ? '<th></th>' : ''}</tr>`,
  ];
  const body = v.rows.map((r) =>
    r === null
      ? `<tr class="skybook-gap"><th>…</th>${v.columns.map(() => '<td>…</td>').join('')}${moreCell}</tr>`
      : `<tr><th>${r}</th>${v.columns.map((c) => `<td>${escapeHtml(cell(table, c, r))}</td>`).join('')}${moreCell}</tr>`,
  );
  return [
    '<div class="skybook-table">',
    '<table>',
    `<thead>${head.join('')}</thead>`,
    `<tbody>${body.join('')}</tbody>`,
    '</table>',
    `<p class="skybook-caption">${escapeHtml(tableCaption(table))}</p>`,
    '</div>',
  ].join('\n');
}

/**
 * An Arrow table as aligned plain text: a header of names, a line of types, the first and last rows, a caption.
 *
 * @example
 * console.log(tableText(tableFromArrays({ z: new Float64Array([0.5, 1.25]) })));
 * //    z
 * //    Float64
 * // 0  0.5
 * // 1  1.25
 * // 2 rows × 1 column
 */
export function tableText(table: ArrowTableLike, opts: TableViewOptions = {}): string {
  const v = view(table, opts);
  const fields = table.schema.fields;
  const more = v.hiddenColumns > 0 ? [`… ${v.hiddenColumns} more`] : [];
  const grid: string[][] = [
    ['', ...v.columns.map((c) => fields[c]!.name), ...more],
    ['', ...v.columns.map((c) => typeName(fields[c]!.type)), ...more.map(() => '')],
    ...v.rows.map((r) =>
      r === null
        ? ['…', ...v.columns.map(() => '…'), ...more.map(() => '…')]
        : [String(r), ...v.columns.map((c) => cell(table, c, r)), ...more.map(() => '…')],
    ),
  ];
  const widths = grid[0]!.map((_, i) => Math.max(...grid.map((row) => row[i]!.length)));
  const lines = grid.map((row) =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  return [...lines, tableCaption(table)].join('\n');
}
