import { Table, type RecordBatch } from 'apache-arrow';

/**
 * The batches of a stream as one Arrow table (what `query()` returns on a read-only store).
 *
 * @example
 * const t = await collectTable(store.stream('select 1 as x')); t.numRows // 1
 */
export async function collectTable(batches: AsyncIterable<RecordBatch>): Promise<Table> {
  const all: RecordBatch[] = [];
  for await (const b of batches) all.push(b);
  return new Table(all);
}

/**
 * Reads a stream to its end, for its effect (`run()` on a read-only store).
 *
 * @example
 * await drain(store.stream('select 1'));
 */
export async function drain(batches: AsyncIterable<RecordBatch>): Promise<void> {
  for await (const _ of batches);
}

/**
 * A stream that holds a queue's turn while it is read: its statement starts when the work queued before it is done,
 * and the next queued work starts when the stream ends (read to the end, `break`, `return()` or an error). DuckDB's
 * one connection is shared this way; a stream that is never iterated takes no turn.
 *
 * @example
 * stream: (q, o) => heldStream(serial, () => session.stream(q, o))
 */
export async function* heldStream<T>(serial: <R>(work: () => Promise<R>) => Promise<R>, open: () => AsyncIterable<T>): AsyncGenerator<T> {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  let begin!: () => void;
  const turn = new Promise<void>((r) => (begin = r));
  void serial(() => {
    begin();
    return done;
  });
  await turn;
  try {
    yield* open();
  } finally {
    release();
  }
}
