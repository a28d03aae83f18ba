import type { Table } from 'apache-arrow';
import { VoidsError } from '../errors/index.js';
import { FitsFile } from '../fits/index.js';
import { bigint64Column, columnName, int32Column, type TableSource } from './table-columns.js';

/**
 * A V2 (ZOBOV-family: REVOLVER, VIDE) void catalogue's three linked tables, as VAST's vsquared writes them and the
 * DESIVAST DR1 V2 files hold them (column names in either case):
 * - VOIDS: one row per void, `void` its id (then x, y, z, redshift, ra, dec, radius, ellipsoid axes, ...);
 * - ZONEVOID: one row per watershed zone, `zone`, `void0` (the smallest void holding the zone) and `void1` (the
 *   largest, top-level one), -1 for none;
 * - GALZONE: one row per galaxy, `gal`, `target` (TARGETID, when the input had one), x, y, z, `zone` (-1 for none),
 *   `depth`, `edge`, `out` (1: outside the survey mask).
 *
 * @example
 * const tables = await readV2Catalogue('DESIVAST_BGS_VOLLIM_V2_REVOLVER_NGC.fits');
 */
export interface V2Tables {
  voids: Table;
  zoneVoid: Table;
  galZone: Table;
  /** The file the tables came from, for messages. */
  file?: string;
}

/**
 * Each GALZONE galaxy's zone and void: `zone` (-1: in no zone), `void` (void0, the smallest void holding its zone;
 * -1: not in a void), `topVoid` (void1, the largest), `out` (1: outside the survey mask, as GALZONE says), and the
 * galaxy's `gal` and `target` ids when GALZONE has them (target as exact int64). `counts`: galaxies in a void, not in a
 * void, and in no zone.
 *
 * @example
 * const m = zoneMembership(tables); m.void[i] >= 0 // galaxy i of GALZONE is a void galaxy
 */
export interface ZoneMembership {
  zone: Int32Array;
  void: Int32Array;
  topVoid: Int32Array;
  out: Int32Array | undefined;
  gal: BigInt64Array | undefined;
  target: BigInt64Array | undefined;
  counts: { inVoid: number; notInVoid: number; noZone: number };
}

/**
 * Maps every galaxy of a V2 catalogue to its zone and void, as VAST's V2 catalogue class does (a galaxy is a void
 * galaxy when its zone's void0 is not -1): zones are looked up by their `zone` value (a join, not a row position), and
 * every zone and void id must resolve: a GALZONE zone missing from ZONEVOID, or a ZONEVOID void missing from VOIDS,
 * is a VoidsError naming the file, HDU, column and row.
 *
 * @example
 * const m = zoneMembership(await readV2Catalogue('DESIVAST_BGS_VOLLIM_V2_VIDE_SGC.fits'));
 * console.log(m.counts.inVoid, 'of', m.zone.length, 'galaxies are in voids');
 */
export function zoneMembership(tables: V2Tables): ZoneMembership {
  const at = (hdu: string): TableSource => (tables.file === undefined ? { hdu } : { file: tables.file, hdu });
  const voidIds = new Set(int32Column(tables.voids, 'void', at('VOIDS')));
  const zones = int32Column(tables.zoneVoid, 'zone', at('ZONEVOID'));
  const void0 = int32Column(tables.zoneVoid, 'void0', at('ZONEVOID'));
  const void1 = int32Column(tables.zoneVoid, 'void1', at('ZONEVOID'));
  const rowOfZone = new Map<number, number>();
  for (let r = 0; r < zones.length; r++) {
    const z = zones[r]!;
    if (rowOfZone.has(z))
      throw new VoidsError(`zone ${z} appears twice (rows ${rowOfZone.get(z)} and ${r})`, { ...at('ZONEVOID'), column: 'zone', row: r });
    rowOfZone.set(z, r);
    for (const [name, ids] of [
      ['void0', void0],
      ['void1', void1],
    ] as const) {
      const v = ids[r]!;
      if (v !== -1 && !voidIds.has(v)) throw new VoidsError(`void ${v} is not in VOIDS`, { ...at('ZONEVOID'), column: name, row: r });
    }
  }
  const galZone = tables.galZone;
  const zone = int32Column(galZone, 'zone', at('GALZONE'));
  const n = zone.length;
  const voidOf = new Int32Array(n);
  const topVoid = new Int32Array(n);
  const counts = { inVoid: 0, notInVoid: 0, noZone: 0 };
  for (let g = 0; g < n; g++) {
    const z = zone[g]!;
    if (z === -1) {
      voidOf[g] = -1;
      topVoid[g] = -1;
      counts.noZone++;
      continue;
    }
    const r = rowOfZone.get(z);
    if (r === undefined) throw new VoidsError(`zone ${z} is not in ZONEVOID`, { ...at('GALZONE'), column: 'zone', row: g });
    voidOf[g] = void0[r]!;
    topVoid[g] = void1[r]!;
    if (voidOf[g] === -1) counts.notInVoid++;
    else counts.inVoid++;
  }
  const optional = <T>(name: string, read: () => T): T | undefined => (columnName(galZone, name) === undefined ? undefined : read());
  return {
    zone,
    void: voidOf,
    topVoid,
    out: optional('out', () => int32Column(galZone, 'out', at('GALZONE'))),
    gal: optional('gal', () => bigint64Column(galZone, 'gal', at('GALZONE'))),
    target: optional('target', () => bigint64Column(galZone, 'target', at('GALZONE'))),
    counts,
  };
}

