import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as skybook from '../../lib/index.js';
import { PRELOAD_NAMES } from '../../kernel/preload.js';

// docs/api.md is the contract: every name it lists exists, and every name exported is listed there, so neither the
// package nor its documentation can drift from the other.
const ROOT = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

/** `### \`name\`` sections of docs/api.md, with the names on their `Values:` and `Types:` lines. */
function documented(): Map<string, { values: string[]; types: string[]; folder: string | undefined }> {
  const out = new Map<string, { values: string[]; types: string[]; folder: string | undefined }>();
  let current: { values: string[]; types: string[]; folder: string | undefined } | undefined;
  // A list starts with `Values:` or `Types:` and runs on over the following lines until a blank one.
  let list: string[] | undefined;
  for (const line of doc.split('\n')) {
    const head = /^### `([a-z]+)`(?:.*\(lib\/([a-z]+)\))?/.exec(line);
    if (head) out.set(head[1]!, (current = { values: [], types: [], folder: head[2] }));
    const start = /^(Values|Types): /.exec(line);
    if (start && current) list = current[start[1] === 'Values' ? 'values' : 'types'];
    else if (line.trim() === '' || head) list = undefined;
    if (list) list.push(...[...line.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!));
  }
  return out;
}

/** The type names a folder's index.ts exports (`export type { A, B } from ...`). */
function exportedTypes(folder: string): string[] {
  const src = readFileSync(join(ROOT, 'lib', folder, 'index.ts'), 'utf8');
  return [...src.matchAll(/export type \{([^}]*)\}/g)]
    .flatMap((m) =>
      m[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .sort();
}

const sections = documented();
const namespaces = Object.entries(skybook)
  .filter(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v))
  .map(([k]) => k);

describe('the public API (docs/api.md)', () => {
  it('documents every namespace the package exports, and only those', () => {
    expect([...sections.keys()].filter((k) => k !== 'root').sort()).toEqual(namespaces.sort());
  });

  it.each(namespaces)('namespace %s: its values are exactly the documented ones', (ns) => {
    const section = sections.get(ns)!;
    const actual = Object.keys((skybook as Record<string, object>)[ns]!).sort();
    expect(actual).toEqual([...section.values].sort());
  });

  it.each(namespaces)('namespace %s: its types are exactly the documented ones', (ns) => {
    const section = sections.get(ns)!;
    expect(section.folder, `the ### heading of ${ns} names its folder as (lib/${ns})`).toBe(ns);
    expect(exportedTypes(ns)).toEqual([...section.types].sort());
  });

  it('the curated root is exactly the documented names, each the same object as in its namespace', () => {
    const root = sections.get('root')!;
    const values = Object.keys(skybook)
      .filter((k) => !namespaces.includes(k))
      .sort();
    expect(values).toEqual([...root.values].sort());
    const homes = namespaces.map((ns) => (skybook as unknown as Record<string, Record<string, unknown>>)[ns]!);
    for (const name of values)
      expect(
        homes.some((h) => h[name] === (skybook as Record<string, unknown>)[name]),
        name,
      ).toBe(true);
    const src = readFileSync(join(ROOT, 'lib', 'index.ts'), 'utf8');
    const rootTypes = [...src.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())).sort();
    expect(rootTypes).toEqual([...root.types].sort());
  });

  it('the kernel preloads the curated root, so a cell sees the same names a script imports', () => {
    expect([...PRELOAD_NAMES].sort()).toEqual([...sections.get('root')!.values].sort());
  });
});
