import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fileProblem, PipelineError } from '../../errors/index.js';
import { parseYamlWithPositions, pathText, validateYaml } from '../yaml-location.js';

const TABLE = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** `{ min, max }` with at least one of them, and min <= max. */
const bounds = (lo = -Infinity, hi = Infinity) =>
  z
    .strictObject({ min: z.number().min(lo).max(hi).optional(), max: z.number().min(lo).max(hi).optional() })
    .refine((b) => b.min !== undefined || b.max !== undefined, 'give min, max or both')
    .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, 'min is greater than max');

const COLUMN_CHECKS = z.strictObject({
  null_rate: bounds(0, 1).optional(),
  nan_rate: bounds(0, 1).optional(),
  range: bounds().optional(),
  enum: z
    .array(z.union([z.string(), z.number()]))
    .min(1, 'list at least one allowed value')
    .optional(),
});

const REFERENCE = z
  .strictObject({
    table: z.string().regex(TABLE, 'a table name: letters, digits and _, optionally schema.table').optional(),
    where: z.string().min(1).optional(),
    parquet: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
    hdu: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
    column: z.string().min(1).optional(),
  })
  .refine((r) => [r.table, r.parquet, r.file].filter((x) => x !== undefined).length === 1, 'give one of table, parquet or file')
  .refine((r) => r.file !== undefined || r.hdu === undefined, 'hdu goes with file')
  .refine((r) => r.table !== undefined || r.where === undefined, 'where goes with table');

const DRIFT = z.strictObject({
  column: z.string().min(1),
  reference: REFERENCE,
  ks: z.strictObject({ max: z.number().min(0).max(1) }),
});

const TABLE_CHECKS = z.strictObject({
  table: z.string().regex(TABLE, 'a table name: letters, digits and _, optionally schema.table'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -')
    .optional(),
  where: z.string().min(1).optional(),
  rows: bounds(0).optional(),
  columns: z.record(z.string().min(1), COLUMN_CHECKS).optional(),
  good_redshift_fraction: z
    .strictObject({
      min: z.number().min(0).max(1).optional(),
      max: z.number().min(0).max(1).optional(),
      deltachi2: z.number().optional(),
    })
    .refine((b) => b.min !== undefined || b.max !== undefined, 'give min, max or both')
    .optional(),
  drift: z.array(DRIFT).optional(),
});

/**
 * The schema of a checks file (docs/qa.md): a list of tables, each with its row count bounds, per-column null and NaN
 * rates, ranges and allowed values, the good-redshift fraction and distribution drift against a reference.
 *
 * @example
 * CHECKS_FILE_SCHEMA.parse({ checks: [{ table: 'zcat', rows: { min: 1 } }] });
 */
export const CHECKS_FILE_SCHEMA = z.strictObject({ checks: z.array(TABLE_CHECKS).min(1, 'list at least one table') });

/** One table's checks as written. @example const t: TableChecks = { table: 'zcat', rows: { min: 1 } }; */
export type TableChecks = z.infer<typeof TABLE_CHECKS>;
/** One column's checks as written. @example const c: ColumnChecks = { range: { min: 0, max: 7 } }; */
export type ColumnChecks = z.infer<typeof COLUMN_CHECKS>;
/** One drift check as written. @example const d: DriftCheck = { column: 'Z', reference: { table: 'zref' }, ks: { max: 0.1 } }; */
export type DriftCheck = z.infer<typeof DRIFT>;
/** Where a drift check's reference sample comes from. @example const r: DriftReference = { parquet: 'ref.parquet' }; */
export type DriftReference = z.infer<typeof REFERENCE>;

/**
 * A checks file read and validated: its tables' checks, and where each entry sits in the file (for errors found
 * when the checks run, such as a missing table or column).
 *
 * @example
 * const f = await readChecksFile('CHECKS.yaml'); f.checks[0]!.table; // 'zcat'
 */
export interface ChecksFile {
  /** The path as given. */
  readonly file: string;
  readonly checks: readonly TableChecks[];
  /** The line and column of an entry, by its path in the file (`['checks', 0, 'columns', 'Z']`); of its key when `key`. */
  position(path: readonly PropertyKey[], key?: boolean): { line: number; col: number };
}

/**
 * Parses and validates a checks file's text; problems are PipelineErrors (exit code 2) naming the file, line, column
 * and entry. Check names (`zcat.Z.range`) must be unique: two entries for one table need distinct `name`s.
 *
 * @example
 * parseChecksFile('checks:\n  - table: zcat\n    rows: { min: 1 }\n', 'CHECKS.yaml').checks.length; // 1
 */
export function parseChecksFile(text: string, file: string): ChecksFile {
  const yaml = parseYamlWithPositions(text, file);
  const parsed = validateYaml(yaml, CHECKS_FILE_SCHEMA);
  const seen = new Map<string, number>();
  parsed.checks.forEach((t, i) => {
    const prefix = t.name ?? t.table;
    const first = seen.get(prefix);
    if (first !== undefined) {
      const at = yaml.position(['checks', i, t.name ? 'name' : 'table']);
      throw new PipelineError(
        `${pathText(['checks', i])}: its checks would be named like checks[${first}]'s (${prefix}.*); give one of them a distinct name`,
        { file, ...at },
      );
    }
    seen.set(prefix, i);
  });
  return { file, checks: parsed.checks, position: (p, key) => yaml.position(p, key) };
}

/**
 * Reads and validates a checks file; a missing or unreadable file is a PipelineError (exit code 2) naming it.
 *
 * @example
 * const f = await readChecksFile('CHECKS.yaml');
 */
export async function readChecksFile(path: string): Promise<ChecksFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PipelineError(fileProblem(e), { file: path });
  }
  return parseChecksFile(text, path);
}
