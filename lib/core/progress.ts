/**
 * What a long operation is doing: a label, how many units it expects and what a unit is.
 *
 * @example
 * const task: ProgressTask = { label: 'ingest zall-pix-iron.fits', total: 5_000_000, unit: 'rows' };
 */
export interface ProgressTask {
  /** What is being done, e.g. `ingest zall-pix-iron.fits` or `run 01-quickstart.ipynb`. */
  label: string;
  /** How many units in all; absent while unknown (a rate is still shown, no ETA). */
  total?: number;
  /** What one unit is, plural: `rows`, `pixels`, `cells`, `files`, `bytes`. */
  unit?: string;
}

/**
 * The one interface long work reports through: ingest, statistics, exports, mock surveys, notebook runs, void finding.
 * An operation takes `progress?: Progress` in its options; the CLI passes a bar on stderr, the kernel a display updated
 * in place, tests a {@link recordProgress}. The operation given a Progress owns its `start` and `finish`; `start` again
 * begins a new phase (the next file, the next HDU). To count inner work inside your own phase, hand the inner call
 * {@link subProgress}`(progress)`.
 *
 * @example
 * progress.start({ label: 'stats tb.fits', total: rows, unit: 'rows' });
 * for (const chunk of chunks) progress.advance(chunk.rows);
 * progress.finish();
 */
export interface Progress {
  /** Begins a task (or the next phase of one), with nothing done yet. */
  start(task: ProgressTask): void;
  /** `by` more units done (default 1); `detail` names what is being worked on now (a file, a cell, a pixel). */
  advance(by?: number, detail?: string): void;
  /** The work ended (done or abandoned); a renderer removes or settles its display. */
  finish(): void;
}

/**
 * The state of a task as a renderer shows it: counts, rate (units per second since the start) and the seconds left
 * at that rate.
 *
 * @example
 * `${s.done}/${s.total} ${s.unit} ${s.rate.toFixed(0)}/s ETA ${s.etaSeconds}`
 */
export interface ProgressState {
  label: string;
  unit: string;
  done: number;
  total: number | undefined;
  detail: string | undefined;
  elapsedSeconds: number;
  /** Units per second since the task started; 0 before a unit is done. */
  rate: number;
  /** Seconds left at the current rate; undefined without a total or a rate. */
  etaSeconds: number | undefined;
}

/**
 * Tracks one task's counts and time and hands renderers a {@link ProgressState}; renderers implement `render`
 * (called on every change; throttling is theirs) and `settle` (called once by `finish`).
 *
 * @example
 * class LogProgress extends ProgressTracker {
 *   protected render(s: ProgressState) { console.log(formatProgress(s)); }
 *   protected settle(s: ProgressState) { console.log(formatProgress(s, { final: true })); }
 * }
 */
