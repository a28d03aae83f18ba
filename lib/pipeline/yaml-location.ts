import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { PipelineError } from '../errors/index.js';

/**
 * A YAML text parsed with its node positions kept, so a problem found later (by zod, or by a check that refers to a
 * missing table) can be reported at its line and column.
 *
 * @example
 * const y = parseYamlWithPositions('checks:\n  - table: zcat\n', 'CHECKS.yaml');
 * y.value; // { checks: [{ table: 'zcat' }] }
 * y.position(['checks', 0, 'table']); // { line: 2, col: 12 }
 */
export interface PositionedYaml {
  /** The file's name, as it appears in messages. */
  readonly file: string;
  /** The plain JavaScript value of the document. */
  readonly value: unknown;
  /** The 1-based line and column of the node at `path` (of its key when `key` is set), or of its nearest ancestor. */
  position(path: readonly PropertyKey[], key?: boolean): { line: number; col: number };
}

/**
 * Parses YAML, refusing a syntax error (or a duplicate key) with a {@link PipelineError} (exit code 2) that names the
 * file, line and column.
 *
 * @example
 * parseYamlWithPositions('a: [1,', 'CHECKS.yaml'); // throws "CHECKS.yaml: line 1: col 7: ... "
 */
export function parseYamlWithPositions(text: string, file: string): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const bad = doc.errors[0];
  if (bad) {
    const { line, col } = lineCounter.linePos(bad.pos[0]);
    throw new PipelineError(`invalid YAML: ${bad.message.split('\n')[0]}`, { file, line, col });
  }
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    position(path, key = false) {
      const offset = offsetOf(doc, path, key);
      return lineCounter.linePos(offset);
    },
  };
}

/** The start offset of the node at `path`, walking maps by key and sequences by index, stopping at the last one found. */
function offsetOf(doc: Document, path: readonly PropertyKey[], key: boolean): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const [i, step] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
      if (!pair) break;
      const last = i === path.length - 1;
      const at = last && key ? pair.key : (pair.value ?? pair.key);
      offset = (at as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/**
 * Checks a parsed YAML value against a zod schema and returns the typed result; the first problem is a
 * {@link PipelineError} (exit code 2) naming the file, line, column and the path of the bad entry. An unknown key is
 * reported at the key itself.
 *
 * @example
 * const checks = validateYaml(parseYamlWithPositions(text, 'CHECKS.yaml'), CHECKS_FILE_SCHEMA);
 */
export function validateYaml<S extends z.ZodType>(yaml: PositionedYaml, schema: S): z.infer<S> {
  const r = schema.safeParse(yaml.value);
  if (r.success) return r.data as z.infer<S>;
  const issue = r.error.issues[0]!;
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = unknown === undefined ? issue.path : [...issue.path, unknown];
  const { line, col } = yaml.position(path, unknown !== undefined);
  const where = pathText(issue.path); // an unknown key is named in the problem, after its object's path
  const problem = unknown !== undefined ? `unknown key '${unknown}'` : issue.message.replace(/^Invalid input: /, '');
  throw new PipelineError(`${where ? `${where}: ` : ''}${problem}`, { file: yaml.file, line, col });
}

/**
 * A path as a reader writes it: `checks[0].columns.Z.range`.
 *
 * @example
 * pathText(['checks', 0, 'columns', 'Z']); // 'checks[0].columns.Z'
 */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}
