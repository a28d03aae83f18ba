import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

/**
 * A strict validator for a CustomResourceDefinition's version: its openAPIV3Schema as JSON Schema, with every object
 * that lists its properties closed (`additionalProperties: false`, as the API server prunes unknown fields and
 * `kubectl --validate=strict` refuses them), Kubernetes' int-or-string honoured and `nullable` read.
 *
 * @example
 * const validate = crdValidator('ray.io_rayjobs.yaml', 'v1'); validate(manifest) || console.log(validate.errors);
 */
export function crdValidator(file: string, version: string) {
  const crd = parse(readFileSync(file, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  const close = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(close);
    if (!node || typeof node !== 'object') return node;
    const o: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(node)) o[k] = close(val);
    if (o['x-kubernetes-int-or-string'] === true && o.type === undefined && o.anyOf === undefined)
      o.anyOf = [{ type: 'integer' }, { type: 'string' }];
    if (o.nullable === true && typeof o.type === 'string') o.type = [o.type, 'null'];
    if (o.properties && o.additionalProperties === undefined && o['x-kubernetes-preserve-unknown-fields'] !== true)
      o.additionalProperties = false;
    return o;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(close(v.schema.openAPIV3Schema) as object);
}
