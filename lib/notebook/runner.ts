import { progressOf, type Progress } from '../core/index.js';
import { CellExecutionError, KernelError } from '../errors/index.js';
import { bannerCell, withoutBanner } from './banner.js';
import { KernelSession } from './kernel-session.js';
import type { KernelSpec } from './kernelspec.js';
import { cellTags, type Cell, type Notebook, type Output } from './nbformat.js';

/** How a run ended. `terminated`: stopped from outside (`RunOptions.terminate`, SIGTERM in the CLI). */
export type RunStatus = 'completed' | 'failed' | 'timeout' | 'interrupted' | 'terminated' | 'died';

/** What `runNotebook` needs. Times in seconds. */
export interface RunOptions {
  kernel: KernelSpec;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Per-cell timeout (none by default). */
  timeout?: number;
  startupTimeout?: number;
  /** Aborting interrupts the kernel; the run stops after the current cell with status `interrupted`. */
  signal?: AbortSignal;
  /**
   * Aborting stops the run now, with status `terminated`: the running cell is interrupted and, if it has not ended
   * 2 s later, the kernel is killed (its outputs so far are kept).
   */
  terminate?: AbortSignal;
  /** The most resident memory, in bytes, the kernel (and its subprocesses) may take: past it the kernel is stopped and the run has status `died`. */
  memoryLimit?: number;
  /** Cells run; defaults to the host's display in the kernel (`false`: none). */
  progress?: Progress | false;
  /** What the progress display calls the run (default `run` and the kernel's name). */
  label?: string;
  onOutput?(cell: number, output: Output): void;
  /** Called after every cell with the notebook so far, so a partial notebook is on disk whatever happens next. */
  onCellDone?(nb: Notebook): Promise<void> | void;
}

/** The executed notebook and how the run went. Cell numbers count from 0 in `notebook`, banner excluded. */
export interface RunResult {
  notebook: Notebook;
  status: RunStatus;
  failedCell?: number;
  error?: CellExecutionError | KernelError;
  startTime: Date;
  endTime: Date;
  language: string;
  kernelInfo: Record<string, unknown>;
}

const setStatus = (c: Cell, status: string) => (c.metadata.skybook = { ...(c.metadata.skybook as object), status });

/**
 * Executes every code cell in order on a fresh kernel, papermill style: `skip-execution` cells are left alone,
 * errors in `raises-exception` cells are expected; the first other error, a cell timeout, an interrupt or the
 * kernel's death stops the run, puts a banner at the top naming the failing cell and marks later cells `not-run`.
 * A failed run resolves (status != completed) rather than rejects, so the caller can save the partial notebook.
 *
 * @example
 * const r = await runNotebook(nb, { kernel: findKernelSpec('python3'), timeout: 60 });
 * if (r.status !== 'completed') console.error(r.error?.message);
 */
export async function runNotebook(input: Notebook, opts: RunOptions): Promise<RunResult> {
  const nb = structuredClone(withoutBanner(input));
  const code = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === 'code');
  for (const [c] of code) {
    c.outputs = [];
    c.execution_count = null;
    setStatus(c, 'pending');
  }
  const startTime = new Date();
  const progress = progressOf(opts.progress);
  progress.start({ label: opts.label ?? `run (${opts.kernel.name})`, total: code.length, unit: 'cells' });
  progress.advance(0, `starting kernel ${opts.kernel.name}`);
  const session = await KernelSession.start(opts.kernel, {
    cwd: opts.cwd,
    env: opts.env,
    startupTimeout: opts.startupTimeout,
    memoryLimit: opts.memoryLimit,
  });
  const result: RunResult = {
    notebook: nb,
    status: 'completed',
    startTime,
    endTime: startTime,
    language: session.language,
    kernelInfo: session.info,
  };
  if (session.info.language_info) nb.metadata.language_info = session.info.language_info as Notebook['metadata']['language_info'];
  nb.metadata.kernelspec = {
    name: opts.kernel.name,
    display_name: opts.kernel.display_name,
    language: opts.kernel.language || session.language,
  };
  const onAbort = () => void session.interrupt();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    for (let k = 0; k < code.length; k++) {
      const [cell, index] = code[k]!;
      progress.advance(0, `cell ${index}`);
      if (opts.terminate?.aborted) {
        result.status = 'terminated';
        result.error = new CellExecutionError(index, 'Terminated', 'the run was terminated before this cell');
        result.failedCell = index;
        break;
      }
      if (opts.signal?.aborted) {
        result.status = 'interrupted';
        result.error = new CellExecutionError(index, 'KeyboardInterrupt', 'interrupted before this cell');
        result.failedCell = index;
        break;
      }
      if (cellTags(cell).includes('skip-execution')) {
        setStatus(cell, 'skipped');
        progress.advance(1);
        continue;
      }
      setStatus(cell, 'running');
      const expected = cellTags(cell).includes('raises-exception');
      let r;
      try {
        r = await session.execute(cell.source, {
          timeoutMs: opts.timeout !== undefined ? opts.timeout * 1000 : undefined,
          cell: index,
          onOutput: (o) => opts.onOutput?.(index, o),
          stopOnError: !expected,
          terminate: opts.terminate,
        });
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        result.status = 'died';
        result.error = e;
        result.failedCell = index;
        setStatus(cell, 'failed');
        break;
      }
      cell.outputs = r.outputs;
      cell.execution_count = r.executionCount;
      if (r.status === 'ok' || (r.status === 'error' && expected)) {
        setStatus(cell, 'completed');
        await opts.onCellDone?.(nb);
        progress.advance(1);
        continue;
      }
      setStatus(cell, 'failed');
      result.failedCell = index;
      if (r.status === 'terminated') {
        result.status = 'terminated';
        result.error = new CellExecutionError(
          index,
          'Terminated',
          `the run was terminated; cell ${index} did not stop within 2 s of its interrupt, so the kernel was killed`,
        );
      } else if (r.status === 'timeout') {
        result.status = 'timeout';
        result.error = new CellExecutionError(
          index,
          'CellTimeoutError',
          `cell ${index} ran past its ${opts.timeout} s timeout and was interrupted`,
        );
      } else {
        result.status = opts.terminate?.aborted ? 'terminated' : opts.signal?.aborted ? 'interrupted' : 'failed';
        const e = r.error ?? { ename: r.status === 'aborted' ? 'Aborted' : 'Error', evalue: '', traceback: [] };
        result.error = new CellExecutionError(index, e.ename, e.evalue, e.traceback);
      }
      break;
    }
  } finally {
    progress.finish();
    opts.signal?.removeEventListener('abort', onAbort);
    await session.shutdown();
  }
  result.endTime = new Date();
  if (result.status !== 'completed' && result.failedCell !== undefined) {
    for (const [c] of code) if ((c.metadata.skybook as { status?: string }).status === 'pending') setStatus(c, 'not-run');
    const e = result.error!;
    const ename = e instanceof CellExecutionError ? e.ename : 'KernelDied';
    const evalue = e instanceof CellExecutionError ? e.evalue : e.message;
    nb.cells.unshift(bannerCell(nb.cells[result.failedCell]!, result.failedCell, ename, evalue));
  }
  return result;
}
