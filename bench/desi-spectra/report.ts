/** One disagreement between skybook's and an astropy run's sha256 of the same array. */
export interface Mismatch {
  key: string;
  against: string;
  ours: string;
  theirs: string;
}

/** Everything one benchmark run found, as `--json` prints it. */
export interface Figures {
  date: string;
  machine: { cpus: number; cpu: string; memGiB: number; node: string; astropy: string; numpy: string };
  /** `uptime`'s 1, 5 and 15 minute load averages before and after the timed runs. */
  load: { before: string; after: string };
  file: { path: string; nspec: number; bytes: number; writeSeconds: number | null };
  /** Spectra selected (and read) per run. */
  select: number;
  repeat: number;
  rows: { what: string; seconds: number; cpuSeconds: number; times: number[]; maxRssBytes: number }[];
  /** The faster astropy mode, which the goal is measured against. */
  anchor: string;
  /** Wall-clock ratio of the best runs (the goal), and the same runs' CPU-time ratio. */
  goal: { ratio: number; cpuRatio: number; limit: number; pass: boolean };
  crossCheck: { arrays: number; mismatches: Mismatch[] };
}

/**
 * Every key either side hashed where the two disagree (a key only one side has is a mismatch too).
 *
 * @example
 * compareHashes({ B_FLUX: 'ab' }, { B_FLUX: 'cd' }, 'astropy'); // [{ key: 'B_FLUX', against: 'astropy', ours: 'ab', theirs: 'cd' }]
 */
export function compareHashes(ours: Record<string, string>, theirs: Record<string, string>, against: string): Mismatch[] {
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  return keys
    .filter((k) => ours[k] !== theirs[k])
    .map((k) => ({ key: k, against, ours: ours[k] ?? '(missing)', theirs: theirs[k] ?? '(missing)' }));
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** The figures as the text table the driver prints. */
export function formatReport(f: Figures): string {
  const lines: string[] = [];
  lines.push(
    `desi-spectra: ${f.select} of ${f.file.nspec.toLocaleString('en-US')} spectra (B/R/Z flux, ivar, mask, resolution, wavelength, FIBERMAP rows) ` +
      `from ${f.file.path}, ${(f.file.bytes / 1e9).toFixed(3)} GB` +
      (f.file.writeSeconds === null ? ' (reused)' : ` (written in ${f.file.writeSeconds.toFixed(1)} s)`),
  );
  lines.push(
    `${f.date}, ${f.machine.cpus} cores ${f.machine.cpu}, ${f.machine.memGiB} GiB, Node ${f.machine.node}, astropy ${f.machine.astropy}, numpy ${f.machine.numpy}`,
  );
  lines.push(`load average (1/5/15 min) before ${f.load.before}, after ${f.load.after}`);
  lines.push(
    `best of ${f.repeat} rounds (tools take turns) after one warm-up each, file in the page cache; each run a fresh process; seconds exclude start-up and imports`,
  );
  lines.push('');
  const head = [pad('tool', 22), pad('best s', 8, true), pad('its CPU s', 9, true), pad('all runs (s)', 40), pad('peak RSS MB', 12, true)];
  lines.push(head.join('  '));
  lines.push('-'.repeat(head.join('  ').length));
  for (const r of f.rows) {
    lines.push(
      [
        pad(r.what, 22),
        pad(r.seconds.toFixed(3), 8, true),
        pad(r.cpuSeconds.toFixed(3), 9, true),
        pad(r.times.map((t) => t.toFixed(3)).join(' '), 40),
        pad((r.maxRssBytes / 1e6).toFixed(0), 12, true),
      ].join('  '),
    );
  }
  lines.push('');
  lines.push(
    `${f.goal.pass ? 'PASS' : 'MISS'}  skybook / ${f.anchor} (the faster astropy): ${f.goal.ratio.toFixed(3)}x wall clock (goal <= ${f.goal.limit}x); CPU time ${f.goal.cpuRatio.toFixed(3)}x`,
  );
  lines.push('');
  const bad = f.crossCheck.mismatches;
  if (bad.length === 0) lines.push(`cross-check: all ${f.crossCheck.arrays} arrays identical (sha256) in skybook and every astropy mode`);
  else {
    lines.push(`!!! CROSS-CHECK MISMATCH: ${bad.length} array(s) differ between skybook and astropy !!!`);
    for (const m of bad) lines.push(`!!!   ${m.key} vs ${m.against}: skybook ${m.ours.slice(0, 16)}, astropy ${m.theirs.slice(0, 16)}`);
  }
  return lines.join('\n') + '\n';
}
