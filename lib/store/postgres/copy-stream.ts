import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { ColumnPlan } from '../column-plan.js';
import { sql, tableId } from '../sql.js';
import type { TableRef } from '../store.js';
import { COPY_HEADER, COPY_TRAILER } from './copy-binary.js';

/**
 * One binary COPY into a table on one client: `write` waits while the socket's buffer is full (memory stays at about a
 * batch per connection), `end` sends the trailer and resolves when the server has taken every row, `abort` ends it
 * with an error so the server discards the rows of this COPY.
 *
 * @example
 * const copy = openCopy(client, { name: 'zcat' }, plans); await copy.write(encodeRows(batch, plans, rows, [loadId])); await copy.end();
 */
export interface CopyStream {
  /** Sends bytes and waits until the stream can take more. */
  write(bytes: Uint8Array): Promise<void>;
  /** Sends bytes without waiting (the caller waits on `drained()` before sending more to a busy stream). */
  push(bytes: Uint8Array): void;
  /** True while the previous write's bytes have not yet gone to the socket. */
  readonly busy: boolean;
  /** Resolves when the stream can take more bytes (at once when it is not busy). */
  drained(): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens `copy table (planned columns, skybook_load) from stdin with (format binary)` and writes the header. */
export function openCopy(client: pg.ClientBase, table: TableRef, plans: readonly ColumnPlan[]): CopyStream {
  const cols = sql.join([...plans.map((p) => sql.id(p.name)), sql.id('skybook_load')]);
  const text = sql`copy ${tableId(table)} (${cols}) from stdin with (format binary)`.text;
  const stream = client.query(copyStreams.from(text));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  finished.catch(() => {});
  // a failed COPY rejects `finished`, which ends any wait for a drain that will never come
  const drained = async (): Promise<void> => {
    if (stream.destroyed) return finished;
    if (!stream.writableNeedDrain) return;
    await Promise.race([new Promise<void>((resolve) => stream.once('drain', () => resolve())), finished]);
  };
  const write = async (bytes: Uint8Array) => {
    if (!stream.write(bytes)) await drained();
  };
  stream.write(COPY_HEADER);
  return {
    write,
    push(bytes) {
      stream.write(bytes);
    },
    get busy() {
      return stream.writableNeedDrain;
    },
    drained,
    async end() {
      await write(COPY_TRAILER);
      stream.end();
      await finished;
    },
    async abort() {
      stream.destroy();
      await finished.catch(() => {});
    },
  };
}
