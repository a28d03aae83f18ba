import { type Progress, progressOf } from '../core/index.js';
import type { RayJobDetails } from './job-spec.js';
import type { RayJobsClient } from './ray-jobs-client.js';

/**
 * Options of {@link followJob}: where the log goes (default: this process's stdout, which a notebook cell shows as it
 * comes) and the progress display (default: the kernel's, updated in place; silent elsewhere; `false` for none).
 *
 * @example
 * const o: FollowOptions = { onLog: (text) => log.push(text), progress: false };
 */
export interface FollowOptions {
  onLog?: (text: string) => void;
  progress?: Progress | false;
}

/**
 * Watches a job to its end as a person would in a terminal: its log streamed as it is written and one display that
 * says how much has come and what the last line was, settled when the job ends. Returns the final details (a FAILED
 * job is returned, not thrown: its message says why). A dashboard that goes away mid-watch is a RayError.
 *
 * @example
 * const { submissionId } = await ray.submit({ entrypoint: 'python train.py', runtimeEnv: { workingDir: 'jobs/vae' } });
 * const done = await sky.ray.followJob(ray, submissionId); done.status; // 'SUCCEEDED'
 */
export async function followJob(client: RayJobsClient, id: string, options: FollowOptions = {}): Promise<RayJobDetails> {
  const progress = progressOf(options.progress);
  const write = options.onLog ?? ((text: string) => process.stdout.write(text));
  progress.start({ label: `ray job ${id}`, unit: 'log lines' });
  try {
    for await (const chunk of client.tailLogs(id)) {
      write(chunk);
      const lines = chunk.split('\n').filter((l) => l.trim() !== '');
      progress.advance(lines.length, lines.at(-1)?.slice(0, 120));
    }
  } finally {
    progress.finish();
  }
  return client.wait(id);
}
