import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../lib/cli/progress.js';
import { silentProgress } from '../../lib/core/index.js';

/** A stand-in terminal: what the bar writes, with `isTTY` set as a real terminal's stderr has it. */
function terminal(isTTY: boolean): PassThrough & { isTTY: boolean; columns: number; text(): string } {
  const chunks: Buffer[] = [];
  const s = Object.assign(new PassThrough(), { isTTY, columns: 200, text: () => Buffer.concat(chunks).toString('utf8') });
  s.on('data', (c: Buffer) => chunks.push(c));
  return s;
}

describe('the CLI progress bar', () => {
  it("draws lib/core's line (label, percent, counts, rate, ETA) on a terminal", async () => {
    const tty = terminal(true);
    const p = progressBar(true, tty);
    p.start({ label: 'ingest z.fits', total: 4000, unit: 'rows' });
    p.advance(1000);
    p.finish();
    await new Promise((r) => setImmediate(r));
    const out = tty.text();
    expect(out).toMatch(/ingest z\.fits {2}0% 0\/4,000 rows/);
    expect(out).toMatch(/rows\/s {2}ETA \d+ s/);
    expect(out).toMatch(/ingest z\.fits {2}25% 1,000\/4,000 rows/);
  });

  it('is silent off a terminal and when switched off (--json)', () => {
    expect(progressBar(true, terminal(false))).toBe(silentProgress);
    expect(progressBar(false, terminal(true))).toBe(silentProgress);
  });
});
