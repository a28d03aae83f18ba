import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../yaml-file.js';
import { globRegExp } from './glob-pattern.js';

/** Who may see a dataset: anyone, the collaboration's members, or named people only. */
export const ACCESS_LEVELS = ['public', 'collaboration', 'restricted'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

const text = z.string().trim().min(1, 'must not be empty');

const DATASET = z.strictObject({
  name: text,
  paths: z.array(text).min(1, 'must list at least one glob'),
  source: text,
  licence: text,
  access: z.enum(ACCESS_LEVELS),
  description: z.string().default(''),
});

/**
 * `datasets.yaml`: the lab's small registry of datasets. Each entry has a unique name, the path globs of its files
 * (relative to the registry's folder, or absolute), where it comes from, its licence, its access level and a
 * description. Unknown keys are refused, so a misspelt `license:` is reported, not ignored.
 *
 * @example
 * DATASETS_SCHEMA.parse({ datasets: [{ name: 'dr1', paths: ['data/**'], source: 'https://data.desi.lbl.gov/public/dr1/',
 *   licence: 'CC-BY-4.0', access: 'public' }] });
 */
export const DATASETS_SCHEMA = z.strictObject({ datasets: z.array(DATASET) }).superRefine((v, ctx) => {
  const seen = new Set<string>();
  v.datasets.forEach((d, i) => {
    if (seen.has(d.name)) ctx.addIssue({ code: 'custom', path: ['datasets', i, 'name'], message: `a second dataset named '${d.name}'` });
    seen.add(d.name);
  });
});

/** One registry entry. */
export type DatasetEntry = z.infer<typeof DATASET>;

/**
 * The datasets registry, read and checked, with its globs compiled: `match` names the dataset a file belongs to (the
 * first entry with a glob that matches it, so order entries from the most specific).
 *
 * @example
 * const registry = DatasetsRegistry.read('datasets.yaml'); // a bad file: PipelineError "datasets.yaml: line 4: col 13: ..."
 * registry.match('/work/proj/data/dr1/zall-pix-iron.fits')?.licence; // 'CC-BY-4.0'
 */
export class DatasetsRegistry {
  private readonly globs: { entry: DatasetEntry; res: { re: RegExp; absolute: boolean }[] }[];

  constructor(
    /** The registry file (absolute), or null for the empty registry. */
    readonly file: string | null,
    readonly datasets: readonly DatasetEntry[],
  ) {
    this.globs = datasets.map((entry) => ({
      entry,
      res: entry.paths.map((p) => ({ re: globRegExp(p), absolute: isAbsolute(p) })),
    }));
  }

  /** Reads `datasets.yaml`; a file that does not parse or fit the schema names its line and column (exit code 2). */
  static read(path: string): DatasetsRegistry {
    return new DatasetsRegistry(resolve(path), readYamlFile(path, DATASETS_SCHEMA).datasets);
  }

  /** A registry with no entries: every file is unregistered. */
  static empty(): DatasetsRegistry {
    return new DatasetsRegistry(null, []);
  }

  /** The entry `path` (absolute) belongs to, or undefined for an unregistered file. */
  match(path: string): DatasetEntry | undefined {
    const rel = this.file ? relative(dirname(this.file), path).split(sep).join('/') : undefined;
    for (const { entry, res } of this.globs) {
      if (res.some(({ re, absolute }) => (absolute ? re.test(path) : rel !== undefined && re.test(rel)))) return entry;
    }
    return undefined;
  }
}
