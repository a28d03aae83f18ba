import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Float64, Int64, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import { writeFits } from '../../lib/fits/writer/index.js';
import { Rng } from '../../lib/core/index.js';

const SPECTYPES = ['GALAXY', 'QSO', 'STAR'] as const;

/** One file of a redrock-like set: its path, rows and first TARGETID (each file's ids are its own range). */
export interface SetFile {
  path: string;
  rows: number;
  firstTargetid: bigint;
}

/**
 * A redrock-like REDSHIFTS table (TARGETID, Z, ZERR, ZWARN, CHI2, SPECTYPE, DELTACHI2) of `rows` rows with TARGETIDs
 * from `firstTargetid` up, seeded; `badRows` get a negative ZERR (quarantined under `--schema redrock`); `drop` leaves a
 * column out.
 */
export function redrockTable(rows: number, firstTargetid: bigint, seed: number, opts: { badRows?: number[]; drop?: string } = {}): Table {
  const rng = Rng.for(seed, 'redrock-table');
  const rnd = () => rng.uniform();
  const bad = new Set(opts.badRows ?? []);
  const cols: Record<string, Vector> = {
    TARGETID: vectorFromArray(
      Array.from({ length: rows }, (_, i) => firstTargetid + BigInt(i)),
      new Int64(),
    ),
    Z: vectorFromArray(
      Array.from({ length: rows }, () => rnd() * 3),
      new Float64(),
    ),
    ZERR: vectorFromArray(
      Array.from({ length: rows }, (_, i) => (bad.has(i) ? -1e-4 : rnd() * 1e-3)),
      new Float64(),
    ),
    ZWARN: vectorFromArray(
      Array.from({ length: rows }, () => 0n),
      new Int64(),
    ),
    CHI2: vectorFromArray(
      Array.from({ length: rows }, () => rnd() * 1e4),
      new Float64(),
    ),
    SPECTYPE: vectorFromArray(
      Array.from({ length: rows }, () => SPECTYPES[Math.floor(rnd() * 3)]!),
      new Utf8(),
    ),
    DELTACHI2: vectorFromArray(
      Array.from({ length: rows }, () => rnd() * 100),
      new Float64(),
    ),
  };
  if (opts.drop) delete cols[opts.drop];
  return new Table(cols);
}

/**
 * Writes `count` redrock-like files under `dir` in `count / perFolder` healpix-like folders
 * (`dir/<k>/redrock-<i>.fits`), 20 to 59 rows each (seeded), TARGETIDs disjoint across files.
 */
export async function writeRedrockSet(dir: string, count: number, seed = 20, perFolder = 100): Promise<SetFile[]> {
  const rng = Rng.for(seed, 'redrock-set');
  const out: SetFile[] = [];
  let next = 39_627_000_000_000_000n;
  for (let i = 0; i < count; i++) {
    const folder = join(dir, String(Math.floor(i / perFolder)).padStart(3, '0'));
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    const rows = 20 + rng.int(40);
    const path = join(folder, `redrock-${String(i).padStart(5, '0')}.fits`);
    await writeFits(path, [{ kind: 'table', table: redrockTable(rows, next, seed * 100_000 + i), name: 'REDSHIFTS' }], {
      overwrite: true,
      checksum: false,
    });
    out.push({ path, rows, firstTargetid: next });
    next += BigInt(rows);
  }
  return out;
}
