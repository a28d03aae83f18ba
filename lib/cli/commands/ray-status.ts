import type { RayJobDetails } from '../../ray/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';

/** One job as a line: id, status, times, entrypoint, message. */
export function jobLine(d: RayJobDetails): string {
  const id = d.submission_id ?? d.job_id ?? '?';
  const took = d.start_time && d.end_time ? ` ${((d.end_time - d.start_time) / 1000).toFixed(1)} s` : '';
  return `${id}  ${d.status}${took}  ${d.entrypoint}${d.message ? `  (${d.message.split('\n')[0]})` : ''}`;
}

/**
 * `skybook ray status ID [--json]`: a job's state as Ray reports it.
 *
 * @example
 * skybook ray status raysubmit_abc --json | jq .status
 */
export const rayStatus: Command = {
  name: 'ray status',
  usage: 'skybook ray status ID [--address URL] [--json]',
  summary: "a Ray job's status, times, entrypoint and message",
  flags: [
    { flag: 'ID', help: 'the submission id (or job id)' },
    RAY_ADDRESS_FLAG,
    { flag: '--json', help: "print Ray's job details as JSON" },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['id'], values: ['address'], switches: ['json'] });
    const d = await rayClient(args.values).status(args.positionals.id!);
    io.stdout(args.switches.has('json') ? toJson(d, 2) + '\n' : jobLine(d) + '\n');
    return 0;
  },
};
