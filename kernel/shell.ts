import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Zmq from 'zeromq';
import { skybookVersion } from '../lib/core/index.js';
import { mimeBundle } from '../lib/viz/index.js';
import type { Kernel } from './kernel.js';
import type { Message } from '../lib/notebook/index.js';
import type { HistoryQuery } from './history.js';

/** The Jupyter messaging protocol version the kernel speaks. */
const PROTOCOL_VERSION = '5.3';

function versions(): { skybook: string; typescript: string } {
  const ts = createRequire(import.meta.url).resolve('@tslab/typescript-for-tslab/package.json');
  return { skybook: skybookVersion(), typescript: (JSON.parse(readFileSync(ts, 'utf8')) as { version: string }).version };
}

/**
 * The kernel_info_reply content: protocol 5.3, language TypeScript (the version tslab's checker implements).
 *
 * @example
 * kernelInfo().language_info.name; // 'typescript'
 */
export function kernelInfo() {
  const v = versions();
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'skybook',
    implementation_version: v.skybook,
    language_info: {
      name: 'typescript',
      version: v.typescript,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      codemirror_mode: { name: 'javascript', typescript: true },
      pygments_lexer: 'typescript',
    },
    banner: `skybook ${v.skybook}: TypeScript (tslab's checker, TypeScript ${v.typescript}) with skybook preloaded as \`sky\``,
    help_links: [],
  };
}

/**
 * Publishes a value as `display_data` under the current request, with a counter-based display id.
 *
 * @example
 * publishDisplay(kernel, table); // 'skybook-3-1'
 */
export function publishDisplay(k: Kernel, value: unknown): string {
  const id = k.nextOutputId();
  k.publish('display_data', { data: mimeBundle(value, id), metadata: {}, transient: { display_id: id } }, k.current);
  return id;
}

/** How long after a failure requests dated before it are still aborted (bounds the harm of a skewed client clock). */
const ABORT_WINDOW_MS = 10_000;
/**
 * A request dated this close to the failure is given the benefit of the doubt and runs. Dates have millisecond
 * precision and a VM's wall clock can step back a little: a client that saw the failure and sent the next cell within
 * the same millisecond (or across such a step) had its cell aborted, which made the interrupt test flaky under load.
 */
const CLOCK_SLACK_MS = 25;

/**
 * Whether a request was queued behind the failed cell: already waiting in the queue when the cell failed, or still in
 * flight then, sent (by its header's date, same-host clock) clearly before the failure.
 */
function queuedBehindFailure(k: Kernel, msg: Message): Kernel['failedAt'] {
  const f = k.failedAt;
  if (!f || Date.now() - f.time > ABORT_WINDOW_MS) return undefined;
  if (f.queued.has(msg.header.msg_id)) return f;
  const t = Date.parse(String(msg.header.date ?? ''));
  return Number.isFinite(t) && t < f.time - CLOCK_SLACK_MS ? f : undefined;
}

