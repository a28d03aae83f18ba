import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Bool, Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { CloudyError, fileProblem } from '../errors/index.js';
import { utf8Data } from './utf8-column.js';

/**
 * The kinds of Cloudy save file skybook reads, by the extension pyCloudy and Cloudy's own tests give them: `ovr`
 * (save overview), `ems` (save lines, emissivity), `lin` (save lines, array / save line list), `con` (save
 * continuum), `grd` (save grid), `h2col` (save H2 column densities), or `save` for any other tab-separated save file.
 *
 * @example
 * const kind: SaveKind = saveKindOf('hii_sphere.ovr'); // 'ovr'
 */
export type SaveKind = 'ovr' | 'ems' | 'lin' | 'con' | 'grd' | 'h2col' | 'save';

/** The kinds with a parser of their own, by file extension; other extensions read as plain `save` tables. */
export const SAVE_KINDS: readonly SaveKind[] = ['ovr', 'ems', 'lin', 'con', 'grd', 'h2col'];

/**
 * The kind of a save file from its name (`.ovr`, `.ems`, `.lin`, `.con`, `.grd`, `.h2col`), `save` otherwise.
 *
 * @example
 * saveKindOf('runs/grid_extreme.grd'); // 'grd'
 */
export function saveKindOf(file: string): SaveKind {
  const ext = /\.([A-Za-z0-9]+)$/.exec(basename(file))?.[1]?.toLowerCase();
  return (SAVE_KINDS as readonly string[]).includes(ext ?? '') ? (ext as SaveKind) : 'save';
}

/**
 * A parsed save file: one Arrow table whose columns are the file's header (names as Cloudy writes them, e.g. `Te`,
 * `H  1  4861A`, `AV(extend)`), plus `BLOCK` (0, 1, ...: a new block starts where Cloudy repeats the header or writes
 * a line of `#`, i.e. per iteration or per grid model); `layout` says how an overview's values were written (see
 * {@link SaveOptions}); `extra` holds a second table where the kind has one (h2col: the ortho/para/total summary).
 *
 * @example
 * const s: SaveTable = parseSaveText(text, { kind: 'ovr', file: 'hii.ovr' });
 * s.table.getChild('Te')!.get(0); // kelvin, whichever Cloudy wrote it
 */
export interface SaveTable {
  file: string | undefined;
  kind: SaveKind;
  columns: string[];
  table: Table;
  blocks: number;
  layout: 'linear' | 'log10' | undefined;
  extra?: Table;
}

/**
 * Options of {@link parseSaveText}. Cloudy up to C13 wrote `save overview` as log10 of everything but depth and the
 * extinctions; C17 and later write linear values. With `overview: 'linear'` (default) both layouts read as linear
 * values (kelvin, cm^-3, ion fractions), so grids from either version compare directly; `'as-written'` keeps the file's
 * numbers. The layout is recognised from the numbers (ion fractions of one element sum to 1 in one of the two readings).
 *
 * @example
 * parseSaveText(text, { kind: 'ovr', overview: 'as-written' } satisfies SaveOptions);
 */
export interface SaveOptions {
  kind?: SaveKind;
  file?: string;
  overview?: 'linear' | 'as-written';
}

/**
 * Reads a Cloudy save file into Arrow ({@link parseSaveText}); the kind from the extension unless given. A missing
 * or unreadable file, or rows that do not fit the header, are CloudyErrors naming the file and line.
 *
 * @example
 * const ovr = await readSaveFile('hii_sphere.ovr');
 * ovr.table.numRows; // zones
 */
export async function readSaveFile(file: string, options: Omit<SaveOptions, 'file'> = {}): Promise<SaveTable> {
  let text: string;
  try {
    // One read, not the promise API's chunked reads through the thread pool: 0.2 ms against 0.45 ms for a 150 kB .out
    // (a third of reading one), and Cloudy's files are small enough that the event loop never notices.
    text = readFileSync(file, 'latin1');
  } catch (e) {
    throw new CloudyError(`cannot read it: ${fileProblem(e)}`, { scope: 'readSaveFile', file });
  }
  return parseSaveText(text, { ...options, file, kind: options.kind ?? saveKindOf(file) });
}

