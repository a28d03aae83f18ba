import type { RayJobDetails } from '../../ray/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { JOB_FLAGS, JOB_LISTS, JOB_VALUES, jobSpecFrom, RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import { withLedgerRun } from '../ledger-hook.js';
import type { Command } from './command.js';

/**
 * `skybook ray submit [--working-dir DIR] [--submission-id ID] [--env K=V]... [--num-cpus N] [--wait] [--json] -- ENTRYPOINT...`:
 * a job onto a Ray cluster, its working_dir packaged as Ray names it (uploaded only when the cluster lacks it).
 *
 * @example
 * skybook ray submit --working-dir jobs --wait -- python fanout.py --shards 'runs/*.fits'
 */
export const raySubmit: Command = {
  name: 'ray submit',
  usage:
    'skybook ray submit [--address URL] [--working-dir DIR] [--exclude PATTERN]... [--submission-id ID] [--env K=V]... [--pip REQ]... [--metadata K=V]... [--num-cpus N] [--num-gpus N] [--memory BYTES] [--resource NAME=N]... [--wait] [--json] -- ENTRYPOINT...',
  summary: 'submit a job to a Ray cluster (working_dir packaged as Ray names it); --wait streams its log and exits by its outcome',
  flags: [
    RAY_ADDRESS_FLAG,
    {
      flag: '--working-dir DIR',
      help: 'a local folder packed (honouring .gitignore, .rayignore) and uploaded unless Ray has it; or a URI Ray can fetch',
    },
    { flag: '--exclude PATTERN', help: 'a gitwildmatch pattern left out of the working_dir (repeatable)' },
    ...JOB_FLAGS,
    { flag: '--wait', help: 'stream the log until the job ends; exit 0 on SUCCEEDED, 1 on FAILED or STOPPED' },
    { flag: '--json', help: 'print {"submission_id", "job_id", "status", "package"} (the log goes to stderr with --wait)' },
    { flag: 'ENTRYPOINT', help: 'the command line the job runs, after --' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: [],
      variadic: true,
      values: ['address', ...JOB_VALUES],
      repeatable: [...JOB_LISTS],
      switches: ['wait', 'json'],
    });
    const v = args.values;
    const spec = jobSpecFrom(args);
    const json = args.switches.has('json');
    const ray = rayClient(v);
    const { job, final, status } = await withLedgerRun(
      {
        kind: 'ray-job',
        name: spec.submissionId ?? spec.entrypoint.slice(0, 80),
        params: { address: ray.address, entrypoint: spec.entrypoint },
      },
      async () => {
        const job = await ray.submit(spec);
        const pkg = job.package
          ? { uri: job.package.uri, files: job.package.files, bytes: job.package.bytes, uploaded: job.package.uploaded }
          : null;
        if (!json)
          io.stderr(
            `submitted ${job.submissionId} to ${ray.address}${pkg ? ` (working_dir ${pkg.uri}, ${pkg.files} files, ${pkg.uploaded ? 'uploaded' : 'already on the cluster'})` : ''}\n`,
          );
        let final: RayJobDetails | undefined;
        if (args.switches.has('wait')) {
          const log = json ? io.stderr : io.stdout;
          for await (const chunk of ray.tailLogs(job.submissionId)) log(chunk);
          final = await ray.wait(job.submissionId);
          if (!json) io.stderr(`${job.submissionId}: ${final.status}${final.message ? ` (${final.message})` : ''}\n`);
        }
        const status = final?.status ?? (await ray.status(job.submissionId)).status;
        return { job, final, status };
      },
      (r) => ({
        status: !r.final
          ? 'completed'
          : r.final.status === 'SUCCEEDED'
            ? 'completed'
            : r.final.status === 'STOPPED'
              ? 'interrupted'
              : 'failed',
        error: r.final && r.final.status !== 'SUCCEEDED' ? `${r.final.status}${r.final.message ? `: ${r.final.message}` : ''}` : undefined,
      }),
    );
    const pkg = job.package
      ? { uri: job.package.uri, files: job.package.files, bytes: job.package.bytes, uploaded: job.package.uploaded }
      : null;
    if (json)
      io.stdout(
        toJson({ submission_id: job.submissionId, job_id: job.jobId, status, message: final?.message ?? null, package: pkg }, 2) + '\n',
      );
    else if (!final) io.stdout(`${job.submissionId}\n`);
    return final && final.status !== 'SUCCEEDED' ? 1 : 0;
  },
};
