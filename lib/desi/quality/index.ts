export { where, whereIn, bitsClear, bitsAny, allOf, anyOf, negate, columnsOf } from './predicate.js';
export type { Predicate, CompareOp, PredicateValue } from './predicate.js';
export { evaluatePredicate, filterTable, takeRows } from './evaluate.js';
export { toSql, quoteIdent } from './sql.js';
export type { SqlOptions, SqlFragment } from './sql.js';
export { goodRedshift, goodRedshiftBgs, primarySpectrum, spectype, targetBit } from './presets.js';
export type { GoodRedshiftOptions } from './presets.js';
