import {
  compressedImageShape,
  describeAsciiColumns,
  describeColumns,
  FitsFile,
  type HduInfo,
  imageAxes,
  pixelScaling,
} from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson, warningsOf } from '../output.js';
import type { Command } from './command.js';

export interface HduSummary {
  index: number;
  name: string;
  ver: number;
  type: string;
  naxis: number[] | null;
  dtype: string | null;
  rows: number | null;
  columns: { name: string; tform: string }[] | null;
}

/** What `skybook fits info` says of one HDU: no data is read (compressed images: only their header). */
export function summarizeHdu(h: HduInfo): HduSummary {
  const base = { index: h.index, name: h.name, ver: h.ver, type: h.type, naxis: null, dtype: null, rows: null, columns: null };
  if (h.type === 'IMAGE' || h.type === 'RANDOM_GROUPS') return { ...base, naxis: imageAxes(h), dtype: pixelScaling(h.header).dtype };
  if (h.type === 'COMPRESSED_IMAGE') {
    const s = compressedImageShape(h);
    return { ...base, naxis: s.naxis, dtype: s.dtype };
  }
  const cols =
    h.type === 'TABLE'
      ? describeAsciiColumns(h).map((c) => ({ name: c.name, tform: c.tform }))
      : describeColumns(h.header).map((c) => ({ name: c.name, tform: c.tformText.trim() }));
  return { ...base, rows: h.header.int('NAXIS2'), columns: cols };
}

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
