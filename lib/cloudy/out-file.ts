import { readFileSync } from 'node:fs';
import { Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, Utf8 } from 'apache-arrow';
import { CloudyError, fileProblem } from '../errors/index.js';
import { type IonColumnRows, ionColumnsTable, readIonColumns } from './ion-columns.js';
import { utf8Data } from './utf8-column.js';

/**
 * Why Cloudy stopped an iteration ("Calculation stopped because lowest Te reached. Iteration 1 of 1").
 *
 * @example
 * const s: CloudyStop = { iteration: 1, of: 1, reason: 'lowest Te reached' };
 */
export interface CloudyStop {
  iteration: number;
  of: number;
  reason: string;
}

/**
 * What a Cloudy main output (`.out`) says: the version from its banner, the title and input commands it echoes, why
 * each iteration stopped, its warnings (`W-`), cautions (`C-`) and surprises (`!`), the emission-line table (`lines`,
 * one row per line and kind: LABEL, WAVELENGTH as printed, WAVELENGTH_A in Angstrom (0 for a label without one),
 * LOG_INTENSITY, RELATIVE to the normalisation line, KIND `intrinsic` or `emergent`, ITERATION), the ionic column
 * densities (`columns`: ELEMENT as Cloudy spells it, ION 1 for the neutral atom, LOG_COLUMN in cm^-2, ITERATION; see
 * `ionColumn`), and the final "Cloudy ends" line: zones, iterations, cautions and warnings, seconds, and whether it "exited OK".
 *
 * @example
 * const out: CloudyOutput = await readOutFile('hii_sphere.out');
 * out.exitedOk && out.zones; // 82
 */
export interface CloudyOutput {
  file: string | undefined;
  version: string;
  title: string | undefined;
  commands: string[];
  stops: CloudyStop[];
  warnings: string[];
  cautions: string[];
  surprises: string[];
  lines: Table;
  columns: Table;
  zones: number | undefined;
  iterations: number | undefined;
  cautionCount: number;
  warningCount: number;
  execSeconds: number | undefined;
  ended: boolean;
  exitedOk: boolean;
  /** The line that says what went wrong when Cloudy did not exit OK ("something went wrong", an abort), else undefined. */
  failure: string | undefined;
}

/**
 * Reads a Cloudy `.out` file ({@link parseOutText}).
 *
 * @example
 * const out = await readOutFile('runs/model-017.out');
 */
export async function readOutFile(file: string): Promise<CloudyOutput> {
  let text: string;
  try {
    // One read, not the promise API's chunked reads through the thread pool: 0.2 ms against 0.45 ms for a 150 kB .out
    // (a third of reading one), and Cloudy's files are small enough that the event loop never notices.
    text = readFileSync(file, 'latin1');
  } catch (e) {
    throw new CloudyError(`cannot read it: ${fileProblem(e)}`, { scope: 'readOutFile', file });
  }
  return parseOutText(text, file);
}

