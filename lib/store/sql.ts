import { StoreError } from '../errors/index.js';

/**
 * A value bound as a query parameter (never spliced into the SQL text).
 *
 * @example
 * const v: SqlValue = 39627000000000000n;
 */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | Uint8Array
  | readonly (string | number | bigint | boolean | null)[];

/**
 * A piece of SQL with its parameters kept apart: `text` holds `$1, $2, ...` placeholders (both engines accept them) and
 * `values` the bound values. Build one with the `sql` tag; fragments nest.
 *
 * @example
 * const q = sql`select * from ${sql.id('zcat')} where z > ${0.5}`; q.text // 'select * from "zcat" where z > $1'
 */
export class SqlQuery {
  /** @internal parts of text around the values: strings.length === values.length + 1. */
  constructor(
    readonly strings: readonly string[],
    readonly params: readonly SqlValue[],
  ) {}

  /** The SQL text with `$n` placeholders. */
  get text(): string {
    let s = this.strings[0]!;
    for (let i = 0; i < this.params.length; i++) s += `$${i + 1}` + this.strings[i + 1]!;
    return s;
  }

  /** The bound values, in placeholder order. */
  get values(): SqlValue[] {
    return [...this.params];
  }
}

/** An identifier or raw fragment spliced into the text (already validated and quoted). */
class Raw {
  constructor(readonly text: string) {}
}

/**
 * Quotes one identifier part: refuses empty names, NUL and names longer than PostgreSQL's 63 bytes; doubles embedded quotes.
 * A quoted identifier cannot end the statement or open a new one, whatever it holds.
 */
function quotePart(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new StoreError(`invalid identifier: ${JSON.stringify(name)} (empty)`);
  if (name.includes('\u0000')) throw new StoreError(`invalid identifier: ${JSON.stringify(name)} (contains NUL)`);
  if (Buffer.byteLength(name, 'utf8') > 63) throw new StoreError(`invalid identifier: ${JSON.stringify(name)} (longer than 63 bytes)`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Builds a parameterised query. Interpolated values become `$n` parameters; `sql.id(...)` identifiers and nested `sql`
 * fragments are spliced in as SQL.
 *
 * @example
 * const t = await store.query(sql`select targetid, z from ${sql.id('zcat')} where spectype = ${'QSO'} limit ${10}`);
 */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): SqlQuery {
  const outStrings: string[] = [strings[0]!];
  const params: SqlValue[] = [];
  const append = (s: string) => {
    outStrings[outStrings.length - 1] += s;
  };
  values.forEach((v, i) => {
    if (v instanceof Raw) append(v.text);
    else if (v instanceof SqlQuery) {
      append(v.strings[0]!);
      v.params.forEach((p, k) => {
        params.push(p);
        outStrings.push(v.strings[k + 1]!);
      });
    } else {
      params.push(checkValue(v));
      outStrings.push('');
    }
    append(strings[i + 1]!);
  });
  return new SqlQuery(outStrings, params);
}

function checkValue(v: unknown): SqlValue {
  if (v === undefined) throw new StoreError('sql: undefined is not a value (use null)');
  // NUL explicitly: PostgreSQL text cannot hold it (DuckDB can), so both engines refuse it alike, with a clear message.
  if (typeof v === 'string' && v.includes('\u0000'))
    throw new StoreError(
      `sql: a string value contains NUL (U+0000), which PostgreSQL text cannot store: ${JSON.stringify(v.slice(0, 40))}`,
    );
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (v instanceof Date || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v as SqlValue;
  throw new StoreError(`sql: cannot bind a value of type ${Object.prototype.toString.call(v)}`);
}

/**
 * A quoted identifier: `sql.id('zcat')` or a qualified `sql.id('survey', 'zcat')` / `sql.id('survey.zcat')`.
 *
 * @example
 * sql`select count(*) from ${sql.id('my schema', 'zcat')}`.text // 'select count(*) from "my schema"."zcat"'
 */
sql.id = (...parts: string[]): Raw => {
  const names = parts.length === 1 && parts[0]!.includes('.') && !parts[0]!.includes('"') ? parts[0]!.split('.') : parts;
  return new Raw(names.map(quotePart).join('.'));
};

/**
 * SQL text spliced in as it is: only for text the program itself wrote (type names, keywords), never user input.
 *
 * @example
 * sql`create table t (x ${sql.raw('double precision')})`
 */
sql.raw = (text: string): Raw => new Raw(text);

/**
 * Joins fragments with a separator.
 *
 * @example
 * sql`select ${sql.join(['a', 'b'].map((c) => sql.id(c)), ', ')} from t`
 */
sql.join = (items: readonly (SqlQuery | Raw)[], separator = ', '): SqlQuery => {
  const strings = ['', ...items.map(() => '')];
  return sql(
    strings.map((_, i) => (i === 0 || i === items.length ? '' : separator)),
    ...items,
  );
};

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks a table name given on the command line or to `ingest()`: `name` or `schema.name`, letters, digits and `_`
 * only, lower-cased (PostgreSQL folds unquoted names, so `Zcat` and `zcat` must mean one table). Anything else, such
 * as quotes or semicolons, is refused with exit code 2.
 *
 * @example
 * tableName('DR1.Zcat') // { schema: 'dr1', name: 'zcat' }
 */
export function tableName(text: string): { schema?: string; name: string } {
  const parts = text.split('.');
  if (parts.length > 2 || !parts.every((p) => TABLE_NAME.test(p))) {
    throw new StoreError(`invalid --table: ${JSON.stringify(text)} (letters, digits and _ only, optionally schema.table)`);
  }
  const [a, b] = parts.map((p) => p.toLowerCase());
  return b === undefined ? { name: a! } : { schema: a!, name: b };
}

/**
 * The quoted form of a checked table name.
 *
 * @example
 * sql`select * from ${tableId(tableName('dr1.zcat'))}`.text // 'select * from "dr1"."zcat"'
 */
export function tableId(t: { schema?: string; name: string }): Raw {
  return t.schema ? sql.id(t.schema, t.name) : sql.id(t.name);
}

export type { Raw as SqlIdentifier };
