import { PipelineError } from '../errors/index.js';
import { type Pipeline, type Stage, within } from './pipeline-file.js';

/** Stages and the edges between them: stage B needs stage A when a dep of B is (or is inside, or holds) an out of A. */
export interface StageGraph {
  stages: Stage[];
  byName: Map<string, Stage>;
  /** For each stage, the stages it needs (its upstream), in pipeline order. */
  upstream: Map<string, string[]>;
  /** For each stage, the stages that need it. */
  downstream: Map<string, string[]>;
  /** Every stage, upstream before downstream; ties in the order the file lists them. */
  order: string[];
}

/**
 * The stage graph of a pipeline, refusing a cycle (naming it) and a stage that needs itself.
 *
 * @example
 * const g = stageGraph(loadPipeline()); g.order // ['survey', 'ingest', 'features', 'report']
 */
export function stageGraph(p: Pipeline): StageGraph {
  const byName = new Map(p.stages.map((s) => [s.name, s]));
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(p.stages.map((s) => [s.name, []]));
  for (const b of p.stages) {
    const ups: string[] = [];
    for (const a of p.stages) {
      if (a === b) continue;
      if (b.deps.some((d) => a.outs.some((o) => within(d, o) || within(o, d)))) ups.push(a.name);
    }
    upstream.set(b.name, ups);
    for (const a of ups) downstream.get(a)!.push(b.name);
  }
  for (const s of p.stages)
    if (s.deps.some((d) => s.outs.some((o) => within(d, o) || within(o, d))))
      throw new PipelineError('a dep of the stage is its own out (a stage cannot read what it writes)', {
        file: p.file,
        stage: s.name,
      });
  return { stages: p.stages, byName, upstream, downstream, order: topologicalOrder(p, upstream) };
}

function topologicalOrder(p: Pipeline, upstream: Map<string, string[]>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new PipelineError(`a cycle: ${cycle.join(' -> ')} (each needs an out of the next)`, { file: p.file });
    }
    state.set(name, 'visiting');
    for (const u of upstream.get(name)!) visit(u, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const s of p.stages) visit(s.name, []);
  return order;
}

/**
 * The named stages and every stage they need, in graph order (what `skybook pipeline run STAGE` brings up to date).
 *
 * @example
 * withUpstream(g, ['report']) // ['survey', 'ingest', 'report']
 */
export function withUpstream(g: StageGraph, names: readonly string[]): string[] {
  const keep = new Set<string>();
  const add = (n: string) => {
    if (keep.has(n)) return;
    keep.add(n);
    for (const u of g.upstream.get(n)!) add(u);
  };
  for (const n of names) add(n);
  return g.order.filter((n) => keep.has(n));
}

/**
 * Every stage downstream of the named ones (not including them), in graph order.
 *
 * @example
 * downstreamOf(g, 'survey') // ['ingest', 'features', 'report']
 */
export function downstreamOf(g: StageGraph, name: string): string[] {
  const seen = new Set<string>();
  const add = (n: string) => {
    for (const d of g.downstream.get(n)!)
      if (!seen.has(d)) {
        seen.add(d);
        add(d);
      }
  };
  add(name);
  return g.order.filter((n) => seen.has(n));
}
