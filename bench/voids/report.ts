import type { MaximalAgreement, RowAgreement, SetAgreement, VflagAgreement } from './compare.js';

/** The issue's goals for skybook on the DR7 sample, one thread. */
export const GOALS = { totalSeconds: 15, classifySeconds: 2, vflagFraction: 0.98, maximalCentre: 1, maximalRadius: 1 } as const;

/** One skybook configuration measured: best of the repeats and all of them. */
export interface OurRow {
  what: string;
  threads: number;
  cell: number;
  findSeconds: number;
  classifySeconds: number;
  seconds: number;
  cpuSeconds: number;
  times: number[];
  maxRssBytes: number;
  holes: number;
  maximals: number;
  /** Galaxies classified (every row of the input). */
  rows: number;
  catalogueSha256: string;
}

/** Everything one benchmark run found, as `--json` prints it. */
export interface Figures {
  date: string;
  machine: { cpus: number; cpu: string; memGiB: number; node: string; vast: string };
  load: { before: string; after: string };
  galaxies: { path: string; rows: number };
  settings: { zMax: number; omegaM: number; h: number; cell: number; minMaximal: number };
  repeat: number;
  ours: OurRow[];
  /** skybook's classifyGalaxies on VAST's own catalogue (read by readVoidCatalogue), when run. */
  oursOnVast?: { classifySeconds: number; agreement?: VflagAgreement };
  vast: {
    /** How VAST's figures were obtained: run now, or the issue's figures because VAST is not installed. */
    source: 'run' | 'issue';
    why?: string;
    findVoidsSeconds: number;
    /** preprocess + mask + filter_galaxies + find_voids: VAST's whole find as its example script runs it. */
    findSeconds: number;
    classifySeconds: number;
    /** How the classification figure was obtained. */
    classifySource: 'run' | 'cached' | 'sample' | 'issue';
    classifyNote: string;
    classifyRows: number;
    peakRssBytes?: number;
    maximals?: number;
    holes?: number;
  };
  rss: { cell: number; holes: number; maxRssBytes: number }[];
  agreement?: {
    wall: SetAgreement;
    field: SetAgreement;
    /** The same galaxies to the bit (tolerance 0). */
    wallBits?: SetAgreement;
    fieldBits?: SetAgreement;
    maximals: MaximalAgreement;
    /** MAXIMALS and HOLES row by row (x, y, z, radius) against VAST's, in both tables' order. */
    maximalRows?: RowAgreement;
    holeRows?: RowAgreement;
    vflags?: VflagAgreement;
    /** Our flags with the far distance limit rounded to 2 decimals, as VAST's file stores DLIMU and its classification reads it. */
    vflagsDlimu2?: VflagAgreement;
  };
  deterministic: boolean;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));
const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const pct = (x: number) => `${(100 * x).toFixed(3)}%`;
const mb = (b: number) => (b / 1e6).toFixed(0);

function formatConfusion(c: Record<string, number>): string {
  const keys = Object.keys(c).sort((a, b) => c[b]! - c[a]!);
  return keys.length ? keys.map((k) => `${k}: ${c[k]}`).join(', ') : 'none';
}

