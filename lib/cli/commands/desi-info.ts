import { desiInfo } from '../../desi/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

/**
 * `skybook desi info PATH [--json]`: what DESI product a file is (zcatalog, redrock, coadd, spectra, sdss-spec) and
 * its summary. Unknown files exit 2 naming the file and the HDUs that were expected.
 *
 * @example
 * skybook desi info coadd-main-dark-27247.fits --json
 */
export const desiInfoCommand: Command = {
  name: 'desi info',
  usage: 'skybook desi info PATH [--json]',
  summary: 'what DESI product a file is, and its summary',
  async run(argv, out) {
    const args = parseArgs(argv, { positionals: ['path'], switches: ['json'] });
    const info = await desiInfo(args.positionals.path!);
    if (args.switches.has('json')) {
      const { file: _file, ...rest } = info;
      out.stdout(toJson(rest) + '\n');
      return 0;
    }
    const lines = [
      `${info.file}: ${info.product}`,
      `  survey ${info.survey ?? '-'}, program ${info.program ?? '-'}, healpix ${info.healpix ?? '-'}`,
      `  ${info.nspec} ${info.product === 'zcatalog' || info.product === 'redrock' ? 'redshifts' : 'spectra'}; first TARGETIDs: ${info.targetids.join(', ') || '-'}`,
      ...Object.entries(info.arms).map(([arm, a]) => `  arm ${arm}: ${a.nwave} pixels, ${a.wmin.toFixed(1)}-${a.wmax.toFixed(1)} A`),
      `  ${info.columns.length} columns: ${info.columns.join(' ')}`,
    ];
    out.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
