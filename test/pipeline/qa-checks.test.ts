import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/index.js';
import { PipelineError } from '../../lib/errors/index.js';
import { parseChecksFile, runQaChecks, type QaReport } from '../../lib/pipeline/index.js';
import { openStore } from '../../lib/store/index.js';
import { storeTestFile, tempDir } from '../store/store-helpers.js';
import { BAD, everyCheck, loadZcatTables, REF, zcatTable } from './qa-helpers.js';

const { engines } = storeTestFile(__filename, 'qa.duckdb');

/** Runs checks text against a store opened read-only, as `skybook qa` opens it. */
async function check(url: string, text: string): Promise<QaReport> {
  const store = await openStore(url, { readOnly: true, create: false });
  try {
    return await runQaChecks(parseChecksFile(text, 'CHECKS.yaml'), store);
  } finally {
    await store.close();
  }
}

const byName = (rep: QaReport) => new Map(rep.results.map((r) => [r.name, r]));

describe.each(engines)('QA checks in $name', ({ url }) => {
  beforeAll(async () => {
    await loadZcatTables(url());
  });

  it('every check kind passes on good data, each with a stable name', async () => {
    const rep = await check(url(), everyCheck('zcat'));
    expect(rep.results.map((r) => [r.name, r.passed])).toEqual([
      ['zcat.rows', true],
      ['zcat.Z.null_rate', true],
      ['zcat.Z.nan_rate', true],
      ['zcat.Z.range', true],
      ['zcat.SPECTYPE.enum', true],
      ['zcat.good_redshift_fraction', true],
      ['zcat.Z.drift', true],
    ]);
    expect(rep.passed).toBe(true);
    const r = byName(rep);
    expect(r.get('zcat.rows')!.value).toBe('2000');
    expect(r.get('zcat.Z.null_rate')!.value).toBe(0);
    expect(r.get('zcat.Z.range')!.value).toBe('0');
    expect(r.get('zcat.Z.drift')!.value as number).toBeLessThan(0.1);
    // the good fraction exactly as counted from the table itself
    const t = zcatTable(2000, 1);
    const zw = t.getChild('ZWARN')!.toArray() as BigInt64Array;
    const dc = t.getChild('DELTACHI2')!.toArray() as Float64Array;
    const good = zw.filter((w, i) => w === 0n && dc[i]! >= 25).length;
    expect(r.get('zcat.good_redshift_fraction')!.value).toBe(good / 2000);
  });

  it('every check kind breaches on injected bad data, naming the check and its value', async () => {
    const rep = await check(url(), everyCheck('zcat_bad'));
    expect(rep.passed).toBe(false);
    expect(rep.results.every((r) => !r.passed)).toBe(true);
    const r = byName(rep);
    const n = BAD.rows;
    expect(r.get('zcat_bad.rows')).toMatchObject({ value: String(n), threshold: { min: 100, max: 1e7 } });
    expect(r.get('zcat_bad.rows')!.message).toBe('80 rows, allowed in [100, 10000000]');
    expect(r.get('zcat_bad.Z.null_rate')).toMatchObject({ value: 2 / n, column: 'Z', check: 'null_rate' });
    expect(r.get('zcat_bad.Z.null_rate')!.message).toContain('2 of 80 rows null');
    expect(r.get('zcat_bad.Z.nan_rate')).toMatchObject({ value: 3 / n });
    expect(r.get('zcat_bad.Z.range')).toMatchObject({ value: '2', observed: { max: 9.5 } });
    expect(r.get('zcat_bad.Z.range')!.message).toMatch(/^2 of 80 rows outside \[-0\.01, 7\] \(min [\d.]+, max 9\.5\)$/);
    expect(r.get('zcat_bad.SPECTYPE.enum')).toMatchObject({ value: '2', observed: { values: ['XSO'] } });
    expect(r.get('zcat_bad.SPECTYPE.enum')!.message).toBe('2 of 80 rows not in {GALAXY, QSO, STAR}: XSO (2)');
    expect(r.get('zcat_bad.good_redshift_fraction')!.value as number).toBeLessThan(0.8);
    expect(r.get('zcat_bad.Z.drift')!.value as number).toBeGreaterThan(0.1);
    expect(r.get('zcat_bad.Z.drift')!.message).toMatch(
      /^KS D = [\d.]+ \(p = .+\) between zcat_bad\.Z \(n = 75\) and zcat_ref\.z \(n = 2000\), allowed <= 0\.1$/,
    );
  });

  it('a where filter, a named entry, numeric allowed values and a second entry for one table', async () => {
    const rep = await check(
      url(),
      `checks:
  - table: zcat
    name: qso
    where: "SPECTYPE = 'QSO' and Z > 0.5"
    rows: { min: 1 }
    columns:
      Z: { range: { min: 0.5, max: 3.5 } }
      ZWARN: { enum: [0, 4], nan_rate: { max: 0 } }
  - table: zcat
    columns:
      ZWARN: { enum: [0] }
`,
    );
    const r = byName(rep);
    const t = zcatTable(2000, 1);
    const types = t.getChild('SPECTYPE')!.toArray() as string[];
    const zs = t.getChild('Z')!.toArray() as Float64Array;
    const qso = types.filter((s, i) => s === 'QSO' && zs[i]! > 0.5).length;
    expect(r.get('qso.rows')!.value).toBe(String(qso));
    expect(r.get('qso.Z.range')!.passed).toBe(true);
    expect(r.get('qso.ZWARN.enum')!.passed).toBe(true);
    expect(r.get('qso.ZWARN.nan_rate')).toMatchObject({ value: 0, passed: true });
    const flagged = (t.getChild('ZWARN')!.toArray() as BigInt64Array).filter((w) => w !== 0n).length;
    expect(r.get('zcat.ZWARN.enum')).toMatchObject({ value: String(flagged), passed: false, observed: { values: ['4'] } });
  });

  it('a missing table, a missing column and a filter the engine refuses are bad input (exit 2) at their line and column', async () => {
    const fail = async (text: string) => {
      const e = await check(url(), text).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PipelineError);
      expect((e as PipelineError).exitCode).toBe(2);
      return (e as PipelineError).message;
    };
    expect(await fail('checks:\n  - table: nosuch\n    rows: { min: 1 }\n')).toMatch(
      /^CHECKS\.yaml: table nosuch: line 2: col 12: no table nosuch in /,
    );
    expect(await fail('checks:\n  - table: zcat\n    columns:\n      ZZ: { null_rate: { max: 0 } }\n')).toMatch(
      /^CHECKS\.yaml: table zcat: column ZZ: line 4: col 7: no column ZZ \(it has targetid, z, zwarn, deltachi2, spectype/,
    );
    expect(await fail('checks:\n  - table: zcat\n    where: "nosuchcol > 1"\n    rows: { min: 1 }\n')).toMatch(
      /^CHECKS\.yaml: line 3: col 12: where: .*nosuchcol/i,
    );
    expect(await fail('checks:\n  - table: zcat\n    columns:\n      SPECTYPE: { range: { min: 0 } }\n')).toMatch(
      /column SPECTYPE: line 4: col 7: range: column SPECTYPE is not numeric/,
    );
  });
});

