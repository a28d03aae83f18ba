/**
 * A time as both engines' `timestamp` columns take it, in UTC without a zone (`YYYY-MM-DD HH:MM:SS.mmm`): what the
 * load ledger and the run ledger write, so their times read alike.
 *
 * @example
 * utcTimestamp(new Date('2026-12-03T13:07:00Z')) // '2026-12-03 13:07:00.000'
 */
export function utcTimestamp(d: Date = new Date()): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
