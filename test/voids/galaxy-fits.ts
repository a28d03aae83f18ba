/** Hand-built galaxy tables for CLI tests: one BINTABLE of float64 (D) or float32 (E) columns, big-endian. */
import { block, card, concat, PRIMARY, padData } from '../helpers/tiny-fits.js';

export function galaxyFits(columns: Record<string, number[]>, opts: { float32?: boolean } = {}): Uint8Array {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]!]!.length : 0;
  const width = opts.float32 ? 4 : 8;
  const cards = [
    card('XTENSION', 'BINTABLE'),
    card('BITPIX', 8),
    card('NAXIS', 2),
    card('NAXIS1', width * names.length),
    card('NAXIS2', rows),
    card('PCOUNT', 0),
    card('GCOUNT', 1),
    card('TFIELDS', names.length),
    ...names.flatMap((n, i) => [card(`TTYPE${i + 1}`, n), card(`TFORM${i + 1}`, opts.float32 ? '1E' : '1D')]),
    card('EXTNAME', 'GALAXIES'),
    card('END'),
  ];
  const data = new Uint8Array(width * names.length * rows);
  const dv = new DataView(data.buffer);
  for (let r = 0; r < rows; r++)
    names.forEach((n, c) => {
      const at = (r * names.length + c) * width;
      if (opts.float32) dv.setFloat32(at, columns[n]![r]!);
      else dv.setFloat64(at, columns[n]![r]!);
    });
  return concat(PRIMARY, block(cards.join('')), padData(data));
}
