import { dagMermaid, dagText, loadPipeline, PIPELINE_FILE, stageGraph } from '../../pipeline/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { PIPELINE_FILE_FLAG } from '../pipeline-options.js';
import type { Command } from './command.js';

/**
 * `skybook pipeline dag`: the stage graph as text, Mermaid or JSON.
 *
 * @example
 * skybook pipeline dag --mermaid > docs/pipeline-graph.mmd
 */
export const pipelineDag: Command = {
  name: 'pipeline dag',
  usage: 'skybook pipeline dag [-f FILE] [--mermaid] [--json]',
  summary: 'prints the stage graph: one line per stage in run order with what it needs, or a Mermaid flowchart',
  flags: [
    PIPELINE_FILE_FLAG,
    { flag: '--mermaid', help: 'a Mermaid flowchart (for docs that render Mermaid)' },
    { flag: '--json', help: 'print { order, edges: [[from, to]...] }' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['file'], switches: ['json', 'mermaid'], aliases: { f: 'file' } });
    const p = loadPipeline(args.values.file ?? PIPELINE_FILE);
    if (args.switches.has('json')) {
      const g = stageGraph(p);
      const edges = g.order.flatMap((n) => g.upstream.get(n)!.map((u) => [u, n]));
      io.stdout(toJson({ order: g.order, edges }, 2) + '\n');
    } else io.stdout((args.switches.has('mermaid') ? dagMermaid(p) : dagText(p)) + '\n');
    return 0;
  },
};
