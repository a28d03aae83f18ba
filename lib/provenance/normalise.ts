import { isProgressDisplay } from '../core/index.js';
import { isJsonMime, sortKeys, type Output } from '../notebook/index.js';

/** Paths to replace by placeholders: the run's working directory and output folder (and the user's home). */
export interface NormaliseContext {
  cwd?: string;
  outDir?: string;
  home?: string;
  /**
   * A folder a verification rebuilt the run's absolute paths under (`skybook verify BUNDLE/`: the recorded
   * `/data/run` is `MOUNT/data/run` there). It is removed from text before the places above are matched, so the
   * re-run's paths read as the recorded run's.
   */
  mount?: string;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ADDRESS = /\bat 0x[0-9a-fA-F]{6,16}\b/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Renumbers random ids (UUIDs) by first appearance, consistently inside one cell's outputs. */
class IdMap {
  private readonly seen = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  get(id: string): string {
    let v = this.seen.get(id);
    if (!v) this.seen.set(id, (v = `${this.prefix}-${this.seen.size + 1}`));
    return v;
  }
}

/**
 * Text with a verification's mount folder taken out of every path that starts with it (`MOUNT/data/a.fits` ->
 * `/data/a.fits`); unchanged without a mount.
 *
 * @example
 * withoutMount("catalog = '/tmp/v/root/data/c.txt'", '/tmp/v/root') // "catalog = '/data/c.txt'"
 */
export function withoutMount<T extends string | undefined>(text: T, mount: string | undefined): T {
  if (!mount || text === undefined) return text;
  return text.replace(new RegExp(escapeRegExp(mount.replace(/\/+$/, '')) + '(?=/)', 'g'), '') as T;
}

/**
 * One string made comparable across runs: ANSI colours stripped, the run's folders replaced by `{out}`, `{cwd}`,
 * `~`, timestamps by `<timestamp>`, object addresses by `at 0x?`, UUIDs renumbered.
 *
 * @example
 * normaliseText('wrote /tmp/run/a.csv at 2026-11-25T10:00:00Z', { outDir: '/tmp/run' }) // 'wrote {out}/a.csv at <timestamp>'
 */
export function normaliseText(s: string, ctx: NormaliseContext = {}, ids = new IdMap('id')): string {
  let t = withoutMount(s.replace(ANSI, ''), ctx.mount);
  const all: [string | undefined, string][] = [
    [withoutMount(ctx.outDir, ctx.mount), '{out}'],
    [withoutMount(ctx.cwd, ctx.mount), '{cwd}'],
    [ctx.home, '~'],
  ];
  const places = all.filter((p): p is [string, string] => !!p[0] && p[0] !== '/');
  // Longest path first, so an output folder inside the cwd becomes {out}, not {cwd}/out.
  for (const [p, ph] of [...places].sort((a, b) => b[0].length - a[0].length))
    t = t.replace(new RegExp(escapeRegExp(p.replace(/\/+$/, '')) + '(?=/|\\b|$)', 'g'), ph);
  return t
    .replace(TIMESTAMP, '<timestamp>')
    .replace(ADDRESS, 'at 0x?')
    .replace(UUID, (m) => ids.get(m.toLowerCase()));
}

/**
 * An SVG with its element ids renumbered in document order (`svg-1`, ...) and every reference to them
 * (`url(#..)`, `href="#.."`) rewritten, so two renderings of the same plot compare equal.
 *
 * @example
 * normaliseSvg('<clipPath id="clip-x7"/><g clip-path="url(#clip-x7)"/>') // '<clipPath id="svg-1"/><g clip-path="url(#svg-1)"/>'
 */
export function normaliseSvg(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `svg-${ids.size + 1}`);
  if (!ids.size) return svg;
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${ids.get(id)}"`)
    .replace(/(url\(#|href="#)([^")]+)/g, (m, pre: string, id: string) => (ids.has(id) ? pre + ids.get(id) : m));
}

function normaliseJson(v: unknown, ctx: NormaliseContext, ids: IdMap): unknown {
  if (typeof v === 'string') return normaliseText(v, ctx, ids);
  if (Array.isArray(v)) return v.map((x) => normaliseJson(x, ctx, ids));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    // Plotly gives every trace a random `uid`; it carries no meaning for the figure.
    for (const [k, x] of Object.entries(v)) if (k !== 'uid') o[k] = normaliseJson(x, ctx, ids);
    return o;
  }
  return v;
}

/**
 * A cell's outputs reduced to what the code determined: no execution counts, no transient/display ids, no
 * timestamps, no absolute paths of this run, deterministic SVG and Plotly ids, keys sorted. Progress displays (marked
 * with lib/core's `PROGRESS_DISPLAY_METADATA`) are left out: they say how the work went, and a re-run that finds the
 * work done (an ingest of an unchanged file) shows none.
 *
 * @example
 * normaliseOutputs(cell.outputs, { cwd: process.cwd() })
 */
export function normaliseOutputs(outputs: readonly Output[], ctx: NormaliseContext = {}): unknown[] {
  const ids = new IdMap('id');
  return outputs
    .filter((o) => !isProgressDisplay(o.metadata))
    .map((o) => {
      const n: Record<string, unknown> = { output_type: o.output_type };
      if (o.output_type === 'stream') {
        n.name = o.name;
        n.text = normaliseText(o.text ?? '', ctx, ids);
      } else if (o.output_type === 'error') {
        n.ename = o.ename;
        n.evalue = normaliseText(o.evalue ?? '', ctx, ids);
        n.traceback = (o.traceback ?? []).map((l) => normaliseText(l, ctx, ids).replace(/\bIn ?\[\d+\]/g, 'In [#]'));
      } else {
        const data: Record<string, unknown> = {};
        for (const [mime, v] of Object.entries(o.data ?? {})) {
          if (isJsonMime(mime)) data[mime] = normaliseJson(v, ctx, ids);
          else if (typeof v === 'string') data[mime] = normaliseText(mime === 'image/svg+xml' ? normaliseSvg(v) : v, ctx, ids);
          else data[mime] = v;
        }
        n.data = data;
        n.metadata = normaliseJson(o.metadata ?? {}, ctx, ids);
      }
      return sortKeys(n);
    });
}
