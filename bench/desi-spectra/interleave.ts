import { runOnce, type RunResult, type Series } from '../fits-read/series.js';

/** A command to time: a name, the program and its arguments. */
export interface Contender {
  name: string;
  cmd: string;
  args: string[];
}

/**
 * One warm-up run of each contender, then `repeat` rounds in which each runs once, in turn, in a fresh process; the
 * best run of each is kept. Taking turns means a change in the machine's load during the benchmark hits every tool
 * alike instead of whichever ran last (on the shared 2-core box the load fell from 12 to 3 during one back-to-back
 * run, which gave skybook/astropy 2.7x; taking turns, minutes later, gave 1.2x).
 *
 * @example
 * const s = await interleaved([{ name: 'a', cmd: 'node', args: ['a.js'] }, { name: 'b', cmd: 'python3', args: ['b.py'] }], 5, log);
 */
export async function interleaved(
  contenders: readonly Contender[],
  repeat: number,
  log: (line: string) => void,
): Promise<Record<string, Series>> {
  for (const c of contenders) await runOnce(c.cmd, c.args);
  const runs = new Map<string, RunResult[]>(contenders.map((c) => [c.name, []]));
  for (let i = 0; i < repeat; i++) {
    for (const c of contenders) runs.get(c.name)!.push(await runOnce(c.cmd, c.args));
  }
  const time = (r: RunResult) => r.seconds ?? r.wallSeconds;
  const out: Record<string, Series> = {};
  for (const c of contenders) {
    const rs = runs.get(c.name)!;
    const s: Series = { name: c.name, best: rs.reduce((a, b) => (time(b) < time(a) ? b : a)), times: rs.map(time) };
    const rss = rs.map((r) => r.maxRssBytes).filter((x): x is number => x !== undefined);
    if (rss.length) s.maxRssBytes = Math.max(...rss);
    log(`  ${c.name}: ${s.times.map((t) => t.toFixed(3)).join(' ')} s`);
    out[c.name] = s;
  }
  return out;
}