/** The figures as the text the driver prints. */
export function formatReport(f: Figures): string {
  const L: string[] = [];
  const s = f.settings;
  L.push(
    `voids: ${f.galaxies.path} (${f.galaxies.rows.toLocaleString('en-US')} galaxies), comoving, Omega_M ${s.omegaM}, h ${s.h}, ` +
      `z <= ${s.zMax}, cell ${s.cell} Mpc/h, min maximal ${s.minMaximal} Mpc/h`,
  );
  L.push(`${f.date}, ${f.machine.cpus} cores ${f.machine.cpu}, ${f.machine.memGiB} GiB, Node ${f.machine.node}, VAST ${f.machine.vast}`);
  L.push(`load average (1/5/15 min) before ${f.load.before}, after ${f.load.after}`);
  L.push(`skybook: best of ${f.repeat} fresh processes after one warm-up; seconds exclude Node's start, imports and reading the file`);
  L.push('');
  const head = [
    pad('run', 30),
    pad('find s', 8, true),
    pad('classify s', 10, true),
    pad('total s', 8, true),
    pad('CPU s', 7, true),
    pad('peak RSS MB', 11, true),
  ];
  L.push(head.join('  '));
  L.push('-'.repeat(head.join('  ').length));
  for (const r of f.ours)
    L.push(
      [
        pad(r.what, 30),
        pad(r.findSeconds.toFixed(3), 8, true),
        pad(r.classifySeconds.toFixed(3), 10, true),
        pad(r.seconds.toFixed(3), 8, true),
        pad(r.cpuSeconds.toFixed(2), 7, true),
        pad(mb(r.maxRssBytes), 11, true),
      ].join('  ') + `   (all: ${r.times.map((t) => t.toFixed(2)).join(' ')})`,
    );
  const v = f.vast;
  L.push(
    [
      pad(`VAST ${f.machine.vast}, 1 process`, 30),
      pad(v.findSeconds.toFixed(3), 8, true),
      pad(v.classifySeconds.toFixed(3), 10, true),
      pad((v.findSeconds + v.classifySeconds).toFixed(3), 8, true),
      pad('', 7, true),
      pad(v.peakRssBytes ? mb(v.peakRssBytes) : '?', 11, true),
    ].join('  '),
  );
  if (v.source === 'issue')
    L.push(`  VAST was not run (${v.why}): its figures are the issue's, measured on this machine: find 15 s, classify 553 s`);
  else
    L.push(`  VAST find = preprocess + mask + filter_galaxies + find_voids (find_voids alone ${v.findVoidsSeconds.toFixed(3)} s), one run`);
  L.push(`  VAST classify: ${v.classifyNote}`);
  if (f.oursOnVast)
    L.push(
      `  skybook's classifier on VAST's own catalogue (HOLES, MASK, DLIML/DLIMU of its file): ${f.oursOnVast.classifySeconds.toFixed(3)} s`,
    );
  L.push('');

  const one = f.ours.find((r) => r.threads === 1 && r.cell === s.cell);
  const two = f.ours.find((r) => r.threads === 2 && r.cell === s.cell);
  if (one) {
    L.push(
      `ours / VAST: find ${(one.findSeconds / v.findSeconds).toFixed(3)}x (against find_voids alone ${(one.findSeconds / v.findVoidsSeconds).toFixed(3)}x), ` +
        `classify ${(one.classifySeconds / v.classifySeconds).toExponential(2)}x, find + classify ${(one.seconds / (v.findSeconds + v.classifySeconds)).toFixed(4)}x`,
    );
    L.push(
      `${mark(one.seconds <= GOALS.totalSeconds)}  find + classify on one thread: ${one.seconds.toFixed(3)} s (goal <= ${GOALS.totalSeconds} s, VAST's find alone)`,
    );
    L.push(
      `${mark(one.classifySeconds <= GOALS.classifySeconds)}  classify ${f.galaxies.rows.toLocaleString('en-US')} galaxies: ${one.classifySeconds.toFixed(3)} s (goal <= ${GOALS.classifySeconds} s)`,
    );
  }
  if (one && two)
    L.push(
      `2-thread speed-up: find ${(one.findSeconds / two.findSeconds).toFixed(2)}x, find + classify ${(one.seconds / two.seconds).toFixed(2)}x (this VM has 2 cores, shared)`,
    );
  L.push(`${f.deterministic ? 'PASS' : 'MISS'}  same catalogue bytes (maximals, holes, wall, field, vflags) for every thread count`);
  if (f.rss.length > 1) {
    const rs = [...f.rss].sort((a, b) => a.holes - b.holes);
    const rssRatio = Math.max(...rs.map((r) => r.maxRssBytes)) / Math.min(...rs.map((r) => r.maxRssBytes));
    const holesRatio = rs.at(-1)!.holes / Math.max(1, rs[0]!.holes);
    L.push(
      `peak RSS against the number of holes (1 thread): ${rs.map((r) => `cell ${r.cell}: ${r.holes.toLocaleString('en-US')} holes, ${mb(r.maxRssBytes)} MB`).join('; ')}` +
        ` -> ${holesRatio.toFixed(1)}x the holes, ${rssRatio.toFixed(2)}x the peak RSS`,
    );
  }
  L.push('');
  const a = f.agreement;
  if (!a) L.push('agreement with VAST: not measured (VAST not run)');
  else {
    const set = (name: string, x: SetAgreement) =>
      `${x.identical ? 'PASS' : 'MISS'}  ${name}: ours ${x.ours.toLocaleString('en-US')}, VAST ${x.theirs.toLocaleString('en-US')}; ` +
      `ours found in VAST's ${x.oursMatched.toLocaleString('en-US')}, VAST's found in ours ${x.theirsMatched.toLocaleString('en-US')} (within 0.001 Mpc/h)`;
    L.push(set('wall galaxies', a.wall));
    L.push(set('field galaxies', a.field));
    for (const [name, x] of [
      ['wall', a.wallBits],
      ['field', a.fieldBits],
    ] as const)
      if (x)
        L.push(
          `${x.identical ? 'PASS' : 'MISS'}  ${name} positions to the bit: ${x.oursMatched.toLocaleString('en-US')} of ours ${x.ours.toLocaleString('en-US')} equal to one of VAST's ${x.theirs.toLocaleString('en-US')}`,
        );
    const rows = (name: string, x: RowAgreement) =>
      `${x.identical === x.theirs && x.ours === x.theirs ? 'PASS' : 'MISS'}  ${name} row by row (x, y, z, radius): ours ${x.ours.toLocaleString('en-US')}, VAST ${x.theirs.toLocaleString('en-US')}; ` +
      `${x.identical.toLocaleString('en-US')} identical to the bit, ${x.within1e12.toLocaleString('en-US')} within 1e-12, largest difference ${x.largest.toExponential(2)} Mpc/h`;
    if (a.holeRows) L.push(rows('HOLES', a.holeRows));
    if (a.maximalRows) L.push(rows('MAXIMALS', a.maximalRows));
    const m = a.maximals;
    L.push(
      `${mark(m.oursMatched === m.ours && m.theirsMatched === m.theirs && m.ours === m.theirs)}  maximals within ${GOALS.maximalCentre} Mpc/h (centre) and ${GOALS.maximalRadius} Mpc/h (radius): ` +
        `VAST's ${m.theirsMatched}/${m.theirs} matched by ours, ours ${m.oursMatched}/${m.ours} matched by VAST's; worst matched centre ${m.worstCentre.toFixed(4)}, radius ${m.worstRadius.toFixed(4)} Mpc/h; median nearest centre ${m.medianNearest.toExponential(2)} Mpc/h`,
    );
    if (a.vflags) {
      const g = a.vflags;
      L.push(
        `${mark(g.fraction >= GOALS.vflagFraction)}  vflags, our find + our classify vs VAST's find + determine_vflag: ${pct(g.fraction)} of ${g.rows.toLocaleString('en-US')} rows identical (goal >= ${100 * GOALS.vflagFraction}%); ` +
          `differences (VAST->ours): ${formatConfusion(g.confusion)}`,
      );
      if (g.excluded !== undefined)
        L.push(
          `      leaving out the ${g.excluded.toLocaleString('en-US')} galaxies within 1e-4 Mpc/h of a VAST hole's surface (they bound holes; rounding decides their flag): ${pct(g.fractionKept!)} identical`,
        );
      L.push(`      counts ours ${JSON.stringify(g.oursCounts)}, VAST ${JSON.stringify(g.theirsCounts)}`);
      const d = a.vflagsDlimu2;
      if (d)
        L.push(
          `      with the far limit VAST's classification reads (DLIMU to 2 decimals, as its file stores it; galaxies between that and the ` +
            `true limit are outside there): ${pct(d.fraction)} identical; differences (VAST->ours): ${formatConfusion(d.confusion)}`,
        );
    }
    const ov = f.oursOnVast?.agreement;
    if (ov)
      L.push(
        `      our classifier on VAST's catalogue vs VAST's determine_vflag: ${pct(ov.fraction)} identical` +
          (ov.fractionKept !== undefined ? ` (${pct(ov.fractionKept)} off hole surfaces)` : '') +
          `; differences (VAST->ours): ${formatConfusion(ov.confusion)}`,
      );
  }
  return L.join('\n') + '\n';
}
