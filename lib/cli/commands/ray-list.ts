import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';
import { jobLine } from './ray-status.js';

/**
 * `skybook ray list [--json]`: every job the cluster knows, oldest first.
 *
 * @example
 * skybook ray list --json | jq '.[] | select(.status == "RUNNING")'
 */
export const rayList: Command = {
  name: 'ray list',
  usage: 'skybook ray list [--address URL] [--json]',
  summary: 'the jobs a Ray cluster knows (submissions and drivers), oldest first',
  flags: [RAY_ADDRESS_FLAG, { flag: '--json', help: "print Ray's details of every job as a JSON array" }],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], values: ['address'], switches: ['json'] });
    const jobs = (await rayClient(args.values).list()).sort((a, b) => (a.start_time ?? 0) - (b.start_time ?? 0));
    io.stdout(args.switches.has('json') ? toJson(jobs, 2) + '\n' : jobs.map(jobLine).join('\n') + (jobs.length ? '\n' : 'no jobs\n'));
    return 0;
  },
};
