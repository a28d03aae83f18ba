import cliProgress from 'cli-progress';
import { formatProgress, ProgressTracker, silentProgress, type Progress, type ProgressState } from '../core/index.js';

/**
 * Where the bar is drawn: a terminal stream (process.stderr, or a test's stand-in with `isTTY`).
 *
 * @example
 * const stream: BarStream = process.stderr;
 */
export type BarStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * lib/core's Progress drawn as a bar on a terminal: `label [████░░░░] 45% 2,250/5,000 rows  1,203 rows/s  ETA 2 s`.
 * cli-progress draws and redraws the line (at most every 100 ms); the counts, rate and ETA are lib/core's, so the bar
 * says what the kernel's display says.
 */
class BarProgress extends ProgressTracker {
  #bar: cliProgress.SingleBar | undefined;

  constructor(private readonly stream: BarStream) {
    super();
  }

  protected render(s: ProgressState): void {
    const total = s.total ?? Math.max(s.done, 1);
    const payload = { text: formatProgress(s) };
    if (!this.#bar) {
      this.#bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: '{bar} {text}',
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.#bar.start(total, s.done, payload);
      return;
    }
    this.#bar.setTotal(total);
    this.#bar.update(s.done, payload);
  }

  protected settle(): void {
    this.#bar?.stop();
    this.#bar = undefined;
  }
}

/**
 * The CLI's Progress: a bar on stderr when it is a terminal (never on stdout, so `--json` output stays clean), else
 * nothing. Commands pass `enabled = false` with `--json` or when they log instead.
 *
 * @example
 * const progress = progressBar(!json);
 * await ingest(sources, { into, table, progress });
 */
export function progressBar(enabled = true, stream: BarStream = process.stderr): Progress {
  return enabled && stream.isTTY === true ? new BarProgress(stream) : silentProgress;
}
