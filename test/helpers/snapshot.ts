import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { expect } from 'vitest';
import { sortKeys, type Notebook } from '../../lib/notebook/index.js';
import { splitLines } from '../../lib/notebook/nbformat.js';
import { canonicalJson, normaliseOutputs, normaliseText, sha256, type NormaliseContext } from '../../lib/provenance/index.js';
import { ROOT } from './cli.js';

/**
 * Snapshots of executed notebooks and provenance manifests (STYLE.md point 7), compared with vitest's
 * `toMatchFileSnapshot`. Outputs go through lib/provenance's own normalisation (`normaliseOutputs`, the one the
 * per-cell hashes use); the manifest gets placeholders for what varies run to run or machine to machine. Then both are
 * made readable: multi-line strings and markup split into lines, long runs collapsed into one line carrying the sha256 of
 * what it stands for (so nothing changes unseen), keys sorted, 1-space indent.
 */

/** Where a run happened: its paths become `{cwd}`, `{out}` and `~` (in manifests also this checkout, `{repo}`). */
export interface SnapshotContext extends NormaliseContext {
  cwd: string;
  outDir: string;
}

/** Runs longer than this (array items, lines of one string, sibling elements) are collapsed. */
const MAX_ITEMS = 24;
const HEAD = 6;
const TAIL = 3;
/** Strings of more lines than this (after collapsing runs) keep their head and tail. */
const MAX_LINES = 400;
/** Lines longer than this keep their head and tail. */
const MAX_LINE = 1000;

const digest = (v: unknown) => sha256(typeof v === 'string' ? v : canonicalJson(v)).slice(0, 16);
const omitted = (n: number, what: string, v: unknown) => `… ${n.toLocaleString('en-US')} ${what} omitted (sha256 ${digest(v)}) …`;

/** Markup split before every opening tag that follows a closing `>`, then at newlines; the pieces join back to `s`. */
function pieces(s: string): string[] {
  const markup = s.startsWith('<') && s.includes('><');
  return (markup ? s.split(/(?<=>)(?=<[A-Za-z])/) : [s]).flatMap(splitLines);
}

/** A line cut to its first and last characters around one naming how many it stands for and their hash. */
function clip(line: string): string {
  if (line.length <= MAX_LINE) return line;
  const [head, tail] = [line.slice(0, 300), line.slice(-100)];
  return `${head}${omitted(line.length - 400, 'characters', line.slice(300, -100))}${tail}`;
}

/** The element name a line of markup starts with (`circle` for `<circle cx=…>`), so runs of siblings collapse. */
const tagOf = (line: string) => /^<([A-Za-z][\w:-]*)/.exec(line)?.[1];

/** Collapses runs of more than MAX_ITEMS lines that open the same element, then caps the whole list. */
function collapseLines(lines: string[]): string[] {
  const out: string[] = [];
  lines = lines.map(clip);
  for (let i = 0; i < lines.length; ) {
    const tag = tagOf(lines[i]!);
    let j = i + 1;
    while (tag && j < lines.length && tagOf(lines[j]!) === tag) j++;
    if (j - i > MAX_ITEMS) {
      const run = lines.slice(i, j);
      out.push(
        ...run.slice(0, HEAD),
        omitted(run.length - HEAD - TAIL, `<${tag}> lines`, run.slice(HEAD, -TAIL).join('')),
        ...run.slice(-TAIL),
      );
    } else out.push(...lines.slice(i, j));
    i = j;
  }
  const [head, tail] = [MAX_LINES - 40, 40];
  return out.length > MAX_LINES
    ? [...out.slice(0, head), omitted(out.length - head - tail, 'lines', out.slice(head, -tail)), ...out.slice(-tail)]
    : out;
}

/**
 * A normalised value made readable for a reviewer's diff: strings of several lines (or markup) become lists of lines,
 * long lines and lists longer than `maxItems` keep their head and tail around one line naming how many characters or
 * items it stands for and their hash.
 *
 * @example
 * readable({ x: Array.from({ length: 100 }, (_, i) => i) }) // { x: [0, 1, 2, 3, 4, 5, '… 91 items omitted (sha256 …) …', 97, 98, 99] }
 */
export function readable(v: unknown, maxItems = MAX_ITEMS): unknown {
  if (typeof v === 'string') {
    const lines = pieces(v);
    return lines.length > 1 ? collapseLines(lines) : clip(v);
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => readable(x, maxItems));
    return items.length > maxItems
      ? [...items.slice(0, HEAD), omitted(v.length - HEAD - TAIL, 'items', v.slice(HEAD, -TAIL)), ...items.slice(-TAIL)]
      : items;
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readable(x, maxItems)]));
  return v;
}

/** The text written to a snapshot file: keys sorted at every level, 1-space indent (as Jupyter writes notebooks). */
const stringify = (v: unknown) => JSON.stringify(sortKeys(v), null, 1) + '\n';

/** Replaces this checkout's path (the lockfile, notebooks run in place) by `{repo}`, before lib's normaliseText. */
function withPlaces(s: string, ctx: SnapshotContext): string {
  return normaliseText(s.split(ROOT).join('{repo}'), { home: homedir(), ...ctx });
}

/**
 * An executed notebook as a snapshot: every cell's source, tags and skybook status, and its outputs normalised by
 * lib/provenance's `normaliseOutputs` (no execution counts, transient ids, run paths or timestamps; SVG and Plotly ids
 * renumbered); the kernel's language version and display name (machine-dependent) replaced by placeholders.
 *
 * @example
 * await expectSnapshot(notebookSnapshot(await readNotebook(out), ctx), 'curated/01-quickstart.ipynb.json');
 */