const BLOCK_SEPARATOR = /^#{5,}\s*$/;

/**
 * Parses the text of a tab-separated Cloudy save file: the first `#` line names the columns; each other line is a
 * row of tab-separated fields (a trailing tab is allowed; a line with more fields, or fewer than the header less
 * one, is a CloudyError naming the line). A column is float64 when every non-empty field in it is a number (Cloudy's
 * `nan` and `inf` included), else utf8; `grd` gives `Index` as int32 and `Abort?` / `Warnings?` as booleans.
 *
 * @example
 * const { table, blocks } = parseSaveText(readFileSync('grid.ovr', 'latin1'), { kind: 'ovr' });
 */
export function parseSaveText(text: string, options: SaveOptions = {}): SaveTable {
  const kind = options.kind ?? (options.file ? saveKindOf(options.file) : 'save');
  const where = (line?: number) => ({ scope: 'parseSaveFile', ...(options.file ? { file: options.file } : {}), ...(line ? { line } : {}) });
  const lines = text.split('\n');
  let header: string | undefined;
  let columns: string[] = [];
  const rows: string[][] = [];
  const rowBlock: number[] = [];
  const short: { fields: string[]; line: number }[] = [];
  let block = 0;
  let rowsInBlock = 0;
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '') return;
    if (line.startsWith('#')) {
      if (header === undefined) {
        header = line;
        columns = line
          .slice(1)
          .split('\t')
          .map((c) => c.trim());
        return;
      }
      if ((line === header || BLOCK_SEPARATOR.test(line)) && rowsInBlock > 0) {
        block++;
        rowsInBlock = 0;
      }
      return;
    }
    if (header === undefined) throw new CloudyError('a data line before the header line (which starts with #)', where(i + 1));
    // Fields keep their padding here: Number() ignores it, and string columns are trimmed once, when built.
    const fields = raw.split('\t');
    while (fields.length > columns.length && fields.at(-1)!.trim() === '') fields.pop();
    if (kind === 'h2col' && fields.length < columns.length) {
      short.push({ fields, line: i + 1 });
      return;
    }
    if (fields.length > columns.length || fields.length < columns.length - 1)
      throw new CloudyError(`${fields.length} fields where the header has ${columns.length} (${columns.join(', ')})`, where(i + 1));
    rows.push(fields);
    rowBlock.push(block);
    rowsInBlock++;
  });
  if (header === undefined) throw new CloudyError('no header line (a line starting with #): not a Cloudy save file', where());
  if (new Set(columns).size !== columns.length) columns = uniqueNames(columns);
  // One pass per column: numbers while every non-empty field reads as one, strings kept for the columns that do not.
  const ncol = columns.length;
  const nrow = rows.length;
  const values: string[][] = [];
  const numbers: (Float64Array | undefined)[] = [];
  for (let c = 0; c < ncol; c++) {
    const col = new Float64Array(nrow);
    let numeric = true;
    let any = false;
    for (let r = 0; r < nrow; r++) {
      const x = rows[r]![c] ?? '';
      let v = Number(x);
      if (v === 0 && !/\d/.test(x)) {
        col[r] = Number.NaN; // an empty or blank field (Number reads both as 0)
        continue;
      }
      if (Number.isNaN(v)) {
        const t = x.trim();
        if (INF.test(t)) v = t.startsWith('-') ? -Infinity : Infinity;
        else if (!NAN.test(t)) {
          numeric = false;
          break;
        }
      } else if (x.indexOf('.') < 0 && !isDecimal(x.trim())) {
        numeric = false;
        break;
      }
      col[r] = v;
      any = true;
    }
    numbers.push(numeric && any ? col : undefined);
    values.push(numeric && any ? [] : rows.map((r) => (r[c] ?? '').trim()));
  }
  let layout: SaveTable['layout'];
  if (kind === 'ovr') {
    layout = overviewLayout(columns, numbers);
    if (layout === 'log10' && (options.overview ?? 'linear') === 'linear') {
      columns.forEach((name, c) => {
        const col = numbers[c];
        if (col && isLogInC10(name)) for (let r = 0; r < col.length; r++) col[r] = 10 ** col[r]!;
      });
    }
  }
  const fields: Field[] = [];
  const data: ReturnType<typeof makeData>[] = [];
  columns.forEach((name, c) => {
    const col = numbers[c];
    if (kind === 'grd' && name === 'Index' && col) {
      fields.push(new Field(name, new Int32(), false));
      data.push(makeData({ type: new Int32(), length: col.length, data: Int32Array.from(col) }));
    } else if (kind === 'grd' && /\?$/.test(name)) {
      const v = vectorFromArray(
        values[c]!.map((x) => x === 'T'),
        new Bool(),
      );
      fields.push(new Field(name, new Bool(), false));
      data.push(v.data[0]!);
    } else if (col) {
      fields.push(new Field(name, new Float64(), true));
      data.push(makeData({ type: new Float64(), length: col.length, data: col }));
    } else {
      fields.push(new Field(name, new Utf8(), false));
      data.push(utf8Data(values[c]!));
    }
  });
  fields.push(new Field('BLOCK', new Int32(), false));
  data.push(makeData({ type: new Int32(), length: rows.length, data: Int32Array.from(rowBlock) }));
  const out: SaveTable = {
    file: options.file,
    kind,
    columns,
    table: tableOf(fields, data, rows.length),
    blocks: rows.length === 0 ? 0 : block + 1,
    layout,
  };
  if (kind === 'h2col') out.extra = h2Summary(short, where);
  return out;
}

