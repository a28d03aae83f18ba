import { FitsFile } from '../../fits/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson, warningsOf } from '../output.js';
import type { Command } from './command.js';

export const fitsVerify: Command = {
  name: 'fits verify',
  usage: 'skybook fits verify FILE [--json]',
  summary: 'CHECKSUM/DATASUM per HDU; exit 1 on a mismatch',
  flags: [
    { flag: 'FILE', help: 'the FITS file: a path (.gz and .fz too), an http(s):// URL or s3://BUCKET/KEY' },
    { flag: '--json', help: 'one JSON document: { file, ok, hdus: [{ index, name, checksum, datasum }] }, each ok, bad or absent' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['file'], switches: ['json'] });
    const fits = await FitsFile.open(args.positionals.file!);
    try {
      const rows: { index: number; name: string; checksum: string; datasum: string }[] = [];
      for (const h of fits.hdus) rows.push({ index: h.index, name: h.name, ...(await fits.verify(h.index)) });
      const bad = rows.filter((r) => r.checksum === 'bad' || r.datasum === 'bad');
      if (args.switches.has('json')) io.stdout(toJson({ file: fits.name, ok: bad.length === 0, hdus: rows, ...warningsOf(io) }) + '\n');
      else {
        io.stdout(
          textTable(
            ['#', 'name', 'CHECKSUM', 'DATASUM'],
            rows.map((r) => [r.index, r.name, r.checksum, r.datasum]),
          ) + '\n',
        );
        io.stdout(bad.length ? `${fits.name}: ${bad.length} HDU(s) fail verification\n` : `${fits.name}: ok\n`);
      }
      return bad.length ? 1 : 0;
    } finally {
      await fits.close();
    }
  },
};
