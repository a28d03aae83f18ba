import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How often and how patiently a client retries a transient failure: up to `retries` more attempts, waiting `baseMs`
 * doubled each time (with jitter, so clients that failed together do not retry together), never more than `maxMs`.
 *
 * @example
 * const policy: RetryPolicy = { retries: 4, baseMs: 200, maxMs: 10_000 };
 */
export interface RetryPolicy {
  retries: number;
  baseMs: number;
  maxMs: number;
}

/**
 * The policy skybook's HTTP clients use unless told otherwise: 5 attempts over about 3 s.
 *
 * @example
 * new HttpSource(url, { retries: DEFAULT_RETRY.retries });
 */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ retries: 4, baseMs: 200, maxMs: 10_000 });

/** HTTP statuses worth another attempt: too many requests, and the server or a gateway failing for now. */
export const TRANSIENT_HTTP_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Node error codes of connections that failed for now (reset, timed out, cut short, DNS hiccup). */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EPREMATURE',
  'UND_ERR_SOCKET',
]);

/**
 * Whether an error is a connection failing for now (its `code` is one of {@link TRANSIENT_NETWORK_CODES}).
 *
 * @example
 * isTransientNetworkError({ code: 'ECONNRESET' }); // true: a connection reset by the peer
 */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
}

/**
 * A server's Retry-After header in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable.
 *
 * @example
 * retryAfterMs('2'); // 2000
 * retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:58 GMT')); // 2000
 */
export function retryAfterMs(header: string | readonly string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): `baseMs * 2^attempt` capped at `maxMs`, times a
 * jitter in [0.5, 1); a server's own wish (`serverMs`, from Retry-After) lengthens it, up to `maxMs`.
 *
 * @example
 * retryDelay({ retries: 4, baseMs: 200, maxMs: 10_000 }, 2, undefined, () => 0); // 400
 */
export function retryDelay(policy: RetryPolicy, attempt: number, serverMs?: number, random: () => number = Math.random): number {
  const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt) * (0.5 + random() / 2);
  return serverMs === undefined ? wait : Math.max(wait, Math.min(policy.maxMs, serverMs));
}

/**
 * What {@link withRetry} asks of its caller: which results and errors are worth another attempt, and what to throw.
 *
 * @example
 * const hooks: RetryHooks<Response> = { again: (r) => TRANSIENT_HTTP_STATUS.has(r.status), transient: isTransientNetworkError };
 */
export interface RetryHooks<T> {
  /** A result to try again (an HTTP 503): `true`, or the server's wish in ms; `false` returns it. Default: never. */
  again?(result: T): boolean | number;
  /** Whether an error is worth another attempt. Default: {@link isTransientNetworkError}. */
  transient?(error: unknown): boolean;
  /**
   * The error to throw for a failure: `exhausted` when it was transient but no attempt is left (the retries are spent, or
   * with `outOfTime` the next wait would end past `until`), else it was not transient. Default: as is.
   */
  fail?(error: unknown, how: { exhausted: boolean; attempts: number; outOfTime?: true }): unknown;
  /** Called before each wait (count retries, log, or throw to stop: a closed client). */
  beforeWait?(attempt: number, waitMs: number): void;
  /**
   * A deadline on the `performance.now()` clock: no retry whose wait would end after it, so the failure in hand is the
   * last (a result is returned, an error thrown through `fail`). Default: none, only the policy's retries count.
   */
  until?: number;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's retries (or the time up to `hooks.until`) are
 * spent. A result the hooks call transient but still failing after the last retry is returned (the caller reports its
 * status); an error is thrown through `hooks.fail`.
 *
 * @example
 * const r = await withRetry(DEFAULT_RETRY, () => fetchOnce(url), { again: (r) => TRANSIENT_HTTP_STATUS.has(r.status) });
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, hooks: RetryHooks<T> = {}): Promise<T> {
  const transient = hooks.transient ?? isTransientNetworkError;
  const raise = (e: unknown, how: { exhausted: boolean; attempts: number; outOfTime?: true }) => (hooks.fail ? hooks.fail(e, how) : e);
  for (let n = 0; ; n++) {
    let serverMs: number | undefined;
    let outcome: { result: T } | { error: unknown };
    try {
      const result = await attempt(n);
      const again = hooks.again?.(result) ?? false;
      if (again === false || n >= policy.retries) return result;
      if (typeof again === 'number') serverMs = again;
      outcome = { result };
    } catch (e) {
      const retry = transient(e);
      if (!retry || n >= policy.retries) throw raise(e, { exhausted: retry, attempts: n + 1 });
      outcome = { error: e };
    }
    const wait = retryDelay(policy, n, serverMs);
    if (hooks.until !== undefined && performance.now() + wait >= hooks.until) {
      if ('result' in outcome) return outcome.result;
      throw raise(outcome.error, { exhausted: true, attempts: n + 1, outOfTime: true });
    }
    hooks.beforeWait?.(n, wait);
    await sleep(wait);
  }
}
