import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { RAY_ADDRESS_FLAG, rayClient } from '../ray-options.js';
import type { Command } from './command.js';

/**
 * `skybook ray stop ID [--wait] [--json]`: asks Ray to stop a job (SIGTERM, then SIGKILL after 3 s).
 *
 * @example
 * skybook ray stop raysubmit_abc --wait
 */
export const rayStop: Command = {
  name: 'ray stop',
  usage: 'skybook ray stop ID [--address URL] [--wait] [--json]',
  summary: 'stop a Ray job (pending or running); --wait until it has stopped',
  flags: [
    { flag: 'ID', help: 'the submission id (or job id)' },
    RAY_ADDRESS_FLAG,
    { flag: '--wait', help: 'wait until the job is in a final state' },
    { flag: '--json', help: 'print {"submission_id", "stopped", "status"}' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['id'], values: ['address'], switches: ['wait', 'json'] });
    const ray = rayClient(args.values);
    const id = args.positionals.id!;
    const stopped = await ray.stop(id);
    const status = args.switches.has('wait') ? (await ray.wait(id)).status : (await ray.status(id)).status;
    io.stdout(
      args.switches.has('json')
        ? toJson({ submission_id: id, stopped, status }, 2) + '\n'
        : `${id}: ${stopped ? 'stop asked' : 'had already ended'}, ${status}\n`,
    );
    return 0;
  },
};
