import { parseArgs } from '../args.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';

/**
 * `skybook ray logs ID [--follow]`: a job's log; with --follow, as it is written until the job ends.
 *
 * @example
 * skybook ray logs raysubmit_abc --follow
 */
export const rayLogs: Command = {
  name: 'ray logs',
  usage: 'skybook ray logs ID [--address URL] [--follow]',
  summary: "a Ray job's log, whole or followed live until the job ends (an error if the dashboard goes away first)",
  flags: [
    { flag: 'ID', help: 'the submission id (or job id)' },
    RAY_ADDRESS_FLAG,
    { flag: '--follow', help: 'stream the log as it is written until the job ends' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['id'], values: ['address'], switches: ['follow'] });
    const ray = rayClient(args.values);
    if (args.switches.has('follow')) for await (const chunk of ray.tailLogs(args.positionals.id!)) io.stdout(chunk);
    else io.stdout(await ray.logs(args.positionals.id!));
    return 0;
  },
};
