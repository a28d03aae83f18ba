import { SourceError } from '../../errors/index.js';

/** Seconds a request may receive nothing before it is abandoned and retried: HttpSource's `timeoutMs` (default 30). */
export const HTTP_TIMEOUT_ENV = 'SKYBOOK_HTTP_TIMEOUT';
/** Seconds a request may take, retries included, before the size allowance: HttpSource's `deadlineMs` (default 60). */
export const HTTP_DEADLINE_ENV = 'SKYBOOK_HTTP_DEADLINE';
/** Bytes per second the deadline allows for the bytes asked: HttpSource's `minBytesPerSecond` (default 65536). */
export const HTTP_MIN_RATE_ENV = 'SKYBOOK_HTTP_MIN_RATE';

/**
 * The HTTP time limits the environment sets, as HttpSource options (absent variables are left out; an option given in
 * code wins over its variable). A value that is not a positive number is a SourceError naming the variable.
 *
 * @example
 * httpLimitsFromEnv({ SKYBOOK_HTTP_TIMEOUT: '5', SKYBOOK_HTTP_DEADLINE: '20' }, url); // { timeoutMs: 5000, deadlineMs: 20000 }
 */
export function httpLimitsFromEnv(
  env: NodeJS.ProcessEnv,
  name: string,
): { timeoutMs?: number; deadlineMs?: number; minBytesPerSecond?: number } {
  const read = (key: string, unit: string): number | undefined => {
    const text = env[key];
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new SourceError(name, `invalid ${key}: '${text}' (${unit}, a number > 0)`);
    return value;
  };
  const timeout = read(HTTP_TIMEOUT_ENV, 'seconds');
  const deadline = read(HTTP_DEADLINE_ENV, 'seconds');
  const rate = read(HTTP_MIN_RATE_ENV, 'bytes per second');
  return {
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(deadline === undefined ? {} : { deadlineMs: deadline * 1000 }),
    ...(rate === undefined ? {} : { minBytesPerSecond: rate }),
  };
}