/**
 * The GALZONE row of each TARGETID (exact int64), -1 for one the catalogue does not have: how to carry V2 membership
 * over to another table of the same galaxies. A TARGETID that appears twice in GALZONE is a VoidsError naming both rows.
 *
 * @example
 * const rows = rowsOfTargets(m, zcat.getChild('TARGETID').toArray());
 * const voidOfEach = rows.map((r) => (r < 0 ? -1 : m.void[r]));
 */
export function rowsOfTargets(membership: Pick<ZoneMembership, 'target'>, targetids: BigInt64Array): Int32Array {
  const target = membership.target;
  if (!target)
    throw new VoidsError('GALZONE has no target column: its galaxies cannot be matched by TARGETID', { hdu: 'GALZONE', column: 'target' });
  // Sort GALZONE's ids once; each look-up is then a binary search (no Map of a million bigints).
  const order = Int32Array.from({ length: target.length }, (_, i) => i).sort((a, b) =>
    target[a]! < target[b]! ? -1 : target[a]! > target[b]! ? 1 : a - b,
  );
  for (let k = 1; k < order.length; k++)
    if (target[order[k]!] === target[order[k - 1]!])
      throw new VoidsError(`target ${target[order[k]!]} appears twice (rows ${order[k - 1]} and ${order[k]})`, {
        hdu: 'GALZONE',
        column: 'target',
        row: order[k]!,
      });
  const out = new Int32Array(targetids.length);
  for (let i = 0; i < targetids.length; i++) {
    const t = targetids[i]!;
    let lo = 0;
    let hi = order.length - 1;
    out[i] = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = target[order[mid]!]!;
      if (v === t) {
        out[i] = order[mid]!;
        break;
      }
      if (v < t) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

/**
 * Reads a V2 catalogue's VOIDS, ZONEVOID and GALZONE tables from its FITS file (VAST's `..._V2_{REVOLVER,VIDE}_Output
 * .fits`, or the DESIVAST DR1 V2 files); a missing HDU is a VoidsError naming the file and listing the HDUs it has.
 *
 * @example
 * const m = zoneMembership(await readV2Catalogue('DESIVAST_BGS_VOLLIM_V2_REVOLVER_NGC.fits'));
 */
export async function readV2Catalogue(path: string): Promise<V2Tables & { file: string }> {
  const fits = await FitsFile.open(path);
  try {
    const read = async (hdu: string): Promise<Table> => {
      const info = fits.hdus.find((h) => h.name.toUpperCase() === hdu);
      if (!info)
        throw new VoidsError(
          `no ${hdu} HDU: not a V2 void catalogue (the file has ${fits.hdus.map((h) => h.name || `#${h.index}`).join(', ')})`,
          {
            file: path,
          },
        );
      return fits.readTable(info.index);
    };
    return { voids: await read('VOIDS'), zoneVoid: await read('ZONEVOID'), galZone: await read('GALZONE'), file: path };
  } finally {
    await fits.close();
  }
}
