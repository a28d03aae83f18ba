import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSdssSpec, readSpectra, spectrumAt } from '../../lib/desi/index.js';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

const SPEC = join(FIXTURES, 'quasar', 'spec-0332-52367-0639.fits');
const ok = HAVE_FIXTURES && HAVE_ASTROPY;

describe.skipIf(!ok)(!HAVE_FIXTURES ? NO_FIXTURES_MESSAGE : !HAVE_ASTROPY ? NO_ASTROPY_MESSAGE : 'SDSS spec file into Spectra', () => {
  it('reads COADD, SPECOBJ and SPZLINE with the values astropy reads', async () => {
    const want = JSON.parse(
      runPython(
        `
import sys, json, numpy as np
from astropy.io import fits
h = fits.open(sys.argv[1])
c = h['COADD'].data
wave = 10 ** c['loglam'].astype(np.float64)
print(json.dumps({
  'n': len(c), 'w0': float(wave[0]), 'w1': float(wave[-1]), 'wmid': float(wave[1234]),
  'flux': [float(x) for x in c['flux'][[0, 1234, -1]]], 'ivar': [float(x) for x in c['ivar'][[0, 1234, -1]]],
  'masksum': int(c['and_mask'].astype(np.int64).sum()), 'masknz': int((c['and_mask'] != 0).sum()),
  'z': float(h['SPECOBJ'].data['Z'][0]), 'specobjid': h['SPECOBJ'].data['SPECOBJID'][0].strip(),
  'lines': [str(x).strip() for x in h['SPZLINE'].data['LINENAME']], 'linewave': [float(x) for x in h['SPZLINE'].data['LINEWAVE']],
}))
`,
        [SPEC],
      ),
    ) as Record<string, never>;
    const s = await readSdssSpec(SPEC);
    const arm = s.spectra.arms.SDSS!;
    expect(s.spectra.product).toBe('sdss-spec');
    expect(s.spectra.bands).toEqual(['SDSS']);
    expect(arm.nwave).toBe(want.n);
    expect(arm.wavelength[0]).toBeCloseTo(want.w0, 9);
    expect(arm.wavelength[1234]).toBeCloseTo(want.wmid, 9);
    expect(arm.wavelength[arm.nwave - 1]).toBeCloseTo(want.w1, 9);
    expect([arm.flux[0], arm.flux[1234], arm.flux[arm.nwave - 1]]).toEqual(want.flux);
    expect([arm.ivar[0], arm.ivar[1234], arm.ivar[arm.nwave - 1]]).toEqual(want.ivar);
    expect(arm.mask.reduce((a, b) => a + b, 0)).toBe(want.masksum);
    expect(arm.mask.filter((m) => m !== 0).length).toBe(want.masknz);
    expect(s.z).toBeCloseTo(want.z, 6);
    expect(s.z).toBeCloseTo(0.1006, 3);
    expect(s.spectra.targetids[0]).toBe(BigInt(want.specobjid));
    expect({ plate: s.plate, mjd: s.mjd, fiber: s.fiber }).toEqual({ plate: 332, mjd: 52367, fiber: 639 });
    expect(s.spzline!.numRows).toBe(29);
    expect(Array.from(s.spzline!.getChild('LINENAME')!.toArray() as string[], (x) => x.trim())).toEqual(want.lines);
    expect(Array.from(s.spzline!.getChild('LINEWAVE')!.toArray() as Float64Array)).toEqual(want.linewave);
    // spectrumAt works on it like on a DESI arm
    expect(spectrumAt(s.spectra, 'SDSS', 0).flux.length).toBe(want.n);
  });

  it('is not mistaken for a DESI spectra file', async () => {
    await expect(readSpectra(SPEC)).rejects.toThrow(/missing HDU 'FIBERMAP'/);
  });
});
