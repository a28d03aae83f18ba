import { DesiError } from '../../errors/index.js';

/**
 * A comparison operator usable on Arrow tables and in SQL.
 *
 * @example
 * const op: CompareOp = '>=';
 */
export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
/**
 * A value a predicate compares with.
 *
 * @example
 * const v: PredicateValue = 25;
 */
export type PredicateValue = number | bigint | string | boolean;

/**
 * A row filter as data, so the same cut runs on Arrow tables ({@link evaluatePredicate}, {@link filterTable}) and in SQL
 * ({@link toSql}). Build with {@link where}, {@link bitsClear}, {@link bitsAny}, {@link whereIn}, {@link allOf}, {@link anyOf},
 * {@link negate}, or the presets (goodRedshift, primarySpectrum ...).
 *
 * @example
 * const p: Predicate = allOf(where('ZWARN', '=', 0n), where('DELTACHI2', '>', 25));
 */
export type Predicate =
  | { kind: 'cmp'; column: string; op: CompareOp; value: PredicateValue }
  | { kind: 'in'; column: string; values: readonly PredicateValue[] }
  | { kind: 'bitsClear'; column: string; mask: bigint }
  | { kind: 'bitsAny'; column: string; mask: bigint }
  | { kind: 'and' | 'or'; parts: readonly Predicate[] }
  | { kind: 'not'; part: Predicate };

const OPS: readonly CompareOp[] = ['=', '!=', '>', '>=', '<', '<='];

/**
 * `column op value`. Rows where the column is null never match.
 *
 * @example
 * where('DELTACHI2', '>', 25)
 */
export function where(column: string, op: CompareOp, value: PredicateValue): Predicate {
  if (!OPS.includes(op)) throw new DesiError(`operator '${String(op)}' is not one of ${OPS.join(' ')}`, { scope: 'predicate' });
  if (typeof value === 'number' && Number.isNaN(value))
    throw new DesiError(`${column} ${op} NaN never matches; give a number`, { scope: 'predicate' });
  return { kind: 'cmp', column, op, value };
}

/** `column IN (values)`. @example whereIn('SPECTYPE', ['QSO', 'GALAXY']) */
export function whereIn(column: string, values: readonly PredicateValue[]): Predicate {
  if (values.length === 0) throw new DesiError(`${column} IN () needs at least one value`, { scope: 'predicate' });
  return { kind: 'in', column, values };
}

/** `(column & mask) = 0`: none of the bits set. @example bitsClear('COADD_FIBERSTATUS', 0xffffffffn) */
export function bitsClear(column: string, mask: bigint): Predicate {
  return { kind: 'bitsClear', column, mask: BigInt(mask) };
}

/** `(column & mask) != 0`: any of the bits set. @example bitsAny('DESI_TARGET', DESI_TARGET.mask('QSO')) */
export function bitsAny(column: string, mask: bigint): Predicate {
  return { kind: 'bitsAny', column, mask: BigInt(mask) };
}

/** All parts hold (nested allOf are flattened; allOf() of nothing is rejected). @example allOf(goodRedshift(), primarySpectrum()) */
export function allOf(...parts: Predicate[]): Predicate {
  return junction('and', parts);
}

/** Any part holds. @example anyOf(whereIn('SPECTYPE', ['QSO']), bitsAny('DESI_TARGET', 4n)) */
export function anyOf(...parts: Predicate[]): Predicate {
  return junction('or', parts);
}

/** The part does not hold (rows where it is unknown because of nulls stay excluded). @example negate(where('Z', '<', 0.01)) */
export function negate(part: Predicate): Predicate {
  return { kind: 'not', part };
}

function junction(kind: 'and' | 'or', parts: Predicate[]): Predicate {
  if (parts.length === 0) throw new DesiError(`${kind === 'and' ? 'allOf' : 'anyOf'}() needs at least one part`, { scope: 'predicate' });
  if (parts.length === 1) return parts[0]!;
  return { kind, parts: parts.flatMap((p) => (p.kind === kind ? p.parts : [p])) };
}

/** Every column a predicate reads, in first-use order. @example columnsOf(goodRedshift()) // ['ZWARN', 'DELTACHI2', 'COADD_FIBERSTATUS'] */
export function columnsOf(p: Predicate): string[] {
  const out: string[] = [];
  const walk = (q: Predicate): void => {
    if ('parts' in q) q.parts.forEach(walk);
    else if ('part' in q) walk(q.part);
    else if (!out.includes(q.column)) out.push(q.column);
  };
  walk(p);
  return out;
}
