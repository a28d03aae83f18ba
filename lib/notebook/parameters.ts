import { REDACTED, Redactor, isSecretName } from '../core/index.js';
import { NotebookError } from '../errors/index.js';
import { parseLiteral } from './literal.js';
import { cellTags, newCell, type Notebook } from './nbformat.js';
import { translatorFor, type ParamValue } from './translators.js';

/** The type of a parameter, from its default's literal (or its annotation); `unknown` accepts any value. */
export type ParamType = 'number' | 'string' | 'bool' | 'list' | 'object' | 'null' | 'unknown';

/** One parameter declared in the cell tagged `parameters`. */
export interface ParamDecl {
  name: string;
  type: ParamType;
  /** The default's source text as written in the cell. */
  defaultSource: string;
  /** The default's value when it is a literal. */
  default?: ParamValue;
  /** `const`/`let`/`var` for TypeScript and JavaScript (re-used by the injected cell). */
  keyword?: string;
}

/** The type of a value. @example typeOfValue([1]) // 'list' */
export function typeOfValue(v: ParamValue): ParamType {
  if (v === null) return 'null';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'list' : 'object';
}

function typeOfHint(hint: string | undefined): ParamType | undefined {
  if (!hint) return undefined;
  const h = hint.trim();
  if (/^(int|float|number|complex)$/.test(h)) return 'number';
  if (/^(str|string)$/.test(h)) return 'string';
  if (/^(bool|boolean)$/.test(h)) return 'bool';
  if (/(\[\]$|^(list|List|Array|tuple|Tuple|ReadonlyArray)\b)/.test(h)) return 'list';
  if (/^(dict|Dict|Record|object|\{)/.test(h)) return 'object';
  return undefined;
}

/** The text before a trailing comment (`#` or `//`) that sits outside any string. */
function stripComment(line: string, marker: '#' | '//'): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = undefined;
    } else if (c === '"' || c === "'" || c === '`') q = c;
    else if (line.startsWith(marker, i)) return line.slice(0, i);
  }
  return line;
}

const depth = (s: string) => (s.match(/[[({]/g)?.length ?? 0) - (s.match(/[\])}]/g)?.length ?? 0);

/** A declaration in a parameters (or injected-parameters) cell: Python `name[: hint] = value`, else `const|let|var`. */
function declaration(language: string): { py: boolean; marker: '#' | '//'; decl: RegExp } {
  const py = language === 'python';
  const decl = py
    ? /^([A-Za-z_]\w*)\s*(?::\s*([^=]+?))?\s*=(?!=)\s*(.*)$/
    : /^\s*(?:export\s+)?(const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([^=]+?))?\s*=(?!=)\s*(.*)$/;
  return { py, marker: py ? '#' : '//', decl };
}

/**
 * Reads the declarations of a parameters cell: `name = value` (Python, with an optional `: hint`) or
 * `const|let|var name[: type] = value` (TypeScript/JavaScript); a value may span lines while brackets are open.
 *
 * @example
 * parseParameterCell("zmax = 1.5  # upper z\nspectype = 'QSO'", 'python')
 * // [{ name: 'zmax', type: 'number', default: 1.5, ... }, { name: 'spectype', type: 'string', default: 'QSO', ... }]
 */
export function parseParameterCell(source: string, language: string): ParamDecl[] {
  const { py, marker, decl } = declaration(language);
  const lines = source.split('\n');
  const out: ParamDecl[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = decl.exec(stripComment(lines[i]!, marker).trimEnd());
    if (!m) continue;
    const [name, hint, first] = py ? [m[1]!, m[2], m[3]!] : [m[2]!, m[3], m[4]!];
    let expr = first;
    while (depth(expr) > 0 && i + 1 < lines.length) expr += '\n' + stripComment(lines[++i]!, marker).trimEnd();
    expr = expr.trim().replace(/;$/, '');
    const p: ParamDecl = { name, type: typeOfHint(hint) ?? 'unknown', defaultSource: expr };
    if (!py) p.keyword = m[1];
    try {
      p.default = parseLiteral(expr);
      if (p.type === 'unknown' && p.default !== null) p.type = typeOfValue(p.default);
    } catch {
      /* an expression, not a literal: type from the annotation or unknown */
    }
    out.push(p);
  }
  return out;
}

/**
 * The source of an injected-parameters cell fit to save or show: a declaration of a secret-named parameter
 * (lib/core's `isSecretName`) gets the translator's `'[redacted]'` literal in place of its value (lines the value ran
 * on to are dropped); everything else goes through `redactor.text` (URL passwords, the run's literal secrets). For a
 * cell skybook did not write (papermill's, an older run's); a run saves the cell re-written from redacted values.
 *
 * @example
 * redactInjectedSource("# Parameters\ndb_password = 'hunter22'\nzmax = 2", 'python') // "# Parameters\ndb_password = '[redacted]'\nzmax = 2"
 */
export function redactInjectedSource(source: string, language: string, redactor: Redactor = new Redactor()): string {
  const { py, marker, decl } = declaration(language);
  const literal = translatorFor(language)?.translate(REDACTED) ?? JSON.stringify(REDACTED);
  const lines = source.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = decl.exec(line.trimEnd());
    const name = m && (py ? m[1]! : m[2]!);
    if (!m || !name || !isSecretName(name)) {
      out.push(redactor.text(line));
      continue;
    }
    const value = py ? m[3]! : m[4]!;
    out.push(line.trimEnd().slice(0, -value.length || undefined) + literal + (py ? '' : ';'));
    let expr = stripComment(value, marker);
    while (depth(expr) > 0 && i + 1 < lines.length) expr += '\n' + stripComment(lines[++i]!, marker);
  }
  return out.join('\n');
}

