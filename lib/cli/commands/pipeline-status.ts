import { loadPipeline, PIPELINE_FILE, pipelineStatus } from '../../pipeline/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { PIPELINE_FILE_FLAG } from '../pipeline-options.js';
import type { Command } from './command.js';

/**
 * `skybook pipeline status`: which stages are stale and why, from stats and the hash cache, without running anything.
 *
 * @example
 * skybook pipeline status --json | jq '.[] | select(.state == "stale")'
 */
export const pipelineStatusCommand: Command = {
  name: 'pipeline status',
  usage: 'skybook pipeline status [-f FILE] [--json]',
  summary: 'lists stale stages and why (changed deps, code, params, missing outs); exit 0 whether or not any is stale',
  flags: [PIPELINE_FILE_FLAG, { flag: '--json', help: 'print [{ name, state, reasons }] for every stage in run order' }],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['file'], switches: ['json'], aliases: { f: 'file' } });
    const states = pipelineStatus(loadPipeline(args.values.file ?? PIPELINE_FILE));
    if (args.switches.has('json')) {
      io.stdout(toJson(states, 2) + '\n');
      return 0;
    }
    const stale = states.filter((s) => s.state !== 'up to date');
    if (!stale.length) io.stdout(`all ${states.length} stages up to date\n`);
    for (const s of stale) io.stdout(`${s.name}: ${s.state}\n${s.reasons.map((r) => `    ${r}\n`).join('')}`);
    return 0;
  },
};
