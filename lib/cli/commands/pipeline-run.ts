import { loadPipeline, PIPELINE_FILE, type PipelineEvent, runPipeline } from '../../pipeline/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { PIPELINE_FILE_FLAG, stopPipelineOnSignals } from '../pipeline-options.js';
import { wholeNumber } from '../ray-options.js';
import { progressFor } from '../stdio.js';
import type { Command, CommandIO } from './command.js';

/**
 * `skybook pipeline run [STAGE...]`: brings a pipeline up to date, running only stale stages.
 *
 * @example
 * skybook pipeline run --jobs 2 --json | jq '.stages[] | select(.status == "ran") | .name'
 */
export const pipelineRun: Command = {
  name: 'pipeline run',
  usage: 'skybook pipeline run [STAGE...] [-f FILE] [--force] [--jobs N] [--json]',
  summary:
    'runs the stale stages of skybook.pipeline.yaml in dependency order (parallel where independent), skips the rest; writes skybook.lock and the run ledger',
  flags: [
    { flag: 'STAGE...', help: 'bring these stages (and the stages they need) up to date; default: every stage' },
    PIPELINE_FILE_FLAG,
    { flag: '--force', help: 'run the named stages (or every stage) even when up to date' },
    { flag: '-j, --jobs N', help: 'stages run at once where independent (default 1)' },
    {
      flag: '--json',
      help: 'print {"stages": [{"name", "status": "ran"|"skipped"|"failed", "seconds", "reason"}], "ok", "interrupted", "run"}',
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      variadic: true,
      values: ['file', 'jobs'],
      switches: ['force', 'json'],
      aliases: { f: 'file', j: 'jobs' },
    });
    const stages = args.rest;
    const json = args.switches.has('json');
    const p = loadPipeline(args.values.file ?? PIPELINE_FILE);
    const stop = stopPipelineOnSignals(io, 'pipeline run');
    const progress = progressFor(io, !json);
    let result;
    try {
      result = await runPipeline(p, {
        stages,
        force: args.switches.has('force'),
        jobs: wholeNumber(args.values, 'jobs', 1) || 1,
        signal: stop.signal,
        progress,
        onEvent: json ? undefined : (e) => showEvent(io, e),
      });
    } finally {
      progress.finish();
      stop.dispose();
    }
    if (json) io.stdout(toJson({ stages: result.stages, ok: result.ok, interrupted: result.interrupted, run: result.runId }, 2) + '\n');
    else {
      const count = (s: string) => result.stages.filter((r) => r.status === s).length;
      io.stderr(`skybook pipeline run: ${count('ran')} ran, ${count('skipped')} skipped, ${count('failed')} failed\n`);
    }
    return result.ok ? 0 : 1;
  },
};

/** A stage's start, its output lines prefixed with its name, its end: what a person watching a run wants to see. */
export function showEvent(io: CommandIO, e: PipelineEvent): void {
  if (e.kind === 'restored') io.stderr(`restored the old outs of stage ${e.stage} (an earlier run was killed mid-stage)\n`);
  else if (e.kind === 'start') io.stderr(`== ${e.stage}: running (${e.reasons.join('; ')})\n`);
  else if (e.kind === 'line') io.stderr(`[${e.stage}] ${e.line}\n`);
  else {
    const r = e.result;
    io.stderr(
      `== ${r.name}: ${r.status}${r.status === 'ran' ? ` in ${r.seconds.toFixed(1)} s` : ''}${r.status !== 'ran' ? ` (${r.reason})` : ''}\n`,
    );
  }
}
