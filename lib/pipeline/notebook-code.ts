import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PipelineError } from '../errors/index.js';
import { parseNotebook } from '../notebook/index.js';

/**
 * The hash of what a notebook does: its code cells' source with comments and layout removed, the `parameters` tag, and
 * its language. Markdown cells, outputs, execution counts and metadata do not count, so a comment, a reformat or a
 * prose edit does not make a stage stale (the reruns Snakemake #1694 and Ploomber #1059 complain of).
 *
 * @example
 * notebookCodeHash('notebooks/02-sky-store.ipynb') // 'sha256 hex', equal before and after adding a comment
 */
export function notebookCodeHash(path: string): string {
  let nb;
  try {
    nb = parseNotebook(readFileSync(path, 'utf8'), path);
  } catch (e) {
    if (e instanceof Error && 'code' in e) throw new PipelineError(`cannot read notebook: ${(e as Error).message}`, { file: path });
    throw e;
  }
  const meta = nb.metadata as { kernelspec?: { language?: string }; language_info?: { name?: string } };
  const language = (meta.language_info?.name ?? meta.kernelspec?.language ?? 'typescript').toLowerCase();
  const h = createHash('sha256').update(`language ${language}\n`);
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source);
    const tags = ((cell.metadata as { tags?: string[] } | undefined)?.tags ?? []).includes('parameters') ? 'parameters' : '';
    const code = language === 'python' ? normalisePython(source) : normaliseCurly(source);
    if (!code && !tags) continue;
    h.update(`cell ${tags}\n${code}\n`);
  }
  return h.digest('hex');
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * TypeScript/JavaScript source without comments and without layout: whitespace is dropped except where it separates
 * two word characters (`let x`) or two identical operator characters (`a + +b`), where it becomes one space. Strings,
 * template literals and regular expressions are kept as written.
 *
 * @example
 * normaliseCurly('const  x = 1; // one\n') === normaliseCurly('const x=1;') // true
 */
export function normaliseCurly(src: string): string {
  let out = '';
  let pendingSpace = false;
  let lastSignificant = '';
  const emit = (s: string) => {
    if (pendingSpace && out) {
      const a = out[out.length - 1]!;
      const b = s[0]!;
      if ((WORD.test(a) && WORD.test(b)) || (a === b && '+-/&|<>=*'.includes(a))) out += ' ';
    }
    pendingSpace = false;
    out += s;
    if (s.trim()) lastSignificant = s.trim()[s.trim().length - 1]!;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      pendingSpace = true;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      pendingSpace = true;
    } else if (/\s/.test(c)) {
      i++;
      pendingSpace = true;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(src, i, c);
      emit(src.slice(i, end));
      i = end;
    } else if (c === '/' && regexAllowedAfter(lastSignificant, out)) {
      const end = regexEnd(src, i);
      emit(src.slice(i, end));
      i = end;
    } else {
      emit(c);
      i++;
    }
  }
  return out;
}

/** Python source without comments, blank lines or trailing spaces; indentation is syntax there and stays. */
function normalisePython(src: string): string {
  const lines: string[] = [];
  for (const line of src.split('\n')) {
    const code = stripPythonComment(line).replace(/\s+$/, '');
    if (code.trim()) lines.push(code);
  }
  return lines.join('\n');
}

function stripPythonComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function stringEnd(src: string, start: number, quote: string): number {
  let i = start + 1;
  let depth = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (quote === '`' && c === '$' && src[i + 1] === '{') {
      depth++;
      i += 2;
    } else if (quote === '`' && depth > 0 && c === '}') {
      depth--;
      i++;
    } else if (c === quote && depth === 0) return i + 1;
    else if (c === '\n' && quote !== '`') return i;
    else i++;
  }
  return src.length;
}

/** A `/` starts a regular expression after an operator, an opening bracket or a keyword, not after a value. */
function regexAllowedAfter(last: string, out: string): boolean {
  if (!last) return true;
  if (/[)\]}A-Za-z0-9_$'"`]/.test(last)) return /\b(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(out);
  return true;
}

function regexEnd(src: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === '[' || c === ']') {
      inClass = c === '[';
      i++;
    } else if (c === '/' && !inClass) {
      i++;
      while (i < src.length && /[a-z]/i.test(src[i]!)) i++;
      return i;
    } else if (c === '\n') return i;
    else i++;
  }
  return src.length;
}
