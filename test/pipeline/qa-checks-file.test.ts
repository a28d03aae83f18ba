import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../lib/errors/index.js';
import { parseChecksFile, readChecksFile } from '../../lib/pipeline/index.js';

const GOOD = `checks:
  - table: dr1.zcat
    where: "SPECTYPE = 'QSO'"
    rows: { min: 100, max: 1e7 }
    columns:
      Z: { null_rate: { max: 0.0 }, nan_rate: { max: 0.01 }, range: { min: -0.01, max: 7 } }
      SPECTYPE: { enum: [GALAXY, QSO, STAR] }
    good_redshift_fraction: { min: 0.9 }
    drift:
      - column: Z
        reference: { file: zall.fits, hdu: ZCATALOG }
        ks: { max: 0.1 }
`;

/** The message a bad file gives (a PipelineError, exit code 2). */
function problem(text: string): string {
  try {
    parseChecksFile(text, 'CHECKS.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    expect((e as PipelineError).exitCode).toBe(2);
    return (e as PipelineError).message;
  }
  throw new Error('accepted');
}

describe('the checks file', () => {
  it('reads the documented shape', () => {
    const f = parseChecksFile(GOOD, 'CHECKS.yaml');
    expect(f.checks[0]).toMatchObject({
      table: 'dr1.zcat',
      rows: { min: 100, max: 1e7 },
      columns: { Z: { range: { min: -0.01, max: 7 } }, SPECTYPE: { enum: ['GALAXY', 'QSO', 'STAR'] } },
      drift: [{ column: 'Z', reference: { file: 'zall.fits', hdu: 'ZCATALOG' }, ks: { max: 0.1 } }],
    });
    expect(f.position(['checks', 0, 'columns', 'SPECTYPE'], true)).toEqual({ line: 7, col: 7 });
  });

  it.each([
    ['an unknown key, at the key', GOOD.replace('nan_rate', 'nan_rat'), "line 6: col 37: checks[0].columns.Z: unknown key 'nan_rat'"],
    ['an unknown top-level key', `${GOOD}extra: 1\n`, "line 13: col 1: unknown key 'extra'"],
    [
      'a wrong type, at the value',
      GOOD.replace('max: 7 }', 'max: seven }'),
      'line 6: col 88: checks[0].columns.Z.range.max: expected number, received string',
    ],
    [
      'a rate above 1',
      GOOD.replace('max: 0.01', 'max: 2'),
      'line 6: col 54: checks[0].columns.Z.nan_rate.max: Too big: expected number to be <=1',
    ],
    [
      'bounds with neither end',
      GOOD.replace('{ min: 0.9 }', '{}'),
      'line 8: col 29: checks[0].good_redshift_fraction: give min, max or both',
    ],
    [
      'min above max',
      GOOD.replace('{ min: 100, max: 1e7 }', '{ min: 10, max: 1 }'),
      'line 4: col 11: checks[0].rows: min is greater than max',
    ],
    [
      'a bad table name',
      GOOD.replace('dr1.zcat', 'zcat; drop table x'),
      'line 2: col 12: checks[0].table: a table name: letters, digits and _, optionally schema.table',
    ],
    [
      'a reference of two kinds',
      GOOD.replace('{ file: zall.fits', '{ table: zref, file: zall.fits'),
      'line 11: col 20: checks[0].drift[0].reference: give one of table, parquet or file',
    ],
    [
      'an empty allowed list',
      GOOD.replace('[GALAXY, QSO, STAR]', '[]'),
      'line 7: col 25: checks[0].columns.SPECTYPE.enum: list at least one allowed value',
    ],
    ['no tables', 'checks: []\n', 'line 1: col 9: checks: list at least one table'],
    ['a YAML syntax error', 'checks:\n  - table: zcat\n    rows: { min: 1\n', 'line 4: col 1: invalid YAML: Flow map in block collection'],
    ['a duplicate key', 'checks:\n  - table: zcat\n    table: zcat2\n', 'line 3: col 5: invalid YAML: Map keys must be unique'],
    [
      'two entries whose checks share names',
      'checks:\n  - table: zcat\n  - table: zcat\n',
      'line 3: col 12: checks[1]: its checks would be named like checks[0]',
    ],
  ])('refuses %s with its line and column', (_label, text, want) => {
    expect(problem(text)).toContain(`CHECKS.yaml: ${want}`);
  });

  it('a missing file is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skybook-qa-'));
    try {
      await expect(readChecksFile(join(dir, 'none.yaml'))).rejects.toThrow(`${join(dir, 'none.yaml')}: no such file`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