export function notebookSnapshot(nb: Notebook, ctx: SnapshotContext): string {
  const cells = nb.cells.map((c) => ({
    cell_type: c.cell_type,
    id: c.id,
    metadata: c.metadata,
    source: c.source,
    ...(c.cell_type === 'code' ? { outputs: normaliseOutputs(c.outputs ?? [], { home: homedir(), ...ctx }) } : {}),
  }));
  const meta = nb.metadata;
  const metadata = {
    ...meta,
    kernelspec: meta.kernelspec && { ...meta.kernelspec, display_name: '<kernel-display-name>' },
    language_info: meta.language_info && {
      ...meta.language_info,
      ...('version' in meta.language_info ? { version: '<language-version>' } : {}),
    },
  };
  return stringify(readable({ nbformat: nb.nbformat, nbformat_minor: nb.nbformat_minor, metadata, cells }));
}

/** Written files whose bytes are not reproducible by design, with why; their digests become a placeholder. */
const UNREPRODUCIBLE: [RegExp, string][] = [
  // The load ledger stores load times (started_at, finished_at) and absolute source paths; DuckDB's block layout varies.
  [/\.duckdb(\.wal)?$/, '<not-reproducible: DuckDB database>'],
];

type Node = Record<string, unknown> & { '@id': string };

/**
 * A provenance manifest (OUT.provenance.json) as a snapshot. Placeholders for what varies run to run or machine to
 * machine: start/end times, the skybook/Node.js/kernel versions and the kernel's display name, the lockfile's path and
 * digest, the executed notebook's digest (its raw bytes hold execution counts and the language version; its normalised
 * content is the .ipynb.json snapshot and the per-cell hashes), the cache key (it hashes the lockfile, the version and
 * absolute input paths) and the digests of UNREPRODUCIBLE files; this checkout's and the run's paths in any string.
 * Kept: the structure, cell source and output hashes, parameters, inputs and written files with their digests, status.
 *
 * @example
 * await expectSnapshot(manifestSnapshot(out.replace('.ipynb', '.provenance.json'), ctx), 'python-params.provenance.json');
 */
export function manifestSnapshot(path: string, ctx: SnapshotContext): string {
  const crate = JSON.parse(readFileSync(path, 'utf8')) as { '@graph': Node[] };
  const crateDir = resolve(path, '..');
  // Ids are paths relative to the manifest; one that leaves the run's folder (the lockfile) is rewritten from {repo}.
  const ids = new Map<string, string>();
  const lockfiles = new Set(
    crate['@graph']
      .flatMap((n) => (n.softwareRequirements as { '@id': string }[] | undefined) ?? [])
      .map((r) => r['@id'])
      .filter((id) => !id.startsWith('#')),
  );
  for (const n of crate['@graph']) {
    const id = n['@id'];
    if (id.startsWith('#') || /^[a-z]+:/i.test(id) || isAbsolute(id)) continue;
    const abs = resolve(crateDir, id);
    const inRun = !relative(ctx.cwd, abs).startsWith('..');
    if (!inRun && (abs + sep).startsWith(ROOT + sep)) ids.set(id, `{repo}/${relative(ROOT, abs).split(sep).join('/')}`);
  }
  const graph = crate['@graph'].map((n): Node => {
    const o: Node = { ...n };
    for (const k of ['startTime', 'endTime', 'datePublished']) if (k in o) o[k] = '<timestamp>';
    if (o['@id'] === '#run') o['skybook:cacheKey'] = '<cache-key>';
    const version = { '#skybook': '<skybook-version>', '#node': '<node-version>', '#kernel': '<kernel-version>' }[o['@id']];
    if (version) o.softwareVersion = version;
    if (o['@id'] === '#kernel') o.alternateName = '<kernel-display-name>';
    const placeholder = lockfiles.has(o['@id'])
      ? '<lockfile>'
      : o['skybook:executedNotebook']
        ? '<executed-notebook>'
        : UNREPRODUCIBLE.find(([re]) => re.test(o['@id']))?.[1];
    if (placeholder && 'sha256' in o) Object.assign(o, { sha256: `${placeholder} sha256`, contentSize: `${placeholder} size` });
    return o;
  });
  const places = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = v;
      for (const [from, to] of ids) s = s.split(from).join(to);
      return withPlaces(s, ctx);
    }
    if (Array.isArray(v)) return v.map(places);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, places(x)]));
    return v;
  };
  // Every file a run wrote stays listed with its digest (01-quickstart writes the whole mock survey).
  return stringify(readable(places({ ...crate, '@graph': graph }), Infinity));
}

/** Whether this vitest run updates snapshots (`-u`). */
const updating = () => expect.getState().snapshotState?.snapshotUpdateState === 'all';

/**
 * `toMatchFileSnapshot`, plus Observable Plot's habit: when the snapshot differs (and `-u` is not given), the new text is
 * written next to it as NAME-changed.json for a side-by-side look; a match or an update removes that file.
 *
 * @example
 * await expectSnapshot(text, join(import.meta.dirname, 'python-params.ipynb.json'));
 */
export async function expectSnapshot(text: string, file: string): Promise<void> {
  const changed = file.replace(/(\.json)?$/, '-changed$1');
  const expected = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const differs = expected !== undefined && expected !== text && !updating();
  if (differs) writeFileSync(changed, text);
  else rmSync(changed, { force: true });
  try {
    await expect(text).toMatchFileSnapshot(file);
  } catch (e) {
    const test = relative(ROOT, expect.getState().testPath ?? '');
    if (differs && e instanceof Error)
      e.message += `\nThe new output is in ${relative(ROOT, changed)}. If the change is intended: npx vitest run ${test} -u`;
    throw e;
  }
}