/** The index of the cell tagged `parameters`, or -1. @example parametersCellIndex(nb) // 1 */
export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((c) => cellTags(c).includes('parameters'));
}

/** The kernel language a notebook declares (kernelspec, then language_info), lower case. @example notebookLanguage(nb) // 'python' */
export function notebookLanguage(nb: Notebook): string {
  return (nb.metadata.kernelspec?.language ?? nb.metadata.language_info?.name ?? '').toLowerCase();
}

/**
 * The parameters a notebook declares (empty when it has no parameters cell).
 *
 * @example
 * notebookParameters(nb, 'python').map((p) => p.name) // ['zmax', 'spectype']
 */
export function notebookParameters(nb: Notebook, language: string): ParamDecl[] {
  const i = parametersCellIndex(nb);
  return i < 0 ? [] : parseParameterCell(nb.cells[i]!.source, language);
}

/** A parameter's value as an error message quotes it: `[redacted]` for a secret-named one, URL passwords removed. */
function shown(name: string, v: ParamValue): string {
  return isSecretName(name) ? REDACTED : JSON.stringify(new Redactor().value(v));
}

/** A command-line string as a value, papermill style, when the declared type says nothing (`unknown`/`null`). */
function inferValue(raw: string): ParamValue {
  if (/^(true|True)$/.test(raw)) return true;
  if (/^(false|False)$/.test(raw)) return false;
  if (/^(null|None)$/.test(raw)) return null;
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (/^\s*[[{]/.test(raw)) {
    try {
      return JSON.parse(raw) as ParamValue;
    } catch {
      /* not JSON: a string */
    }
  }
  return raw;
}

/**
 * Converts one `-p NAME VALUE` string to the declared type; a value that does not fit is a NotebookError naming the
 * parameter, the value and the type expected.
 *
 * @example
 * coerceCliValue('zmax', '2.5', 'number') // 2.5
 * coerceCliValue('zmax', 'high', 'number') // throws: parameter zmax: 'high' is not a number
 */
export function coerceCliValue(name: string, raw: string, type: ParamType, file?: string): ParamValue {
  const bad = (): never => {
    throw new NotebookError(`${shown(name, raw)} is not a ${type === 'bool' ? 'bool (true or false)' : type}`, {
      file,
      parameter: name,
    });
  };
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      const n = /^[-+]?(nan|inf(inity)?)$/i.test(raw.trim())
        ? Number(
            raw
              .trim()
              .replace(/^([-+]?)inf(inity)?$/i, '$1Infinity')
              .replace(/^[-+]?nan$/i, 'NaN'),
          )
        : Number(raw);
      return raw.trim() === '' || (Number.isNaN(n) && !/nan/i.test(raw)) ? bad() : n;
    }
    case 'bool':
      return /^(true|True|1|yes)$/.test(raw) ? true : /^(false|False|0|no)$/.test(raw) ? false : bad();
    case 'list':
    case 'object': {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        return bad();
      }
      return typeOfValue(v as ParamValue) === type ? (v as ParamValue) : bad();
    }
    default:
      return inferValue(raw);
  }
}

/**
 * Checks typed values (from a params file, or already coerced) against the declarations: an unknown name is refused
 * with the list of known ones, a value of the wrong type with the type expected. Returns the values in the order given.
 *
 * @example
 * checkParameters({ zmax: '2' }, decls, 'a.ipynb') // throws: parameter zmax: "2" is a string, expected number
 */
export function checkParameters(values: Record<string, ParamValue>, decls: ParamDecl[], file?: string): Record<string, ParamValue> {
  const known = new Map(decls.map((d) => [d.name, d]));
  for (const [name, v] of Object.entries(values)) {
    const d = known.get(name);
    if (!d)
      throw new NotebookError(
        `unknown parameter '${name}'; known: ${decls.map((x) => x.name).join(', ') || '(none: no cell tagged parameters)'}`,
        { file, parameter: name },
      );
    const t = typeOfValue(v);
    if (d.type !== 'unknown' && d.type !== 'null' && t !== d.type)
      throw new NotebookError(`${shown(name, v)} is a ${t}, expected ${d.type}`, { file, parameter: name });
  }
  return values;
}

/**
 * Returns a copy of the notebook with an `injected-parameters` cell right after the `parameters` cell (replacing an
 * earlier injected cell), written by the translator for `language`.
 *
 * @example
 * const run = injectParameters(nb, { zmax: 2 }, 'python');
 */
export function injectParameters(nb: Notebook, params: Record<string, ParamValue>, language: string, file?: string): Notebook {
  const t = translatorFor(language);
  if (!t) throw new NotebookError(`no parameter translator for kernel language '${language}'`, { file });
  const decls = notebookParameters(nb, language);
  const keywords = Object.fromEntries(decls.map((d) => [d.name, d.keyword]));
  const cells = nb.cells.filter((c) => !cellTags(c).includes('injected-parameters'));
  const at = cells.findIndex((c) => cellTags(c).includes('parameters'));
  const cell = newCell('code', t.codify(params, keywords).trimEnd(), ['injected-parameters'], 'injected-parameters');
  cells.splice(at + 1, 0, cell);
  return { ...nb, cells };
}