export abstract class ProgressTracker implements Progress {
  #task: ProgressTask = { label: '' };
  #done = 0;
  #detail: string | undefined;
  #t0 = 0;
  #active = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(task: ProgressTask): void {
    this.#task = task;
    this.#done = 0;
    this.#detail = undefined;
    this.#t0 = this.now();
    this.#active = true;
    this.render(this.state());
  }

  advance(by = 1, detail?: string): void {
    if (!this.#active) return;
    this.#done += by;
    if (detail !== undefined) this.#detail = detail;
    this.render(this.state());
  }

  finish(): void {
    if (!this.#active) return;
    this.#active = false;
    this.settle(this.state());
  }

  /** The task as it stands now. */
  state(): ProgressState {
    const elapsedSeconds = Math.max(0, (this.now() - this.#t0) / 1000);
    const rate = elapsedSeconds > 0 ? this.#done / elapsedSeconds : 0;
    const total = this.#task.total;
    const etaSeconds = total !== undefined && rate > 0 ? Math.max(0, (total - this.#done) / rate) : undefined;
    return {
      label: this.#task.label,
      unit: this.#task.unit ?? '',
      done: this.#done,
      total,
      detail: this.#detail,
      elapsedSeconds,
      rate,
      etaSeconds,
    };
  }

  protected abstract render(state: ProgressState): void;
  protected abstract settle(state: ProgressState): void;
}

/**
 * One line for a task: `label  45% 2,250/5,000 rows  1,203 rows/s  ETA 2 s  (detail)`; with `final`, only what a
 * re-run reproduces (label, counts), so a notebook's saved output hashes the same every run.
 *
 * @example
 * formatProgress(tracker.state()); // 'ingest z.fits  45% 2,250/5,000 rows  1,203 rows/s  ETA 2 s'
 */
export function formatProgress(s: ProgressState, opts: { final?: boolean } = {}): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const unit = s.unit ? ` ${s.unit}` : '';
  const counts = s.total !== undefined ? `${n(s.done)}/${n(s.total)}${unit}` : `${n(s.done)}${unit}`;
  if (opts.final) return `${s.label}: ${counts}`;
  const pct = s.total ? `${Math.floor((100 * s.done) / s.total)}% ` : '';
  const rate = s.rate > 0 ? `  ${n(s.rate)}${unit}/s` : '';
  const eta = s.etaSeconds !== undefined ? `  ETA ${formatSeconds(s.etaSeconds)}` : '';
  const detail = s.detail ? `  (${s.detail})` : '';
  return `${s.label}  ${pct}${counts}${rate}${eta}${detail}`;
}

/**
 * Seconds as a person reads them: `42 s`, `3 min 5 s`, `2 h 07 min`.
 *
 * @example
 * formatSeconds(185); // '3 min 5 s'
 */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * A Progress that shows nothing.
 *
 * @example
 * await ingest(src, { into, table, progress: silentProgress });
 */
export const silentProgress: Progress = Object.freeze({ start() {}, advance() {}, finish() {} });

/** One call a Progress received, as {@link recordProgress} keeps it. */
export type ProgressEvent = { kind: 'start'; task: ProgressTask } | { kind: 'advance'; by: number; detail?: string } | { kind: 'finish' };

/**
 * A Progress that records every call (for tests, and for code that wants to replay or summarise progress).
 *
 * @example
 * const p = recordProgress(); await makeSurvey({ ..., progress: p }); p.events.at(-1); // { kind: 'finish' }
 */
export function recordProgress(): Progress & { readonly events: ProgressEvent[]; done(): number } {
  const events: ProgressEvent[] = [];
  return {
    events,
    start: (task) => void events.push({ kind: 'start', task }),
    advance: (by = 1, detail) => void events.push(detail === undefined ? { kind: 'advance', by } : { kind: 'advance', by, detail }),
    finish: () => void events.push({ kind: 'finish' }),
    /** Units advanced since the last start. */
    done() {
      let d = 0;
      for (const e of events) d = e.kind === 'start' ? 0 : e.kind === 'advance' ? d + e.by : d;
      return d;
    },
  };
}

/**
 * A view of `progress` for work done inside one of its phases: `advance` passes through, while `start` and `finish`
 * stay with the caller (an ingest counts the rows a table reader reports under its own `ingest FILE` phase).
 *
 * @example
 * progress.start({ label: `ingest ${file}`, total: rows, unit: 'rows' });
 * for await (const b of readBatches(src, hdu, { progress: subProgress(progress) })) await load(b);
 * progress.finish();
 */
export function subProgress(progress: Progress): Progress {
  return { start() {}, advance: (by, detail) => progress.advance(by, detail), finish() {} };
}

/**
 * The metadata a progress display carries in a notebook (`display_data.metadata`), so that provenance can leave it out:
 * progress says how the work went (a re-run that finds an ingest already done shows none), not what it produced.
 *
 * @example
 * publish('display_data', { data, metadata: PROGRESS_DISPLAY_METADATA, transient: { display_id } });
 */
export const PROGRESS_DISPLAY_METADATA: Readonly<{ skybook: { progress: true } }> = Object.freeze({
  skybook: Object.freeze({ progress: true as const }),
});

/**
 * Whether an output's metadata marks it as a progress display.
 *
 * @example
 * outputs.filter((o) => !isProgressDisplay(o.metadata));
 */
export function isProgressDisplay(metadata: unknown): boolean {
  return (metadata as { skybook?: { progress?: unknown } } | undefined)?.skybook?.progress === true;
}

let host: (() => Progress) | undefined;

/**
 * Where progress goes when an operation is given none: the kernel registers a display updated in place, so long work
 * in a notebook cell shows progress unasked (as tqdm does); anywhere else it is silent. The CLI always passes its own.
 *
 * @example
 * setProgressHost(() => new KernelProgress(kernel)); // the kernel, once at start
 */
export function setProgressHost(make: (() => Progress) | undefined): void {
  host = make;
}

/**
 * The Progress a long operation uses: the one it was given, else the host's (a new one per operation), else silence.
 * `false` asks for silence even in the kernel. Only operations a user starts as a whole (ingest, a mock survey,
 * statistics of a file, a notebook run) default to the host; a table read shows progress only when given one, so a
 * notebook is not filled with a display per read.
 *
 * @example
 * const progress = progressOf(options.progress);
 */
export function progressOf(given: Progress | false | undefined): Progress {
  if (given === false) return silentProgress;
  return given ?? host?.() ?? silentProgress;
}
