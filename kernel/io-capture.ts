type Sink = (name: 'stdout' | 'stderr', text: string) => void;

/**
 * Sends what the process writes to stdout and stderr (console.log included) to Jupyter `stream` messages instead of
 * the terminal. Writes are batched per stream until the next macrotask or an explicit `flush()` (the kernel flushes
 * before every other output, so stream text and results keep their order).
 *
 * @example
 * const io = new IoCapture((name, text) => publish('stream', { name, text }));
 * io.install();
 */
export class IoCapture {
  readonly #pending: { name: 'stdout' | 'stderr'; text: string }[] = [];
  #scheduled = false;
  /** The process's own stderr, for the kernel's log lines (they must not become cell output). */
  readonly log: (text: string) => void;

  constructor(private readonly sink: Sink) {
    const err = process.stderr.write.bind(process.stderr);
    this.log = (text) => {
      err(text);
    };
  }

  install(): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name];
      stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
        const text =
          typeof chunk === 'string'
            ? chunk
            : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        this.#push(name, text);
        const done = typeof encoding === 'function' ? encoding : cb;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      }) as typeof stream.write;
    }
  }

  #push(name: 'stdout' | 'stderr', text: string): void {
    const last = this.#pending[this.#pending.length - 1];
    if (last && last.name === name) last.text += text;
    else this.#pending.push({ name, text });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setTimeout(() => this.flush(), 0);
    }
  }

  /** Sends everything written so far. */
  flush(): void {
    this.#scheduled = false;
    for (const p of this.#pending.splice(0)) if (p.text) this.sink(p.name, p.text);
  }
}