// One entry of the line table: a label ("H  1", "Ca A", "C  2c", "+Col", "S II", "Q(H)"), its wavelength ("4861A",
// "8333.74A", "2.625m" in microns, "1.5c" in cm, or "0" for none), log intensity and intensity relative to the
// normalisation line. Entries stand side by side, 3 (C17+) or 4 (C10) to a line. Three whitespace-separated tokens (a
// wavelength with its unit, a signed decimal, a number) anchor each entry; its label is the text since the previous
// entry, so a label may hold spaces and any printable character. Read token by token with character tests: the
// equivalent pattern with a lookbehind cost most of a .out's parse.
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c <= 32;
/** digits, optionally "." and digits, ending at `end`; returns the index after them (or -1). */
function digits(s: string, i: number, end: number): number {
  const start = i;
  while (i < end && isDigit(s.charCodeAt(i))) i++;
  return i > start ? i : -1;
}
/** `0`, or `\d+(\.\d+)?` followed by A, m, c or cm, exactly filling [i, end). */
function isWaveToken(s: string, i: number, end: number): boolean {
  if (end - i === 1 && s.charCodeAt(i) === 48) return true;
  let k = digits(s, i, end);
  if (k < 0) return false;
  if (s.charCodeAt(k) === 46) {
    k = digits(s, k + 1, end);
    if (k < 0) return false;
  }
  const rest = s.slice(k, end);
  return rest === 'A' || rest === 'm' || rest === 'c' || rest === 'cm';
}
/** `-?\d+\.\d+` exactly filling [i, end). */
function isLogToken(s: string, i: number, end: number): boolean {
  if (s.charCodeAt(i) === 45) i++;
  const k = digits(s, i, end);
  if (k < 0 || s.charCodeAt(k) !== 46) return false;
  return digits(s, k + 1, end) === end;
}
/** `-?\d+(\.\d*)?([eE][+-]?\d+)?` exactly filling [i, end). */
function isNumberToken(s: string, i: number, end: number): boolean {
  if (s.charCodeAt(i) === 45) i++;
  let k = digits(s, i, end);
  if (k < 0) return false;
  if (k < end && s.charCodeAt(k) === 46) {
    k++;
    while (k < end && isDigit(s.charCodeAt(k))) k++;
  }
  if (k < end && (s.charCodeAt(k) | 32) === 101) {
    k++;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) k++;
    k = digits(s, k, end);
    if (k < 0) return false;
  }
  return k === end;
}
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/**
 * The number a checked token [i, end) prints. A plain decimal of at most 15 digits is its digits as an integer divided
 * by a power of ten: both exact, so the quotient is the correctly rounded value, as Number() gives, without parsing a
 * string (which was a third of a .out's parse); anything else (an exponent, more digits) goes through Number().
 */
function tokenNumber(s: string, i: number, end: number): number {
  const negative = s.charCodeAt(i) === 45;
  let k = negative ? i + 1 : i;
  let mantissa = 0;
  let digitCount = 0;
  let decimals = -1;
  for (; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c === 46 && decimals < 0) decimals = 0;
    else if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      digitCount++;
      if (decimals >= 0) decimals++;
    } else return Number(s.slice(i, end));
  }
  if (digitCount > 15) return Number(s.slice(i, end));
  const v = decimals > 0 ? mantissa / POW10[decimals]! : mantissa;
  return negative ? -v : v;
}
/** The start and end of every whitespace-separated token of a line, flat: [s0, e0, s1, e1, ...]. */
function tokens(s: string): number[] {
  const out: number[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(s.charCodeAt(i))) i++;
    out.push(start, i);
  }
  return out;
}
// The line that says a model went wrong: "Something went wrong", an ABORT or a DISASTER.
const FAILURE = /omething went wrong|ABORT|DISASTER/;
// Section headings inside the table ("general properties..........", "continua....", "He-like iso-sequence....").
const HEADING = /[A-Za-z][A-Za-z0-9 +\-]*?\.{4,}/g;

/**
 * Parses the text of a Cloudy main output. Works on the layouts of C10 (four entries per table line, four-figure
 * wavelengths) and C17+ (three per line, wavelengths to six figures); a text without Cloudy's banner is a CloudyError.
 *
 * @example
 * const out = parseOutText(readFileSync('hii.out', 'latin1'), 'hii.out');
 * out.stops[0]!.reason; // 'lowest Te reached'
 */
