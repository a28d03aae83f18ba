import { type CellFormat, columnFormat, formatCell } from './format-cell.js';
import { escapeHtml } from './html.js';

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

/** The longest exact value a cell's `title` carries (a long string, a list's text). */
const TITLE_MAX_CHARS = 1000;

/** Each shown column's format, from its Arrow type (floats to their precision's digits). */
function formats(table: ArrowTableLike, v: View): CellFormat[] {
  return v.columns.map((c) => columnFormat(table.schema.fields[c]!.type));
}

function cell(table: ArrowTableLike, col: number, row: number, fmt: CellFormat): string {
  return formatCell(table.getChildAt(col)?.get(row), fmt);
}

/** A `<td>`: the value as the column shows it, and the exact value in a `title` (shown on hover) when they differ. */
function cellHtml(table: ArrowTableLike, col: number, row: number, fmt: CellFormat): string {
  const value = table.getChildAt(col)?.get(row);
  const shown = formatCell(value, fmt);
  const exact = formatCell(value, { float32: fmt.float32, maxChars: TITLE_MAX_CHARS });
  return exact === shown ? `<td>${escapeHtml(shown)}</td>` : `<td title="${escapeHtml(exact)}">${escapeHtml(shown)}</td>`;
}

/** "1,234 rows × 5 columns", with grouping that does not depend on the machine's locale. */
export function tableCaption(table: ArrowTableLike): string {
  const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const r = table.numRows;
  const c = table.schema.fields.length;
  return `${group(r)} row${r === 1 ? '' : 's'} × ${group(c)} column${c === 1 ? '' : 's'}`;
}

/** The wrapper's style: a wide table scrolls sideways inside the output instead of running off the page. */
const WRAPPER_STYLE = 'overflow-x: auto; max-width: 100%;';

/**
 * An Arrow table as an HTML `<table>`: column names with their Arrow types, the first and last rows with a gap row
 * between them, and a caption with the row and column counts. Floats show their column's precision (float32 7
 * significant digits, float64 8) with the exact value in the cell's `title` (on hover); int64 and other values are
 * exact; a cell cut for length has its whole text in the title. A wide table scrolls sideways (inline CSS, no
 * stylesheet needed). Every name and value is HTML-escaped; the output depends only on the table's contents (same
 * table, same bytes).
 *
 * @example
 * const html = tableHtml(await fits.readTable('ZCATALOG'), { head: 3, tail: 3 });
 */
export function tableHtml(table: ArrowTableLike, opts: TableViewOptions = {}): string {
  const v = view(table, opts);
  const fmt = formats(table, v);
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
      : `<tr><th>${r}</th>${v.columns.map((c, i) => cellHtml(table, c, r, fmt[i]!)).join('')}${moreCell}</tr>`,
  );
  return [
    `<div class="skybook-table" style="${WRAPPER_STYLE}">`,
    '<table>',
    `<thead>${head.join('')}</thead>`,
    `<tbody>${body.join('')}</tbody>`,
    '</table>',
    `<p class="skybook-caption">${escapeHtml(tableCaption(table))}</p>`,
    '</div>',
  ].join('\n');
}

/**
 * An Arrow table as aligned plain text: a header of names, a line of types, the first and last rows, a caption. Floats
 * show their column's precision as in {@link tableHtml}, so the columns stay narrow.
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
  const fmt = formats(table, v);
  const fields = table.schema.fields;
  const more = v.hiddenColumns > 0 ? [`… ${v.hiddenColumns} more`] : [];
  const grid: string[][] = [
    ['', ...v.columns.map((c) => fields[c]!.name), ...more],
    ['', ...v.columns.map((c) => typeName(fields[c]!.type)), ...more.map(() => '')],
    ...v.rows.map((r) =>
      r === null
        ? ['…', ...v.columns.map(() => '…'), ...more.map(() => '…')]
        : [String(r), ...v.columns.map((c, i) => cell(table, c, r, fmt[i]!)), ...more.map(() => '…')],
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
