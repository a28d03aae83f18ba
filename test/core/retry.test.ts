import { describe, expect, it } from 'vitest';
import { isTransientNetworkError, retryAfterMs, retryDelay, withRetry, type RetryPolicy } from '../../lib/core/index.js';

const policy: RetryPolicy = { retries: 4, baseMs: 200, maxMs: 1000 };
const now = Date.parse('Wed, 21 Oct 2026 07:27:58 GMT');
const failure = (code: string) => Object.assign(new Error(`failed (${code})`), { code });

describe('retry policy', () => {
  it.each([
    [0, undefined, 0, 100],
    [0, undefined, 0.5, 150],
    [2, undefined, 0, 400],
    [3, undefined, 0, 500],
    [5, undefined, 0.5, 750],
    [0, 700, 0, 700],
    [0, 5000, 0, 1000],
    [3, 10, 0, 500],
  ])('retry %i (server wants %s ms, random %d) waits %d ms', (attempt, serverMs, r, wait) => {
    expect(retryDelay(policy, attempt, serverMs, () => r)).toBeCloseTo(wait, 3);
  });

  it.each([
    ['2', 2000],
    [' 0.5 ', 500],
    ['Wed, 21 Oct 2026 07:28:00 GMT', 2000],
    ['Wed, 21 Oct 2026 07:27:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
    [['3', '9'], 3000],
  ] as const)('Retry-After %j is %s ms', (header, ms) => {
    expect(retryAfterMs(header as string | string[] | undefined, now)).toBe(ms);
  });

  it('knows the transient connection failures', () => {
    expect(isTransientNetworkError(failure('ECONNRESET'))).toBe(true);
    expect(isTransientNetworkError(failure('EPREMATURE'))).toBe(true);
    expect(isTransientNetworkError(failure('ENOTFOUND'))).toBe(false);
    expect(isTransientNetworkError(new Error('no code'))).toBe(false);
    expect(isTransientNetworkError(null)).toBe(false);
  });
});

describe('withRetry', () => {
  const fast: RetryPolicy = { retries: 3, baseMs: 0, maxMs: 0 };

  it('retries transient errors and returns the first success, counting each wait', async () => {
    const waits: number[] = [];
    let calls = 0;
    const r = await withRetry(
      fast,
      async (n) => {
        calls++;
        if (n < 2) throw failure('ECONNRESET');
        return 'ok';
      },
      { beforeWait: (n) => waits.push(n) },
    );
    expect(r).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([0, 1]);
  });

  it('throws a lasting error at once, and an exhausted one through fail() with the attempt count', async () => {
    let calls = 0;
    const fail = (e: unknown, how: { exhausted: boolean; attempts: number }) =>
      new Error(`${(e as Error).message}: ${JSON.stringify(how)}`);
    await expect(
      withRetry(
        fast,
        async () => {
          calls++;
          throw failure('ENOTFOUND');
        },
        { fail },
      ),
    ).rejects.toThrow('failed (ENOTFOUND): {"exhausted":false,"attempts":1}');
    expect(calls).toBe(1);
    await expect(
      withRetry(
        fast,
        async () => {
          calls++;
          throw failure('ETIMEDOUT');
        },
        { fail },
      ),
    ).rejects.toThrow('failed (ETIMEDOUT): {"exhausted":true,"attempts":4}');
    expect(calls).toBe(5);
  });

  it('retries a result the caller calls transient, and hands back the last one when retries run out', async () => {
    const statuses = [503, 503, 200];
    expect(await withRetry(fast, async (n) => statuses[n]!, { again: (s) => s === 503 })).toBe(200);
    let calls = 0;
    expect(
      await withRetry(
        fast,
        async () => {
          calls++;
          return 503;
        },
        { again: () => true },
      ),
    ).toBe(503);
    expect(calls).toBe(4);
  });

  it('stops when beforeWait throws (a client closed while retrying)', async () => {
    let calls = 0;
    const closed = withRetry(
      fast,
      async () => {
        calls++;
        throw failure('EPIPE');
      },
      {
        beforeWait: () => {
          throw new Error('closed while retrying');
        },
      },
    );
    await expect(closed).rejects.toThrow('closed while retrying');
    expect(calls).toBe(1);
  });
});

describe('withRetry until a deadline', () => {
  const slow: RetryPolicy = { retries: 10, baseMs: 40, maxMs: 40 };

  it('makes no retry whose wait would end past `until`, and says the failure is final for lack of time', async () => {
    // Bounds that hold however late the machine's timers fire (two full test runs side by side made a 100 ms deadline
    // read 103-129 ms): each wait is 20-40 ms and is only begun when it ends before `until`, so at most 300 / 20 waits
    // fit, far fewer than the 50 retries allowed, and giving up means the next wait would have crossed the deadline,
    // so it happens no earlier than 40 ms before it.
    let calls = 0;
    const t0 = performance.now();
    const err = await withRetry(
      { retries: 50, baseMs: 40, maxMs: 40 },
      async () => {
        calls++;
        throw failure('ETIMEDOUT');
      },
      { until: t0 + 300, fail: (e, how) => Object.assign(new Error((e as Error).message), { how }) },
    ).catch((e: { how: unknown }) => e);
    const gaveUpAfter = performance.now() - t0;
    expect(err.how).toEqual({ exhausted: true, attempts: calls, outOfTime: true });
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(1 + 300 / 20);
    expect(gaveUpAfter).toBeGreaterThanOrEqual(300 - 40);
  });

  it('hands back a transient result when no retry fits, and ignores `until` while retries are quick enough', async () => {
    let calls = 0;
    const r = await withRetry(
      { ...slow, maxMs: 120_000 },
      async () => {
        calls++;
        return 503;
      },
      { again: () => 60_000, until: performance.now() + 1000 }, // Retry-After a minute: more than the time left
    );
    expect(r).toBe(503);
    expect(calls).toBe(1);
    const statuses = [503, 503, 200];
    expect(await withRetry(slow, async (n) => statuses[n]!, { again: (s) => s === 503, until: performance.now() + 10_000 })).toBe(200);
  });
});
