import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { skybookVersion } from '../../core/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { kernelSpec, userDataDir, writeKernelSpec } from './kernel-spec.js';

/**
 * `skybook kernel install [--user|--prefix DIR] [--json]`: writes the `skybook` kernelspec. Its kernel.json holds
 * absolute paths (this Node, this clone's dist/kernel/main.js), so the output says so: after moving the clone or
 * changing Node, install again (`skybook kernel doctor` finds a stale one).
 *
 * @example
 * skybook kernel install --user
 */
export const kernelInstall: Command = {
  name: 'kernel install',
  usage: 'skybook kernel install [--user|--prefix DIR] [--json]',
  summary:
    'registers the `skybook` Jupyter kernel ("TypeScript (skybook)"); kernel.json holds absolute paths: install again after moving the clone',
  flags: [
    { flag: '--user', help: "Jupyter's per-user folder (the default): $JUPYTER_DATA_DIR, else ~/.local/share/jupyter" },
    { flag: '--prefix DIR', help: 'DIR/share/jupyter/kernels/skybook instead (put DIR/share/jupyter on JUPYTER_PATH)' },
    { flag: '--json', help: 'print { name, file, spec } as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], switches: ['user', 'json'], values: ['prefix'] });
    const prefix = args.values.prefix;
    if (prefix !== undefined && args.switches.has('user'))
      throw new UsageError('--user and --prefix exclude each other; give one', { option: 'prefix', value: prefix });
    if (prefix === '') throw new UsageError("--prefix needs a folder, got ''", { option: 'prefix', value: '' });
    const spec = kernelSpec(skybookVersion());
    if (!existsSync(spec.argv[1]!))
      throw new UsageError(`the kernel entry ${spec.argv[1]} is missing; build skybook first (npm run build)`);
    const dataDir = prefix !== undefined ? join(resolve(prefix), 'share', 'jupyter') : userDataDir();
    const file = writeKernelSpec(dataDir, spec);
    if (args.switches.has('json')) io.stdout(toJson({ name: 'skybook', file, spec }, 2) + '\n');
    else {
      io.stdout(`Installed kernelspec skybook ("${spec.display_name}") in ${file}\n`);
      io.stdout(
        `It runs ${spec.argv[0]} ${spec.argv[1]}: absolute paths, so after moving or deleting this clone (or changing Node) ` +
          'run skybook kernel install again; skybook kernel doctor checks it.\n',
      );
      if (prefix !== undefined)
        io.stdout(`Jupyter finds it when ${join(resolve(prefix), 'share', 'jupyter')} is on JUPYTER_PATH (or PREFIX is its sys.prefix).\n`);
    }
    return 0;
  },
};
