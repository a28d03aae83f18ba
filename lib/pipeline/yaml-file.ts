import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { fileProblem, PipelineError } from '../errors/index.js';

/**
 * A YAML file checked against a zod schema: the pipeline file, QA checks, the datasets registry. A syntax error or a
 * value the schema refuses is a PipelineError (exit code 2) naming the file, the line and column of the offending
 * node (the key, for an unknown key), and the path to it (`stages.features.deps[2]`).
 *
 * @example
 * const spec = readYamlFile('skybook.pipeline.yaml', PIPELINE_SCHEMA); // throws "skybook.pipeline.yaml: line 4: col 5: ..."
 */
export function readYamlFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PipelineError(fileProblem(e), { file: path });
  }
  return parseYamlText(text, schema, path);
}

/**
 * The same for text already read; `file` names it in errors.
 *
 * @example
 * parseYamlText('stages: {}', PIPELINE_SCHEMA, 'inline.yaml');
 */
export function parseYamlText<S extends z.ZodType>(text: string, schema: S, file: string): z.infer<S> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const bad = doc.errors[0];
  if (bad) {
    const at = lines.linePos(bad.pos[0]);
    throw new PipelineError(`invalid YAML: ${bad.message.split('\n')[0]}`, { file, line: at.line, col: at.col });
  }
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key is reported at the key itself; anything else at the deepest node that exists on its path.
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
  const offset = keys.length ? keyOffset(doc.getIn(path, true), keys[0]!) : nodeOffset(doc.contents, path);
  const at = offset === undefined ? { line: 1, col: 1 } : lines.linePos(offset);
  const where = [...path, ...keys.slice(0, 1)].reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  );
  throw new PipelineError(`${where ? `${where}: ` : ''}${issue.message}`, { file, line: at.line, col: at.col });
}

function nodeOffset(root: unknown, path: readonly (string | number)[]): number | undefined {
  let node = root;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const key of path) {
    if (!isNode(node) || !('get' in node)) break;
    const next = (node as unknown as { get(k: unknown, keep: true): unknown }).get(key, true);
    if (next === undefined) break;
    node = next;
    if (isNode(node) && node.range) offset = node.range[0];
  }
  return offset;
}

function keyOffset(map: unknown, key: string): number | undefined {
  if (!isMap(map)) return isNode(map) ? (map as Node).range?.[0] : undefined;
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) && String(k.value) === key) return k.range?.[0];
  }
  return map.range?.[0];
}
