import { readFile } from 'node:fs/promises';
import { fileProblem, NotebookError } from '../errors/index.js';
import { writeFileAtomic } from './atomic.js';

/** One output of a code cell, as nbformat v4 stores it (multi-line strings already joined). */
export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error';
  name?: 'stdout' | 'stderr';
  text?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

/** A notebook cell (code, markdown or raw) with its source joined into one string. */
export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: string;
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

/** An nbformat v4 notebook in memory. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    kernelspec?: { name: string; display_name?: string; language?: string };
    language_info?: { name?: string; [k: string]: unknown };
  };
  cells: Cell[];
}

const joinLines = (v: unknown): string => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '');

/** Splits like nbformat's `split_lines`: every line keeps its newline, so joining gives the string back. @example splitLines('a\nb') // ['a\n', 'b'] */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Parses nbformat v4 JSON; multi-line strings (source, stream text, text-like mime data) become single strings.
 *
 * @example
 * const nb = parseNotebook(readFileSync('a.ipynb', 'utf8'), 'a.ipynb');
 */
export function parseNotebook(json: string, file = '<notebook>'): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new NotebookError(`not JSON: ${(e as Error).message}`, { file });
  }
  const nb = raw as Partial<Notebook> & { cells?: unknown };
  if (typeof nb !== 'object' || nb === null || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new NotebookError(`not an nbformat v4 notebook (nbformat=${JSON.stringify((nb as { nbformat?: unknown })?.nbformat)})`, { file });
  }
  const cells = (nb.cells as unknown as Record<string, unknown>[]).map((c, i): Cell => {
    const type = c.cell_type;
    if (type !== 'code' && type !== 'markdown' && type !== 'raw')
      throw new NotebookError(`unknown cell_type ${JSON.stringify(type)}`, { file, cell: i });
    const cell: Cell = {
      ...(c as unknown as Cell),
      cell_type: type,
      source: joinLines(c.source),
      metadata: (c.metadata as Cell['metadata']) ?? {},
    };
    if (type === 'code') cell.outputs = ((c.outputs as Output[]) ?? []).map(readOutput);
    return cell;
  });
  return { nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 5, metadata: nb.metadata ?? {}, cells };
}

function readOutput(o: Output): Output {
  const out: Output = { ...o };
  if (out.text !== undefined) out.text = joinLines(out.text);
  if (out.data)
    out.data = Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, isJsonMime(k) ? v : Array.isArray(v) ? joinLines(v) : v]));
  return out;
}

/** Mime types whose payload is JSON, kept as objects (nbformat leaves them unsplit). @example isJsonMime('application/vnd.plotly.v1+json') // true */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || /^application\/(.+\+)?json$/.test(mime);
}

/** Sorts object keys recursively, as nbformat's `json.dumps(sort_keys=True)` does. @example sortKeys({ b: 1, a: { d: 2, c: 3 } }) // { a: { c: 3, d: 2 }, b: 1 } */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

/**
 * Serialises a notebook as Jupyter writes it: multi-line strings split into lines, keys sorted, 1-space indent,
 * a trailing newline; so a notebook we save diffs cleanly against one Jupyter saved.
 *
 * @example
 * writeFileSync('out.ipynb', stringifyNotebook(nb));
 */
export function stringifyNotebook(nb: Notebook): string {
  const cells = nb.cells.map((c) => {
    const out: Record<string, unknown> = { ...c, source: splitLines(c.source) };
    if (c.cell_type === 'code') {
      out.outputs = (c.outputs ?? []).map((o) => {
        const w: Record<string, unknown> = { ...o };
        if (typeof o.text === 'string') w.text = splitLines(o.text);
        if (o.data)
          w.data = Object.fromEntries(
            Object.entries(o.data).map(([k, v]) => [k, typeof v === 'string' && !isJsonMime(k) ? splitLines(v) : v]),
          );
        return w;
      });
      out.execution_count = c.execution_count ?? null;
    } else {
      delete out.outputs;
      delete out.execution_count;
    }
    return out;
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + '\n';
}

/**
 * Reads an .ipynb file.
 *
 * @example
 * const nb = await readNotebook('notebooks/01-quickstart.ipynb');
 */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new NotebookError(fileProblem(e), { file: path });
  }
  return parseNotebook(text, path);
}

/**
 * Writes an .ipynb file atomically (a temp file renamed into place), so a reader never sees half a notebook.
 *
 * @example
 * await writeNotebook('out.ipynb', nb);
 */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFileAtomic(path, stringifyNotebook(nb));
}

/** The tags of a cell (empty when none). @example cellTags(cell).includes('parameters') */
export function cellTags(cell: Cell): string[] {
  return Array.isArray(cell.metadata.tags) ? cell.metadata.tags : [];
}

/**
 * A new cell with a fresh, deterministic id (ids derived from the position keep saved notebooks reproducible).
 *
 * @example
 * newCell('code', 'x = 1', ['injected-parameters'], 'injected-parameters')
 */
export function newCell(type: Cell['cell_type'], source: string, tags: string[] = [], id?: string): Cell {
  const cell: Cell = { cell_type: type, source, metadata: tags.length ? { tags } : {} };
  if (id) cell.id = id;
  if (type === 'code') {
    cell.outputs = [];
    cell.execution_count = null;
  }
  return cell;
}
