import { FitsFile, fitsStats } from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson, warningsOf } from '../output.js';
import { progressBar } from '../progress.js';
import type { Command } from './command.js';

export const fitsStatsCommand: Command = {
  name: 'fits stats',
  usage: 'skybook fits stats FILE [--hdu NAME|N] [--json]',
  summary: 'header cards and per column / image: count, nanCount, min, max, sum, countTrue',
  async run(argv, out) {
    const args = parseArgs(argv, { positionals: ['file'], values: ['hdu'], switches: ['json'] });
    const json = args.switches.has('json');
    const fits = await FitsFile.open(args.positionals.file!);
    const progress = progressBar(!json);
    try {
      const doc = await fitsStats(fits, { hdu: args.values.hdu, progress });
      progress.finish();
      if (json) {
        out.stdout(toJson({ ...doc, ...warningsOf(out) }) + '\n');
        return 0;
      }
      for (const h of doc.hdus) {
        out.stdout(`HDU ${h.index} ${h.name} ${h.type}  checksum ${h.checksum}, datasum ${h.datasum}, ${h.cards.length} cards\n`);
        if (h.image)
          out.stdout(
            textTable(
              ['naxis', 'dtype', 'count', 'nan', 'min', 'max', 'sum'],
              [
                [
                  h.image.naxis.join('x'),
                  h.image.dtype,
                  h.image.count,
                  h.image.nanCount,
                  fmt(h.image.min),
                  fmt(h.image.max),
                  fmt(h.image.sum),
                ],
              ],
            ) + '\n',
          );
        if (h.table) {
          out.stdout(`${h.table.rows} rows\n`);
          out.stdout(
            textTable(
              ['column', 'tform', 'count', 'nulls', 'nan', 'min', 'max', 'sum', 'true'],
              h.table.columns.map((c) => [
                c.name,
                c.tform,
                c.count,
                c.nullCount,
                c.nanCount,
                fmt(c.min),
                fmt(c.max),
                fmt(c.sum),
                c.countTrue,
              ]),
            ) + '\n',
          );
        }
        out.stdout('\n');
      }
      return 0;
    } finally {
      progress.finish();
      await fits.close();
    }
  },
};

function fmt(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return `(${v.join(', ')})`;
  return v as string | number;
}