describe('drift against reference files (DuckDB)', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const url = () => `duckdb:${join(tmp.dir, 'files.duckdb')}`;

  beforeAll(async () => {
    await loadZcatTables(url());
    // the reference as a Parquet file (DuckDB's COPY) and as a FITS table HDU (skybook's writer), same values
    const store = await openStore(url());
    await store.run(`copy (select z as "Z" from zcat_ref) to '${join(tmp.dir, 'ref.parquet')}' (format parquet)`);
    await store.close();
    const ref = zcatTable(REF.rows, REF.seed);
    await writeFits(join(tmp.dir, 'zall.fits'), [{ kind: 'table', name: 'ZCATALOG', table: ref.select(['Z']) }]);
  });

  it('a Parquet file and a FITS HDU, relative to the checks file, give the statistic the reference table gives', async () => {
    const checks = (ref: string) =>
      parseChecksFile(
        `checks:\n  - table: zcat_bad\n    drift:\n      - { column: Z, reference: ${ref}, ks: { max: 0.1 } }\n`,
        join(tmp.dir, 'CHECKS.yaml'),
      );
    const store = await openStore(url(), { readOnly: true, create: false });
    try {
      const [table, parquet, fits] = await Promise.all(
        ['{ table: zcat_ref }', '{ parquet: ref.parquet }', '{ file: zall.fits, hdu: ZCATALOG }'].map(
          async (ref) => (await runQaChecks(checks(ref), store)).results[0]!,
        ),
      );
      expect(table!.passed).toBe(false);
      expect(parquet!.value).toBe(table!.value);
      expect(fits!.value).toBe(table!.value);
      expect(parquet!.message).toContain('ref.parquet:Z (n = 2000)');
      expect(fits!.message).toContain('zall.fits[ZCATALOG]:Z (n = 2000)');
      const missing = await runQaChecks(checks('{ parquet: nope.parquet }'), store).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(PipelineError);
      expect((missing as PipelineError).message).toMatch(/line 4: col 9: reference .*nope\.parquet/);
    } finally {
      await store.close();
    }
  });
});
