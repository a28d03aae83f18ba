/** One timed line of the benchmark table. */
export interface Row {
  tool: 'skybook' | 'astropy';
  what: string;
  /** Best of the timed runs. */
  seconds: number;
  times: number[];
  maxRssBytes?: number;
}

export interface Goal {
  goal: string;
  value: number;
  limit: number;
  pass: boolean;
}

/** Everything one benchmark run found, as `--json` prints it. */
export interface Figures {
  date: string;
  machine: { cpus: number; cpu: string; memGiB: number; node: string; astropy: string; numpy: string };
  file: { path: string; rows: number; bytes: number; writeSeconds: number | null };
  repeat: number;
  rows: Row[];
  ratios: Record<string, number>;
  goals: Goal[];
  crossCheck: { columns: number; mismatches: { column: string; what: string; ours: string; astropy: string }[] };
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** The figures as the text table the driver prints. */
export function formatReport(f: Figures): string {
  const gb = f.file.bytes / 1e9;
  const lines: string[] = [];
  lines.push(
    `fits-read: ${f.file.path}, ${f.file.rows.toLocaleString('en-US')} rows x 25 columns, ${gb.toFixed(3)} GB` +
      (f.file.writeSeconds === null ? ' (reused)' : ` (written in ${f.file.writeSeconds.toFixed(1)} s)`),
  );
  lines.push(
    `${f.date}, ${f.machine.cpus} cores ${f.machine.cpu}, ${f.machine.memGiB} GiB, Node ${f.machine.node}, astropy ${f.machine.astropy}, numpy ${f.machine.numpy}`,
  );
  lines.push(`best of ${f.repeat} after one warm-up, file in the page cache; each run a fresh process`);
  lines.push('');
  const head = [
    pad('tool', 8),
    pad('what', 44),
    pad('seconds', 8, true),
    pad('MB/s', 7, true),
    pad('peak RSS MB', 12, true),
    pad('RSS/file', 9, true),
  ];
  lines.push(head.join('  '));
  lines.push('-'.repeat(head.join('  ').length));
  for (const r of f.rows) {
    lines.push(
      [
        pad(r.tool, 8),
        pad(r.what, 44),
        pad(r.seconds.toFixed(3), 8, true),
        pad((f.file.bytes / 1e6 / r.seconds).toFixed(0), 7, true),
        pad(r.maxRssBytes === undefined ? '' : (r.maxRssBytes / 1e6).toFixed(0), 12, true),
        pad(r.maxRssBytes === undefined ? '' : (r.maxRssBytes / f.file.bytes).toFixed(2), 9, true),
      ].join('  '),
    );
  }
  lines.push('');
  for (const [k, v] of Object.entries(f.ratios)) lines.push(`${pad(k, 58)} ${v.toFixed(2)}x`);
  lines.push('');
  for (const g of f.goals) lines.push(`${g.pass ? 'PASS' : 'MISS'}  ${pad(g.goal, 52)} ${g.value.toFixed(3)} (goal ${g.limit})`);
  lines.push('');
  const bad = f.crossCheck.mismatches;
  if (bad.length === 0)
    lines.push(
      `cross-check: all ${f.crossCheck.columns} columns agree with astropy (ints exact, floats rel 1e-9, logicals by count of True)`,
    );
  else {
    lines.push(`!!! CROSS-CHECK MISMATCH: ${bad.length} disagreement(s) between skybook fits stats and astropy !!!`);
    for (const m of bad) lines.push(`!!!   ${m.column}: ${m.what}: skybook ${m.ours}, astropy ${m.astropy}`);
  }
  return lines.join('\n') + '\n';
}
