// Node 20 has Atomics.waitAsync (V8), but TypeScript only declares it from lib es2024; the project targets ES2022.
declare global {
  interface Atomics {
    waitAsync(
      typedArray: Int32Array,
      index: number,
      value: number,
      timeout?: number,
    ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
  }
}
export {};
