import { FitsFile, fitsStats } from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson, warningsOf } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

/**
 * `skybook fits stats FILE [--hdu NAME|N] [--json]`: every HDU (or one) with its header cards, as the file has them,
 * checksum verdicts, and per column / image count, NaN count, min, max, sum (exact for integers) and countTrue.
 *
 * @example
 * skybook fits stats zall-pix-iron.fits --hdu ZCATALOG --json
 */
export const fitsStatsCommand: Command = {
  name: 'fits stats',
  usage: 'skybook fits stats FILE [--hdu NAME|N] [--json]',
  summary: 'header cards and per column / image: count, nanCount, min, max, sum, countTrue',
  flags: [
    { flag: 'FILE', help: 'the FITS file: a path (.gz and .fz too), an http(s):// URL or s3://BUCKET/KEY' },
    { flag: '--hdu NAME|N', help: 'only this HDU, by EXTNAME or index (default: every HDU)' },
    {
      flag: '--json',
      help: 'one JSON document: { file, hdus: [{ index, name, type, cards, checksum, datasum, image, table }] }; int64 as strings',
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['file'], values: ['hdu'], switches: ['json'] });
    const json = args.switches.has('json');
    const fits = await FitsFile.open(args.positionals.file!);
    const progress = progressFor(io, !json);
    try {
      const doc = await fitsStats(fits, { hdu: args.values.hdu, progress });
      progress.finish();
      if (json) {
        io.stdout(toJson({ ...doc, ...warningsOf(io) }) + '\n');
        return 0;
      }
      for (const h of doc.hdus) {
        const cards = fits.hdus[h.index]!.header.cards;
        io.stdout(`HDU ${h.index} ${h.name} ${h.type}  checksum ${h.checksum}, datasum ${h.datasum}, ${cards.length} cards\n`);
        // the cards as the file writes them (a CONTINUE group is one card of several 80-column lines)
        for (const c of cards) for (const line of c.image.match(/.{1,80}/g) ?? []) io.stdout(`  ${line.trimEnd()}\n`);
        if (h.image)
          io.stdout(
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
          io.stdout(`${h.table.rows} rows\n`);
          io.stdout(
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
        io.stdout('\n');
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
