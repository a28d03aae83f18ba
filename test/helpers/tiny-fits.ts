/**
 * Hand-built FITS bytes for tests that must not depend on our own writer: cards padded to 80 characters, headers and
 * data padded to 2880-byte blocks.
 */
export function card(keyword: string, value?: string | number | boolean, comment?: string): string {
  if (value === undefined) return keyword.padEnd(80).slice(0, 80);
  let v: string;
  if (typeof value === 'string') v = `'${value.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  else if (typeof value === 'boolean') v = (value ? 'T' : 'F').padStart(20);
  else v = String(value).padStart(20);
  return `${keyword.padEnd(8)}= ${v}${comment ? ` / ${comment}` : ''}`.padEnd(80).slice(0, 80);
}

export function block(text: string): Uint8Array {
  const n = Math.ceil(Math.max(text.length, 1) / 2880) * 2880;
  return Buffer.from(text.padEnd(n, ' '), 'latin1');
}

export function padData(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 2880) * 2880);
  out.set(bytes);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const PRIMARY = block([card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 0), card('EXTEND', true), card('END')].join(''));

/**
 * A 3-row BINTABLE: ID (1J), NAME (4A), FLUX (1E), and a variable-length column SPEC (1PJ) with a small heap.
 * `override` replaces header cards by keyword (value `null` drops the card).
 */
export function tinyTable(
  override: Record<string, string | number | null> = {},
  opts: { heapOffsets?: number[]; noEnd?: boolean } = {},
): Uint8Array {
  const cards: [string, string | number | boolean][] = [
    ['XTENSION', 'BINTABLE'],
    ['BITPIX', 8],
    ['NAXIS', 2],
    ['NAXIS1', 20],
    ['NAXIS2', 3],
    ['PCOUNT', 24],
    ['GCOUNT', 1],
    ['TFIELDS', 4],
    ['TTYPE1', 'ID'],
    ['TFORM1', '1J'],
    ['TTYPE2', 'NAME'],
    ['TFORM2', '4A'],
    ['TTYPE3', 'FLUX'],
    ['TFORM3', '1E'],
    ['TTYPE4', 'SPEC'],
    ['TFORM4', '1PJ(2)'],
    ['EXTNAME', 'OBJECTS'],
  ];
  const text =
    cards
      .filter(([k]) => override[k] !== null)
      .map(([k, v]) => card(k, override[k] !== undefined ? (override[k] as string | number) : v))
      .join('') + (opts.noEnd ? '' : card('END'));
  const rows = new Uint8Array(60 + 24);
  const dv = new DataView(rows.buffer);
  const offsets = opts.heapOffsets ?? [0, 8, 16];
  ['M31 ', 'M33 ', 'NGC1'].forEach((name, r) => {
    dv.setInt32(r * 20, r + 1);
    rows.set(Buffer.from(name, 'latin1'), r * 20 + 4);
    dv.setFloat32(r * 20 + 8, 1.5 * (r + 1));
    dv.setInt32(r * 20 + 12, 2); // two heap elements
    dv.setInt32(r * 20 + 16, offsets[r]!);
  });
  for (let i = 0; i < 6; i++) dv.setInt32(60 + 4 * i, 10 * i);
  return concat(PRIMARY, block(text), padData(rows));
}

/**
 * A tile-compressed image (ZIMAGE = T) of `naxis` pixels in tiles of `tile` (FITS order): a primary HDU, then the tile
 * table with one COMPRESSED_DATA descriptor `[count, heap offset]` a row into `heap`, which may point anywhere (hostile
 * tables share or overrun it).
 */
export function tiledImage(o: {
  zbitpix: number;
  naxis: number[];
  tile: number[];
  heap: Uint8Array;
  descriptors: [number, number][];
  cmptype?: string;
  extname?: string;
}): Uint8Array {
  const rows = new Uint8Array(8 * o.descriptors.length);
  const dv = new DataView(rows.buffer);
  o.descriptors.forEach(([count, offset], r) => {
    dv.setInt32(8 * r, count);
    dv.setInt32(8 * r + 4, offset);
  });
  const header = [
    card('XTENSION', 'BINTABLE'),
    card('BITPIX', 8),
    card('NAXIS', 2),
    card('NAXIS1', 8),
    card('NAXIS2', o.descriptors.length),
    card('PCOUNT', o.heap.length),
    card('GCOUNT', 1),
    card('TFIELDS', 1),
    card('TTYPE1', 'COMPRESSED_DATA'),
    card('TFORM1', `1PB(${Math.max(0, ...o.descriptors.map(([c]) => c))})`),
    card('ZIMAGE', true),
    card('ZCMPTYPE', o.cmptype ?? 'GZIP_1'),
    card('ZBITPIX', o.zbitpix),
    card('ZNAXIS', o.naxis.length),
    ...o.naxis.map((n, i) => card(`ZNAXIS${i + 1}`, n)),
    ...o.tile.map((n, i) => card(`ZTILE${i + 1}`, n)),
    card('EXTNAME', o.extname ?? 'SCI'),
    card('END'),
  ].join('');
  return concat(PRIMARY, block(header), padData(concat(rows, o.heap)));
}
