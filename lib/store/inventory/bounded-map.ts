/**
 * Runs `fn` over `items` with at most `jobs` calls in flight, and returns the results in the items' order whatever
 * order they finish in. Reading headers is mostly waiting for the disk or the network, so overlapping a few reads is
 * what makes a scan fast; parsing them stays on this thread.
 *
 * @example
 * const sizes = await boundedMap(paths, 8, async (p) => (await stat(p)).size);
 */
export async function boundedMap<T, R>(items: readonly T[], jobs: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}
