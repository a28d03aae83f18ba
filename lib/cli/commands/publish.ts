import { UsageError } from '../../errors/index.js';
import { publishRun } from '../../provenance/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { byteSize } from './run.js';

/** `skybook publish`: a recorded run as an RO-Crate bundle a reviewer can re-run. @example await publish.run(['runs/a.provenance.json', '--out', 'bundle'], io) */
export const publish: Command = {
  name: 'publish',
  usage: 'skybook publish RUN.provenance.json --out BUNDLE/ [--zip] [--max-input-size SIZE] [--json]',
  summary: 'writes an RO-Crate bundle of a run (notebooks, HTML page, manifest, lockfile, environment, inputs) that skybook verify re-runs',
  flags: [
    { flag: 'RUN.provenance.json', help: 'the manifest `skybook run` wrote beside its executed notebook' },
    { flag: '--out BUNDLE/', help: 'the bundle folder to write (required); an earlier bundle there is replaced' },
    { flag: '--zip', help: 'also write BUNDLE.zip, byte for byte the same for the same run' },
    {
      flag: '--max-input-size SIZE',
      help: 'inputs and outputs up to SIZE (512K, 50M, 2G) are copied in, larger ones listed with location and sha256 (default 50M)',
    },
    { flag: '--json', help: 'print what was written (bundle, zip, each file copied or listed) as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['manifest'], values: ['out', 'max-input-size'], switches: ['zip', 'json'] });
    const out = args.values.out;
    if (!out) throw new UsageError('missing --out BUNDLE/', { option: 'out' });
    const rep = await publishRun(args.positionals.manifest!, {
      out,
      zip: args.switches.has('zip'),
      maxInputSize: byteSize('max-input-size', args.values['max-input-size']),
    });
    if (args.switches.has('json')) {
      io.stdout(toJson(rep) + '\n');
      return 0;
    }
    const listed = rep.files.filter((f) => !f.bundlePath);
    io.stdout(`published ${args.positionals.manifest} -> ${rep.bundle} (${rep.contents.length} files)\n`);
    for (const f of listed) io.stdout(`listed, not copied: ${f.location} (${f.size} bytes, sha256 ${f.sha256.slice(0, 12)})\n`);
    if (rep.zip) io.stdout(`zip: ${rep.zip}\n`);
    return 0;
  },
};
