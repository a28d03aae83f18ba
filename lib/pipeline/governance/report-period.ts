import { UsageError } from '../../errors/index.js';

/**
 * The period a report covers, as given and as the UTC instants it compares run starts with: a run belongs to it when it
 * started at or after `from` and before `to` (no `to`: every run since).
 */
export interface ReportPeriod {
  /** `--since` as typed. */
  since: string;
  /** `--until` as typed, or null for an open end. */
  until: string | null;
  /** ISO instant, inclusive. */
  from: string;
  /** ISO instant, exclusive, or null. */
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The period from `--since` and `--until`: each a day (`2025-06-01`, in UTC) or an ISO time (`2025-06-01T12:00Z`; no
 * zone means UTC, as the ledger records). A day as `--until` includes the whole of that day. A date that does not read,
 * or an end before the start, is a UsageError (exit code 2).
 *
 * @example
 * reportPeriod('2025-06-01', '2025-06-30'); // { from: '2025-06-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z', ... }
 */
export function reportPeriod(since: string, until?: string): ReportPeriod {
  const from = instant('since', since, false);
  const to = until === undefined ? null : instant('until', until, true);
  if (to !== null && to <= from) throw UsageError.invalid('until', until!, `a time after --since ${since}`);
  return { since, until: until ?? null, from, to };
}

/**
 * Whether a run that started at `startedAt` (ISO, UTC) lies in the period.
 *
 * @example
 * inPeriod(reportPeriod('2025-06-01'), '2025-06-02T08:00:00.000Z'); // true
 */
export function inPeriod(p: ReportPeriod, startedAt: string): boolean {
  const t = Date.parse(startedAt);
  return t >= Date.parse(p.from) && (p.to === null || t < Date.parse(p.to));
}

function instant(option: string, value: string, endOfDay: boolean): string {
  const allowed = 'a day YYYY-MM-DD or an ISO time YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]';
  let t: number;
  if (DAY.test(value)) t = Date.parse(`${value}T00:00:00Z`) + (endOfDay ? 86_400_000 : 0);
  else if (INSTANT.test(value)) t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(value) ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`);
  else throw UsageError.invalid(option, value, allowed);
  if (!Number.isFinite(t) || !realDay(value)) throw UsageError.invalid(option, value, allowed);
  return new Date(t).toISOString();
}

/** `2025-02-30` is not a day, though Date.parse rolls it over to March: the digits must name a real date. */
function realDay(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
