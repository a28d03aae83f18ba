import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';

/**
 * `skybook ray delete ID [--json]`: removes an ended job's record and logs from the cluster.
 *
 * @example
 * skybook ray delete raysubmit_abc
 */
export const rayDelete: Command = {
  name: 'ray delete',
  usage: 'skybook ray delete ID [--address URL] [--json]',
  summary: "delete an ended Ray job's record and logs (Ray refuses a job that is still pending or running)",
  flags: [
    { flag: 'ID', help: 'the submission id (or job id)' },
    RAY_ADDRESS_FLAG,
    { flag: '--json', help: 'print {"submission_id", "deleted"}' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['id'], values: ['address'], switches: ['json'] });
    const id = args.positionals.id!;
    const deleted = await rayClient(args.values).delete(id);
    io.stdout(
      args.switches.has('json') ? toJson({ submission_id: id, deleted }, 2) + '\n' : `${id}: ${deleted ? 'deleted' : 'not deleted'}\n`,
    );
    return 0;
  },
};
