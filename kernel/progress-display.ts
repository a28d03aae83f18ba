import { formatProgress, PROGRESS_DISPLAY_METADATA, ProgressTracker, type ProgressState } from '../lib/core/index.js';
import { escapeHtml } from '../lib/viz/index.js';
import type { Message } from '../lib/notebook/index.js';
import type { Kernel } from './kernel.js';

/** Updates closer together than this are skipped (the final one never is): a display per frame would flood iopub. */
const MIN_UPDATE_MS = 200;

/**
 * Long work in a cell shown as one display updated in place (Jupyter's `update_display_data`), as tqdm does in
 * Python notebooks. While running it shows the rate and ETA; the settled display keeps only the label and counts, so
 * a re-run saves the same output and provenance hashes match.
 *
 * @example
 * setProgressHost(() => new KernelProgress(kernel)); // then `await ingest(...)` in a cell shows its progress
 */
export class KernelProgress extends ProgressTracker {
  #id: string | undefined;
  #parent: Message | undefined;
  #last = 0;

  constructor(private readonly kernel: Kernel) {
    super();
  }

  protected render(s: ProgressState): void {
    const now = performance.now();
    if (this.#id === undefined) {
      this.#id = this.kernel.nextProgressId();
      this.#parent = this.kernel.current;
      this.kernel.publish('display_data', this.#content(s, false), this.#parent);
      this.#last = now;
      return;
    }
    if (now - this.#last < MIN_UPDATE_MS) return;
    this.#last = now;
    this.kernel.publish('update_display_data', this.#content(s, false), this.#parent);
  }

  protected settle(s: ProgressState): void {
    if (this.#id === undefined) this.render(s);
    this.kernel.publish('update_display_data', this.#content(s, true), this.#parent);
  }

  #content(s: ProgressState, final: boolean): object {
    const text = formatProgress(s, { final });
    const bar = s.total !== undefined ? `<progress value="${s.done}" max="${s.total}"></progress> ` : '';
    return {
      data: { 'text/plain': text, 'text/html': `<div class="skybook-progress">${bar}<span>${escapeHtml(text)}</span></div>` },
      metadata: PROGRESS_DISPLAY_METADATA,
      transient: { display_id: this.#id },
    };
  }
}
