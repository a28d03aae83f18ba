import type { CommandIO, FlagHelp } from './commands/command.js';

/** `-f FILE`: the pipeline file, as every `skybook pipeline` command takes it. */
export const PIPELINE_FILE_FLAG: FlagHelp = {
  flag: '-f, --file FILE',
  help: 'the pipeline file (default skybook.pipeline.yaml in the current folder); paths in it are relative to its folder',
};

/**
 * SIGINT/SIGTERM/SIGHUP stop a pipeline run cleanly: running stages are killed, their old outs put back, the ledger marks
 * them `interrupted`. A second signal quits at once (the next run restores what the first left stashed).
 *
 * @example
 * const stop = stopPipelineOnSignals(io, 'pipeline run'); try { await runPipeline(p, { signal: stop.signal }); } finally { stop.dispose(); }
 */
export function stopPipelineOnSignals(io: CommandIO, command: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const on = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr(`\nskybook ${command}: ${name}: stopping running stages; their old outs are put back (again to quit now)\n`);
    controller.abort(name);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, on);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, on);
    },
  };
}
