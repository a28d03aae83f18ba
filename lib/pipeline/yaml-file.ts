import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { fileProblem, PipelineError } from '../errors/index.js';
import { parseYamlWithPositions, validateYaml } from './yaml-location.js';

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
  return validateYaml(parseYamlWithPositions(text, file), schema);
}
