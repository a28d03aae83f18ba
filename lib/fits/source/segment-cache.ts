/**
 * Recently fetched read-ahead windows, oldest evicted first once their total passes `limit` bytes (HttpSource's cache).
 *
 * @example
 * const cache = new SegmentCache(1 << 20);
 * cache.put(0, window);
 * cache.find(100, 200); // bytes 100-199, or undefined
 */
export class SegmentCache {
  private segments: { start: number; bytes: Uint8Array }[] = [];
  private total = 0;

  constructor(private readonly limit: number) {}

  /** The bytes [start, end) when one segment holds them all. */
  find(start: number, end: number): Uint8Array | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.start <= start && s.start + s.bytes.length >= end) return s.bytes.subarray(start - s.start, end - s.start);
    }
    return undefined;
  }

  /** The longest cached run of bytes beginning at `start`, if any. */
  prefix(start: number): Uint8Array | undefined {
    let best: Uint8Array | undefined;
    for (const s of this.segments) {
      if (s.start <= start && s.start + s.bytes.length > start) {
        const run = s.bytes.subarray(start - s.start);
        if (!best || run.length > best.length) best = run;
      }
    }
    return best;
  }

  put(start: number, bytes: Uint8Array): void {
    if (bytes.length === 0 || bytes.length > this.limit) return;
    this.segments.push({ start, bytes });
    this.total += bytes.length;
    while (this.total > this.limit) this.total -= this.segments.shift()!.bytes.length;
  }

  clear(): void {
    this.segments = [];
    this.total = 0;
  }
}
