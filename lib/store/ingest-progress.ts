import type { Progress, ProgressTask } from '../core/index.js';

/**
 * An ingest's one progress phase, started when the first row is loaded: a run that finds everything loaded before
 * shows no bar (a notebook re-run displays nothing), and rows of files skipped before that moment leave the total
 * instead of inflating the rate and shortening the ETA. Loads report their rows through `advance` (with the file as
 * detail); a skipped file's rows go to `skip`.
 *
 * @example
 * const phase = new IngestPhase(progress, { label: 'ingest 1,000 files', total: 35_000, unit: 'rows' });
 * phase.skip(35); phase.advance(40, 'redrock-2.fits'); phase.finish();
 */
export class IngestPhase implements Progress {
  #started = false;
  #skipped = 0;

  constructor(
    private readonly progress: Progress,
    private readonly task: ProgressTask,
  ) {}

  /** The phase belongs to the ingest: the readers' own `start` is not a new phase. */
  start(): void {}

  advance(by = 1, detail?: string): void {
    if (!this.#started) {
      this.#started = true;
      const total = this.task.total === undefined ? undefined : Math.max(0, this.task.total - this.#skipped);
      this.progress.start({ ...this.task, total });
    }
    this.progress.advance(by, detail);
  }

  /** Rows done without loading (a file loaded before, or one that failed). */
  skip(rows: number): void {
    if (this.#started) this.progress.advance(rows);
    else this.#skipped += rows;
  }

  /** The readers' `finish` is not the phase's; {@link IngestPhase.end} is. */
  finish(): void {}

  /** Ends the phase if it began. */
  end(): void {
    if (this.#started) this.progress.finish();
  }
}
