import { Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, Utf8 } from 'apache-arrow';
import { CloudyError } from '../errors/index.js';
import { utf8Data } from './utf8-column.js';

/** The ionic column densities of one `.out` as they are read, one array per column. */
export interface IonColumnRows {
  element: string[];
  ion: number[];
  logColumn: number[];
  iteration: number[];
}

const FIELDS = [
  new Field('ELEMENT', new Utf8(), false),
  new Field('ION', new Int32(), false),
  new Field('LOG_COLUMN', new Float64(), false),
  new Field('ITERATION', new Int32(), false),
];

// "-30.000-30.000" runs values together, and a ten-letter name its first value ("Phosphorus-30.000"): a value is a
// sign and digits with three decimals, not a field between spaces.
const VALUE = /-?\d+\.\d{3}/g;
const ELEMENT_ROW = /^ ([A-Z][a-z]+)\s*(?=-?\d)/;

/**
 * Reads the ionic column-density block of a `.out` starting at `lines[start]` (the " Hydrogen ... Log10 Column density
 * (cm^-2)" line, as C10 and C17+ print it after the last iteration): one row per element and ionisation stage, ION 1
 * the neutral atom (C IV is Carbon 4), continuation lines (which begin with the value, no name) appended to the
 * element above. Hydrogen's third value is H2 and is left out (not an ion). Returns the index after the block.
 */
export function readIonColumns(lines: readonly string[], start: number, iteration: number, rows: IonColumnRows): number {
  let i = start;
  let element: string | undefined;
  let ion = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/\s+$/, '');
    if (line === '') break;
    const named = ELEMENT_ROW.exec(line);
    let body: string;
    if (named) {
      element = named[1]!;
      ion = 0;
      body = line.slice(named[0].length);
      if (i === start) body = body.replace(/\(H2\).*$/, '');
    } else if (/^[ -]?\d/.test(line) && element) body = line;
    else break; // "Exc state", or anything after the block
    const values = body.match(VALUE) ?? [];
    const keep = element === 'Hydrogen' ? Math.max(0, Math.min(values.length, 2 - ion)) : values.length;
    for (let k = 0; k < keep; k++) {
      ion++;
      rows.element.push(element!);
      rows.ion.push(ion);
      rows.logColumn.push(Number(values[k]));
      rows.iteration.push(iteration);
    }
  }
  return i;
}

/** The Arrow table of {@link readIonColumns}' rows (ELEMENT, ION, LOG_COLUMN, ITERATION). */
export function ionColumnsTable(r: IonColumnRows): Table {
  const n = r.element.length;
  const data = [
    utf8Data(r.element),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(r.ion) }),
    makeData({ type: new Float64(), length: n, data: Float64Array.from(r.logColumn) }),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(r.iteration) }),
  ];
  const schema = new Schema(FIELDS);
  return new Table(schema, [new RecordBatch(schema, makeData({ type: new Struct(FIELDS), length: n, children: data }))]);
}

/**
 * log10 of an ion's column density (cm^-2) in a parsed `.out`, from its last iteration: `element` as Cloudy spells it
 * ("Carbon", "Silicon", "Aluminium", "Sulphur") and `ion` the spectroscopic stage (4 for C IV). An ion the output does
 * not list is a CloudyError naming the file.
 *
 * @example
 * const out = await readOutFile('runs/model-004/model-004.out');
 * ionColumn(out.columns, 'Carbon', 4, out.file); // 15.21: log N(C IV)
 */
export function ionColumn(columns: Table, element: string, ion: number, file?: string): number {
  const el = columns.getChild('ELEMENT');
  const io = columns.getChild('ION');
  const col = columns.getChild('LOG_COLUMN');
  const it = columns.getChild('ITERATION');
  let best = Number.NaN;
  let bestIteration = -1;
  for (let k = 0; k < columns.numRows; k++) {
    if (el?.get(k) !== element || io?.get(k) !== ion) continue;
    const iteration = it?.get(k) as number;
    if (iteration > bestIteration) {
      bestIteration = iteration;
      best = col?.get(k) as number;
    }
  }
  if (bestIteration < 0)
    throw new CloudyError(`no column density of ${element} ${ion} in this output (${columns.numRows} ion columns read)`, {
      scope: 'ionColumn',
      ...(file ? { file } : {}),
    });
  return best;
}
