import { PIPELINE_FILE, watchPipeline } from '../../pipeline/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { PIPELINE_FILE_FLAG, stopPipelineOnSignals } from '../pipeline-options.js';
import { wholeNumber } from '../ray-options.js';
import { UsageError } from '../../errors/index.js';
import type { Command } from './command.js';
import { showEvent } from './pipeline-run.js';

/**
 * `skybook pipeline watch`: re-runs stale stages whenever a dep changes or new files land in a dep folder.
 *
 * @example
 * skybook pipeline watch --interval 60   # a new DR1 file under data/ re-runs what reads data/
 */
export const pipelineWatch: Command = {
  name: 'pipeline watch',
  usage: 'skybook pipeline watch [-f FILE] [--interval S] [--jobs N] [--max-runs N] [--json]',
  summary:
    're-runs stale stages when a dep changes or a new file appears in a dep folder; one run at a time (a lock file keeps two watchers from racing)',
  flags: [
    PIPELINE_FILE_FLAG,
    { flag: '--interval S', help: 'seconds between checks (default 5); a check stats deps and rehashes only what changed' },
    { flag: '-j, --jobs N', help: 'stages run at once where independent (default 1)' },
    { flag: '--max-runs N', help: 'stop after N runs (default: until Ctrl-C)' },
    { flag: '--json', help: 'print one JSON object per event: {"event": "checked"|"run"|"busy"|"error", ...}' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      values: ['file', 'interval', 'jobs', 'max-runs'],
      switches: ['json'],
      aliases: { f: 'file', j: 'jobs' },
    });
    const interval = args.values.interval === undefined ? 5 : Number(args.values.interval);
    if (!(interval > 0)) throw UsageError.invalid('interval', args.values.interval!, 'seconds > 0');
    const json = args.switches.has('json');
    const file = args.values.file ?? PIPELINE_FILE;
    const jobs = wholeNumber(args.values, 'jobs', 1) || 1;
    const maxRuns = wholeNumber(args.values, 'max-runs');
    const stop = stopPipelineOnSignals(io, 'pipeline watch');
    let failedRuns = 0;
    try {
      if (!json) io.stderr(`skybook pipeline watch: watching ${file} every ${interval} s (Ctrl-C to stop)\n`);
      await watchPipeline(file, {
        interval,
        jobs,
        maxRuns,
        signal: stop.signal,
        onEvent: (e) => {
          if (e.kind === 'run' && !e.result.ok) failedRuns++;
          if (json) {
            if (e.kind === 'stage') return;
            const body = e.kind === 'run' ? { stages: e.result.stages, ok: e.result.ok, run: e.result.runId } : e;
            io.stdout(toJson({ event: e.kind, ...body, kind: undefined }) + '\n');
          } else if (e.kind === 'stage') showEvent(io, e.event);
          else if (e.kind === 'busy' || e.kind === 'error') io.stderr(`skybook pipeline watch: ${e.message}\n`);
          else if (e.kind === 'checked' && e.stale.length) io.stderr(`skybook pipeline watch: stale: ${e.stale.join(', ')}\n`);
        },
      });
    } finally {
      stop.dispose();
    }
    return failedRuns ? 1 : 0;
  },
};
