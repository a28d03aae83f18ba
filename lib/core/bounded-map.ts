/**
 * Runs `fn` over `items` with at most `jobs` calls in flight, taking them in the items' order, and returns the results
 * in that order whatever order they finish in. Reading headers or loading files is mostly waiting for the disk, the
 * network or a database, so overlapping a few is what makes thousands of them fast; the work itself stays on this
 * thread. With `stopWhen`, no item starts after a result it accepts (those in flight finish), and only the items that
 * started are returned (a prefix of `items`).
 *
 * @example
 * const sizes = await boundedMap(paths, 8, async (p) => (await stat(p)).size);
 */
export async function boundedMap<T, R>(
  items: readonly T[],
  jobs: number,
  fn: (item: T, index: number) => Promise<R>,
  opts: { stopWhen?: (result: R) => boolean } = {},
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let stop = false;
  async function worker(): Promise<void> {
    while (!stop && next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
      if (opts.stopWhen?.(out[i]!)) stop = true;
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return next < items.length ? out.slice(0, next) : out;
}
