import type { Pipeline } from './pipeline-file.js';
import { stageGraph } from './stage-graph.js';

/**
 * The stage graph as text: one line per stage in run order, with what it needs and its kind.
 *
 * @example
 * dagText(p) // 'survey     (cmd)\ningest     (cmd)       <- survey\n...'
 */
export function dagText(p: Pipeline): string {
  const g = stageGraph(p);
  const width = Math.max(...g.order.map((n) => n.length));
  return g.order
    .map((n) => {
      const s = g.byName.get(n)!;
      const ups = g.upstream.get(n)!;
      const kind = s.kind === 'cmd' ? '(cmd)' : `(notebook ${s.notebook})`;
      return `${n.padEnd(width)}  ${kind}${ups.length ? `  <- ${ups.join(', ')}` : ''}`;
    })
    .join('\n');
}

/**
 * The stage graph as a Mermaid flowchart (for docs/ and READMEs that render Mermaid): one node per stage, an edge per
 * dependency, labelled by the files that carry it.
 *
 * @example
 * dagMermaid(p) // 'flowchart TD\n  survey["survey"]\n  survey --> ingest\n...'
 */
export function dagMermaid(p: Pipeline): string {
  const g = stageGraph(p);
  const id = (n: string) => `s_${n.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const lines = ['flowchart TD'];
  for (const n of g.order) {
    const s = g.byName.get(n)!;
    lines.push(`  ${id(n)}["${n}${s.kind === 'notebook' ? '<br/><small>notebook</small>' : ''}"]`);
  }
  for (const n of g.order) for (const u of g.upstream.get(n)!) lines.push(`  ${id(u)} --> ${id(n)}`);
  return lines.join('\n');
}
