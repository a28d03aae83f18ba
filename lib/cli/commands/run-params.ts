import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fileProblem, NotebookError, UsageError } from '../../errors/index.js';
import { checkParameters, coerceCliValue, type ParamDecl, type ParamValue } from '../../notebook/index.js';

/**
 * Takes papermill's `-p NAME VALUE` pairs (two words each) out of argv before the ordinary option parser sees it.
 *
 * @example
 * takeParamPairs(['a.ipynb', '-p', 'zmax', '2']) // { argv: ['a.ipynb'], pairs: [['zmax', '2']] }
 */
export function takeParamPairs(argv: readonly string[]): { argv: string[]; pairs: [string, string][] } {
  const rest: string[] = [];
  const pairs: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-p' || a === '--parameters') {
      const name = argv[i + 1];
      const value = argv[i + 2];
      if (name === undefined || value === undefined)
        throw new UsageError(`option ${a} needs NAME and VALUE`, { option: a.replace(/^-+/, '') });
      pairs.push([name, value]);
      i += 2;
    } else rest.push(a);
  }
  return { argv: rest, pairs };
}

/** Reads a params file (.json, .yaml or .yml) as an object of typed values. @example readParamsFile('p.yaml') // { zmax: 0.5 } */
export function readParamsFile(path: string): Record<string, ParamValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new NotebookError(fileProblem(e), { file: path });
  }
  let v: unknown;
  try {
    v = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`, { file: path });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new NotebookError('a params file must hold an object of NAME: VALUE', { file: path });
  return v as Record<string, ParamValue>;
}

/**
 * The typed parameters of a run: the params file's values, then each `-p` value converted to its declared type;
 * all checked against the declarations (unknown names refused with the known ones).
 *
 * @example
 * resolveParameters(decls, [['zmax', '2']], undefined, 'a.ipynb') // { zmax: 2 }
 */
export function resolveParameters(
  decls: ParamDecl[],
  pairs: [string, string][],
  file: string | undefined,
  notebook: string,
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = file ? checkParameters(readParamsFile(file), decls, notebook) : {};
  const known = new Map(decls.map((d) => [d.name, d]));
  for (const [name, raw] of pairs) {
    const d = known.get(name);
    if (!d) checkParameters({ [name]: raw }, decls, notebook);
    values[name] = coerceCliValue(name, raw, d!.type, notebook);
  }
  return values;
}
