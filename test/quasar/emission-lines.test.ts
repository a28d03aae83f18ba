import { describe, expect, it } from 'vitest';
import { EMISSION_LINES, emissionLine, LYMAN, MGII_DOUBLET, type EmissionLineName } from '../../lib/quasar/index.js';

describe('EMISSION_LINES (DOMAIN.md: SDSS vacuum rest wavelengths)', () => {
  const table: [EmissionLineName, string, number, boolean][] = [
    ['LYA', 'Lya', 1215.67, false],
    ['NV', 'NV', 1240.81, false],
    ['SIIV', 'SiIV+OIV]', 1398.0, false],
    ['CIV', 'CIV', 1549.48, false],
    ['HEII_1640', 'HeII', 1640.42, false],
    ['CIII', 'CIII]', 1908.73, false],
    ['MGII', 'MgII', 2800.32, false],
    ['OII_3727', '[OII]', 3727.09, true],
    ['OII_3730', '[OII]', 3729.88, true],
    ['NEIII', '[NeIII]', 3869.86, true],
    ['HD', 'Hdelta', 4102.89, false],
    ['HG', 'Hgamma', 4341.68, false],
    ['OIII_4364', '[OIII]', 4364.44, true],
    ['HEII_4687', 'HeII', 4686.99, false],
    ['HB', 'Hbeta', 4862.68, false],
    ['OIII_4960', '[OIII]', 4960.29, true],
    ['OIII_5008', '[OIII]', 5008.24, true],
    ['OI', '[OI]', 6302.05, true],
    ['NII_6550', '[NII]', 6549.86, true],
    ['HA', 'Halpha', 6564.61, false],
    ['NII_6585', '[NII]', 6585.27, true],
    ['SII_6718', '[SII]', 6718.29, true],
    ['SII_6733', '[SII]', 6732.68, true],
  ];
  it.each(table)('%s: %s %s A, forbidden %s', (name, label, rest, forbidden) => {
    expect(emissionLine(name)).toEqual({ name, label, rest, forbidden });
  });

  it('lists every line once, by increasing wavelength; forbidden lines are exactly the bracketed ones', () => {
    expect(EMISSION_LINES.map((l) => l.name)).toEqual(table.map((t) => t[0]));
    for (let i = 1; i < EMISSION_LINES.length; i++) expect(EMISSION_LINES[i]!.rest).toBeGreaterThan(EMISSION_LINES[i - 1]!.rest);
    for (const l of EMISSION_LINES) expect(l.forbidden).toBe(l.label.startsWith('['));
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => emissionLine('CIV_1549' as EmissionLineName)).toThrow(/invalid emission line: CIV_1549 \(one of LYA, NV/);
  });

  it('holds the absorption rest wavelengths the mock uses', () => {
    expect(MGII_DOUBLET).toEqual([2796.35, 2803.53]);
    expect(LYMAN).toEqual({ beta: 1025.72, limit: 911.75 });
  });
});