export function parseOutText(text: string, file?: string): CloudyOutput {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const banner = first >= 0 ? /^\s*Cloudy\s+(.+?)\s*$/.exec(lines[first]!) : null;
  if (!banner)
    throw new CloudyError('no Cloudy banner ("Cloudy <version>") on its first line: not a Cloudy output', {
      scope: 'parseOutText',
      ...(file ? { file } : {}),
    });
  const out: CloudyOutput = {
    file,
    version: banner[1]!,
    title: undefined,
    commands: [],
    stops: [],
    warnings: [],
    cautions: [],
    surprises: [],
    lines: emptyLines(),
    columns: ionColumnsTable({ element: [], ion: [], logColumn: [], iteration: [] }),
    zones: undefined,
    iterations: undefined,
    cautionCount: 0,
    warningCount: 0,
    execSeconds: undefined,
    ended: false,
    exitedOk: false,
    failure: undefined,
  };
  out.commands = echoedCommands(lines, first + 1);
  out.title = out.commands.find((c) => /^title\s/i.test(c))?.replace(/^title\s+/i, '');
  const entries: LineColumns = { label: [], wave: [], log: [], rel: [], kind: [], iteration: [] };
  let inTable = 0; // entries of the table being read
  let iteration = 1;
  let table: 'intrinsic' | 'emergent' | undefined;
  const columns: IonColumnRows = { element: [], ion: [], logColumn: [], iteration: [] };
  // One look at the whole text spares every zone line the failure pattern in the (usual) output that has none.
  const mayFail = FAILURE.test(text);
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!.trimEnd();
    if (table) {
      if (line.trim() === '') {
        if (inTable > 0) table = undefined;
        continue;
      }
      if (/^\s*Caution:/.test(line)) continue;
      const body = line.includes('....') ? line.replace(HEADING, ' ') : line;
      let from = 0;
      const t = tokens(body);
      for (let k = 0; k + 5 < t.length; k += 2) {
        if (!isWaveToken(body, t[k]!, t[k + 1]!) || !isLogToken(body, t[k + 2]!, t[k + 3]!) || !isNumberToken(body, t[k + 4]!, t[k + 5]!))
          continue;
        entries.label.push(body.slice(from, t[k]).trim());
        entries.wave.push(body.slice(t[k], t[k + 1]));
        entries.log.push(tokenNumber(body, t[k + 2]!, t[k + 3]!));
        entries.rel.push(tokenNumber(body, t[k + 4]!, t[k + 5]!));
        entries.kind.push(table);
        entries.iteration.push(iteration);
        inTable++;
        from = t[k + 5]!;
        k += 4;
      }
      continue;
    }
    // Most lines are zone printouts: a cheap look at the line picks which pattern, if any, to try.
    let p = 0;
    while (line.charCodeAt(p) === 32) p++;
    const c0 = line.charCodeAt(p);
    const dash = line.charCodeAt(p + 1) === 45;
    let m: RegExpExecArray | null;
    if (c0 === 87 && dash)
      out.warnings.push(line.slice(p + 2).trim()); // "W-"
    else if (c0 === 67 && dash)
      out.cautions.push(line.slice(p + 2).trim()); // "C-"
    else if (c0 === 33 && /^\s{1,3}!/.test(line))
      out.surprises.push(line.slice(p + 1).trim()); // "!"
    else if (line.includes('Iteration')) {
      if ((m = /Emission Line Spectrum\..*Iteration\s+(\d+)\s+of\s+(\d+)/.exec(line))) iteration = Number(m[1]);
      else if ((m = /Calculation stopped because (.+?)\.?\s+Iteration\s+(\d+)\s+of\s+(\d+)/.exec(line)))
        out.stops.push({ reason: m[1]!, iteration: Number(m[2]), of: Number(m[3]) });
    } else if (line.includes('line intensities')) {
      if (/^\s*Intrinsic line intensities\s*$/.test(line)) table = 'intrinsic';
      else if (/^\s*Emergent line intensities\s*$/.test(line)) table = 'emergent';
      inTable = 0;
    } else if (line.includes('Cloudy ')) {
      if ((m = /^\s*Cloudy ends:\s*(.*)$/.exec(line))) readEnds(out, m[1]!);
      else if (line.includes('Cloudy exited OK')) out.exitedOk = true;
    } else if (line.includes('Log10 Column density') && line.startsWith(' Hydrogen')) {
      at = readIonColumns(lines, at, iteration, columns) - 1;
    } else if (mayFail && out.failure === undefined && FAILURE.test(line)) out.failure = line.trim();
  }
  out.lines = linesTable(entries);
  out.columns = ionColumnsTable(columns);
  return out;
}

