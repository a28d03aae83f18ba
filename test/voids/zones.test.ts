import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Table, tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/index.js';
import { readV2Catalogue, rowsOfTargets, zoneMembership } from '../../lib/voids/zones.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-zones-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A small V2 catalogue in DESIVAST's layout (upper-case names, int64 ids): voids 0 and 1, void 1 nested in void 0's
 * region; zones 0..4 where zone 3 belongs to no void and zone 4's ids are out of order on purpose; galaxies spread
 * over the zones, one in no zone.
 */
function desivastTables(): { voids: Table; zoneVoid: Table; galZone: Table } {
  const voids = tableFromArrays({
    VOID: BigInt64Array.of(0n, 1n),
    X: Float64Array.of(10, 40),
    Y: Float64Array.of(0, 0),
    Z: Float64Array.of(0, 0),
    REDSHIFT: Float64Array.of(0.01, 0.02),
    RA: Float64Array.of(0, 0),
    DEC: Float64Array.of(0, 0),
    RADIUS: Float64Array.of(20, 8),
  });
  // ZONE, VOID0 (smallest void), VOID1 (largest): rows not in zone order
  const zoneVoid = tableFromArrays({
    ZONE: BigInt64Array.of(0n, 1n, 2n, 4n, 3n),
    VOID0: BigInt64Array.of(0n, 1n, 0n, 1n, -1n),
    VOID1: BigInt64Array.of(0n, 0n, 0n, 0n, -1n),
  });
  const galZone = tableFromArrays({
    GAL: BigInt64Array.of(0n, 1n, 2n, 3n, 4n, 5n, 6n),
    TARGET: BigInt64Array.of(39627770000000001n, 39627770000000002n, 9007199254740993n, 5n, 39627770000000007n, 6n, 7n),
    X: Float64Array.of(1, 2, 3, 4, 5, 6, 7),
    Y: Float64Array.of(0, 0, 0, 0, 0, 0, 0),
    Z: Float64Array.of(0, 0, 0, 0, 0, 0, 0),
    ZONE: BigInt64Array.of(0n, 1n, 4n, 3n, -1n, 2n, 3n),
    DEPTH: BigInt64Array.of(0n, 1n, 0n, 0n, 0n, 2n, 0n),
    EDGE: BigInt64Array.of(0n, 0n, 0n, 1n, 0n, 0n, 0n),
    OUT: BigInt64Array.of(0n, 0n, 0n, 0n, 1n, 0n, 0n),
  });
  return { voids, zoneVoid, galZone };
}

describe('zoneMembership', () => {
  it('maps each galaxy to its zone, its smallest void (void0) and its top-level void (void1), joining zones by id', () => {
    const m = zoneMembership(desivastTables());
    expect(Array.from(m.zone)).toEqual([0, 1, 4, 3, -1, 2, 3]);
    expect(Array.from(m.void)).toEqual([0, 1, 1, -1, -1, 0, -1]);
    expect(Array.from(m.topVoid)).toEqual([0, 0, 0, -1, -1, 0, -1]);
    expect(m.counts).toEqual({ inVoid: 4, notInVoid: 2, noZone: 1 });
    expect(m.target![2]).toBe(9007199254740993n); // beyond 2^53: exact
    expect(Array.from(m.out!)).toEqual([0, 0, 0, 0, 1, 0, 0]);
  });

  it('reads VAST-style lower-case tables the same way', () => {
    const t = desivastTables();
    const lower = (table: Table) =>
      tableFromArrays(Object.fromEntries(table.schema.fields.map((f) => [f.name.toLowerCase(), table.getChild(f.name)!.toArray()])));
    const m = zoneMembership({ voids: lower(t.voids), zoneVoid: lower(t.zoneVoid), galZone: lower(t.galZone) });
    expect(Array.from(m.void)).toEqual([0, 1, 1, -1, -1, 0, -1]);
  });

  it('finds GALZONE rows by TARGETID, exactly', () => {
    const m = zoneMembership(desivastTables());
    const rows = rowsOfTargets(m, BigInt64Array.of(9007199254740993n, 9007199254740992n, 39627770000000007n, 6n));
    expect(Array.from(rows)).toEqual([2, -1, 4, 5]);
  });

  it('refuses ids that do not resolve, naming HDU, column and row', () => {
    const t = desivastTables();
    const badZone = tableFromArrays({
      ...Object.fromEntries(['GAL', 'X'].map((k) => [k, t.galZone.getChild(k)!.toArray()])),
      ZONE: BigInt64Array.of(0n, 9n, 0n, 0n, 0n, 0n, 0n),
    });
    expect(() => zoneMembership({ ...t, galZone: badZone, file: 'v2.fits' })).toThrow(
      'v2.fits: HDU GALZONE: column zone: row 1: zone 9 is not in ZONEVOID',
    );
    const badVoid = tableFromArrays({ ZONE: BigInt64Array.of(0n, 1n), VOID0: BigInt64Array.of(0n, 7n), VOID1: BigInt64Array.of(0n, 0n) });
    expect(() => zoneMembership({ ...t, zoneVoid: badVoid })).toThrow('HDU ZONEVOID: column void0: row 1: void 7 is not in VOIDS');
    const noTarget = zoneMembership({
      ...t,
      galZone: tableFromArrays({ GAL: BigInt64Array.of(0n, 1n), ZONE: BigInt64Array.of(0n, 0n) }),
    });
    expect(() => rowsOfTargets(noTarget, BigInt64Array.of(1n))).toThrow(/no target column/);
  });

  it('reads the three HDUs from a FITS file, and names a missing one', async () => {
    const t = desivastTables();
    const file = join(dir, 'v2.fits');
    await writeFits(file, [
      { kind: 'image' },
      { kind: 'table', table: t.voids, name: 'VOIDS' },
      { kind: 'table', table: t.zoneVoid, name: 'ZONEVOID' },
      { kind: 'table', table: t.galZone, name: 'GALZONE' },
    ]);
    const m = zoneMembership(await readV2Catalogue(file));
    expect(Array.from(m.void)).toEqual([0, 1, 1, -1, -1, 0, -1]);
    const partial = join(dir, 'partial.fits');
    await writeFits(partial, [{ kind: 'image' }, { kind: 'table', table: t.voids, name: 'VOIDS' }]);
    await expect(readV2Catalogue(partial)).rejects.toThrow(
      `${partial}: no ZONEVOID HDU: not a V2 void catalogue (the file has PRIMARY, VOIDS)`,
    );
  });
});