function tableOf(fields: Field[], data: ReturnType<typeof makeData>[], length: number): Table {
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length, children: data });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Names made unique by a ` (2)`, ` (3)` suffix: Arrow tables want distinct column names; Cloudy's headers need not. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

const NAN = /^[+-]?nan$/i;

const INF = /^[+-]?inf(inity)?$/i;

/** Number() also reads hex, binary and octal (0x10, 0b1, 0o7): a field written so is a label, not a number. */
function isDecimal(x: string): boolean {
  const c = x.length > 1 ? x.charCodeAt(1) | 32 : 0;
  return !(x.charCodeAt(0) === 48 && (c === 120 || c === 98 || c === 111));
}

function parseNumber(x: string): number {
  if (x === '' || NAN.test(x)) return Number.NaN;
  if (INF.test(x)) return x.startsWith('-') ? -Infinity : Infinity;
  return Number(x);
}

/** Overview columns C10 wrote as log10: all but depth and the visual extinctions. */
function isLogInC10(name: string): boolean {
  return name !== 'depth' && !name.startsWith('AV(');
}

/**
 * Which way an overview was written: H I and H II fractions add to 1 as written (linear, C17+) or as powers of ten
 * (log10, C10-C13); undefined when the file has no rows or no such columns.
 */
function overviewLayout(columns: string[], numbers: (Float64Array | undefined)[]): SaveTable['layout'] {
  const hi = numbers[columns.indexOf('HI')];
  const hii = numbers[columns.indexOf('HII')];
  if (!hi || !hii || hi.length === 0) return undefined;
  let linear = 0;
  let log = 0;
  for (let r = 0; r < hi.length; r++) {
    if (Math.abs(hi[r]! + hii[r]! - 1) < 0.02) linear++;
    if (Math.abs(10 ** hi[r]! + 10 ** hii[r]! - 1) < 0.02) log++;
  }
  return log > linear ? 'log10' : 'linear';
}

/** save H2 column density: its first rows (ortho, para, total: v, J, column, label) as a table of their own. */
function h2Summary(short: { fields: string[]; line: number }[], where: (line?: number) => object): Table {
  for (const s of short)
    if (s.fields.length !== 4)
      throw new CloudyError(`${s.fields.length} fields in an H2 summary row (vib, rot, colden, label expected)`, where(s.line));
  const fields = [new Field('label', new Utf8(), false), new Field('colden', new Float64(), true)];
  const data = [
    utf8Data(short.map((s) => s.fields[3]!.trim())),
    makeData({ type: new Float64(), length: short.length, data: Float64Array.from(short, (s) => parseNumber(s.fields[2]!)) }),
  ];
  return tableOf(fields, data, short.length);
}
