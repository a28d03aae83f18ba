import { FitsFile, summarizeHdu } from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson, warningsOf } from '../output.js';
import type { Command } from './command.js';

/** Where `fits info`'s summary has always been found; it lives in lib/fits now, shared with `store.inventory`. */
export { summarizeHdu, type HduSummary } from '../../fits/index.js';

export const fitsInfo: Command = {
  name: 'fits info',
  usage: 'skybook fits info FILE [--json]',
  summary: 'HDU list: index, name, type, naxis/rows, columns',
  flags: [
    { flag: 'FILE', help: 'the FITS file: a path (.gz and .fz too), an http(s):// URL or s3://BUCKET/KEY' },
    { flag: '--json', help: 'one JSON document: { file, hdus: [{ index, name, ver, type, naxis, dtype, rows, columns }] }' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['file'], switches: ['json'] });
    const fits = await FitsFile.open(args.positionals.file!);
    try {
      const hdus = fits.hdus.map(summarizeHdu);
      if (args.switches.has('json')) {
        io.stdout(toJson({ file: fits.name, hdus, ...warningsOf(io) }) + '\n');
      } else {
        io.stdout(
          textTable(
            ['#', 'name', 'type', 'shape / rows', 'dtype / columns'],
            hdus.map((h) => [
              h.index,
              h.name,
              h.type,
              h.naxis ? h.naxis.join(' x ') || '(no data)' : `${h.rows} rows`,
              h.dtype ??
                `${h.columns!.length} columns: ${h
                  .columns!.map((c) => `${c.name}(${c.tform})`)
                  .join(' ')
                  .slice(0, 100)}`,
            ]),
          ) + '\n',
        );
      }
      return 0;
    } finally {
      await fits.close();
    }
  },
};
