import cliProgress from 'cli-progress';

/** Reports long work; the CLI draws a bar on a terminal's stderr, and stays silent when not on a terminal or with --json. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a TTY (never on stdout, so `--json` output stays clean).
 *
 * @example
 * const p = progressBar('reading'); p.update(5, 10); p.stop();
 */
export function progressBar(label: string, enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label} {bar} {percentage}% | {value}/{total} {label} | {duration_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total, l = '') {
      if (!started) {
        bar.start(total, done, { label: l });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label: l });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