/**
 * The input commands as Cloudy echoes them in its boxes of `*` lines: the first box, after the banner, leaves out the
 * lines a command reads after itself (a `save lines` list); the box before the line table holds them all. The fullest
 * box is taken.
 */
function echoedCommands(lines: string[], from: number): string[] {
  let best: string[] = [];
  let box: string[] | undefined;
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.includes('********************') && /^\s*\*{20,}/.test(l)) {
      if (box && box.length > best.length) best = box;
      box = box ? undefined : [];
      continue;
    }
    if (!box) continue;
    const m = /^\s*\*\s(.*?)\s*\*\s*$/.exec(l);
    if (m) {
      if (m[1]!.trim() !== '') box.push(m[1]!.trim());
    } else box = undefined; // not a box line after all
  }
  return best;
}

/** "82 zones, 1 iteration, 1 caution.  ExecTime(s) 7.17" (C10) or "... 4 cautions. (single thread) ExecTime(s) 2.73". */
function readEnds(out: CloudyOutput, rest: string): void {
  out.ended = true;
  for (const m of rest.matchAll(/(\d+)\s+(zone|iteration|caution|warning)s?/g)) {
    const n = Number(m[1]);
    if (m[2] === 'zone') out.zones = n;
    else if (m[2] === 'iteration') out.iterations = n;
    else if (m[2] === 'caution') out.cautionCount = n;
    else out.warningCount = n;
  }
  const t = /ExecTime\(s\)\s+([\d.]+)/.exec(rest);
  if (t) out.execSeconds = Number(t[1]);
}

/** A wavelength as Cloudy prints it, in Angstrom: "4861A", "2.625m" (microns), "1.5c" (cm); "0" has none (0). */
export function cloudyWavelength(printed: string): number {
  const m = /^(\d+(?:\.\d+)?)(A|m|c|cm)?$/.exec(printed);
  if (!m) return Number.NaN;
  const v = Number(m[1]);
  if (m[2] === undefined) return v;
  // Shifting the decimal point in the text keeps 4.05113m at exactly 40511.3, not 40511.299999999996.
  return m[2] === 'A' ? v : Number(`${m[1]}e${m[2] === 'm' ? 4 : 8}`);
}

const LINE_FIELDS = [
  new Field('LABEL', new Utf8(), false),
  new Field('WAVELENGTH', new Utf8(), false),
  new Field('WAVELENGTH_A', new Float64(), false),
  new Field('LOG_INTENSITY', new Float64(), false),
  new Field('RELATIVE', new Float64(), false),
  new Field('KIND', new Utf8(), false),
  new Field('ITERATION', new Int32(), false),
];

function emptyLines(): Table {
  return linesTable({ label: [], wave: [], log: [], rel: [], kind: [], iteration: [] });
}

/** The line table's columns as they are read, one array per column. */
interface LineColumns {
  label: string[];
  wave: string[];
  log: number[];
  rel: number[];
  kind: string[];
  iteration: number[];
}

function linesTable(e: LineColumns): Table {
  const n = e.label.length;
  const f64 = (a: Float64Array) => makeData({ type: new Float64(), length: n, data: a });
  const data = [
    utf8Data(e.label),
    utf8Data(e.wave),
    // Angstrom, the common case, without cloudyWavelength's pattern: isWaveToken already checked every printed form.
    f64(Float64Array.from(e.wave, (w) => (w.charCodeAt(w.length - 1) === 65 ? Number(w.slice(0, -1)) : cloudyWavelength(w)))),
    f64(Float64Array.from(e.log)),
    f64(Float64Array.from(e.rel)),
    utf8Data(e.kind),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(e.iteration) }),
  ];
  const schema = new Schema(LINE_FIELDS);
  return new Table(schema, [new RecordBatch(schema, makeData({ type: new Struct(LINE_FIELDS), length: n, children: data }))]);
}