async function execute(k: Kernel, msg: Message, sock: Zmq.Router): Promise<void> {
  const c = msg.content as { code?: string; silent?: boolean; store_history?: boolean; stop_on_error?: boolean };
  const code = String(c.code ?? '');
  const silent = Boolean(c.silent);
  // Requests sent before the previous cell's failure reached the client were queued behind it: abort them, visibly.
  const failed = queuedBehindFailure(k, msg);
  if (failed) {
    const why = `skybook: this cell was not run: cell [${failed.count ?? '?'}] failed before it (${failed.summary}), and the cells queued after a failure are aborted.\n`;
    k.publish('stream', { name: 'stderr', text: why }, msg);
    await k.reply(sock, msg, 'execute_reply', { status: 'aborted', execution_count: null, user_expressions: {}, payload: [] });
    return;
  }
  k.failedAt = undefined;
  if (!silent && c.store_history !== false) {
    k.executionCount++;
    k.history.add(k.executionCount, code);
  }
  const count = silent ? null : k.executionCount;
  k.beginCell();
  if (!silent) k.publish('execute_input', { code, execution_count: count }, msg);
  const out = await k.engine.then(
    (engine) => engine.executor.execute(code, count),
    (e: unknown) => ({
      status: 'error' as const,
      ename: 'KernelStartError',
      evalue: `the skybook kernel could not start its engine: ${(e as Error).message}`,
      traceback: [],
    }),
  );
  k.io.flush();
  if (out.status === 'ok') {
    if (out.hasValue && !silent) {
      const data = mimeBundle(out.value, k.nextOutputId());
      k.publish('execute_result', { execution_count: count, data, metadata: {} }, msg);
    }
    await k.reply(sock, msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [] });
    return;
  }
  const err = { ename: out.ename, evalue: out.evalue, traceback: out.traceback };
  if (!silent) k.publish('error', err, msg);
  if (c.stop_on_error !== false) {
    const queued = new Set(k.queue.map((m) => m.header.msg_id));
    k.failedAt = { time: Date.now(), count, summary: `${out.ename}: ${out.evalue.split('\n')[0]}`, queued };
  }
  await k.reply(sock, msg, 'execute_reply', { status: 'error', execution_count: count, ...err, user_expressions: {}, payload: [] });
}

/**
 * Handles one shell request (the queue runs them one at a time): execute, is_complete, complete, inspect,
 * kernel_info, history and comm_info, each wrapped in busy/idle status as the protocol asks.
 *
 * @example
 * await handleShell(kernel, msg, shellSocket);
 */
export async function handleShell(k: Kernel, msg: Message, sock: Zmq.Router): Promise<void> {
  const type = msg.header.msg_type;
  k.current = msg;
  k.publish('status', { execution_state: 'busy' }, msg);
  try {
    const c = msg.content as { code?: string; cursor_pos?: number };
    if (type === 'execute_request') await execute(k, msg, sock);
    else if (type === 'kernel_info_request') await k.reply(sock, msg, 'kernel_info_reply', kernelInfo());
    else if (type === 'is_complete_request') {
      const r = await (await k.engine).executor.isComplete(String(c.code ?? ''));
      await k.reply(
        sock,
        msg,
        'is_complete_reply',
        r.completed ? { status: 'complete' } : { status: 'incomplete', indent: r.indent ?? '' },
      );
    } else if (type === 'complete_request') {
      const code = String(c.code ?? '');
      const r = await (await k.engine).executor.complete(code, c.cursor_pos ?? code.length);
      await k.reply(sock, msg, 'complete_reply', {
        status: 'ok',
        matches: r.candidates,
        cursor_start: r.start,
        cursor_end: r.end,
        metadata: {},
      });
    } else if (type === 'inspect_request') {
      const code = String(c.code ?? '');
      const text = await (await k.engine).executor.inspect(code, c.cursor_pos ?? code.length);
      await k.reply(sock, msg, 'inspect_reply', {
        status: 'ok',
        found: text !== undefined,
        data: text === undefined ? {} : { 'text/plain': text },
        metadata: {},
      });
    } else if (type === 'history_request')
      await k.reply(sock, msg, 'history_reply', { status: 'ok', history: k.history.reply(msg.content as HistoryQuery) });
    else if (type === 'comm_info_request') await k.reply(sock, msg, 'comm_info_reply', { status: 'ok', comms: {} });
    else if (type === 'shutdown_request') {
      await k.reply(sock, msg, 'shutdown_reply', { status: 'ok', restart: Boolean((msg.content as { restart?: boolean }).restart) });
      k.publish('status', { execution_state: 'idle' }, msg);
      await k.shutdown();
    }
  } catch (e) {
    // A request that cannot be served (the engine failed to start, the compiler thread died) still gets its reply.
    const err = { ename: (e as Error).name ?? 'Error', evalue: (e as Error).message ?? String(e), traceback: [] };
    if (type.endsWith('_request')) await k.reply(sock, msg, type.replace(/_request$/, '_reply'), { status: 'error', ...err });
  } finally {
    k.publish('status', { execution_state: 'idle' }, msg);
  }
}
