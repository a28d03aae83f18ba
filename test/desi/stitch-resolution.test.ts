import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { applyResolution, convolveWithResolution, readSpectra, stitchArms, type Spectra } from '../../lib/desi/index.js';
import { HAVE_ASTROPY, NO_ASTROPY_MESSAGE, runPython } from '../helpers/astropy.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

const COADD = join(FIXTURES, 'desi', 'coadd-special-dark-27247.fits');

/** Two arms on a 1 A grid overlapping at 13..15, one spectrum, chosen masks. */
function twoArms(): Spectra {
  const arm = (w0: number, flux: number[], ivar: number[], mask: number[]) => ({
    wavelength: Float64Array.from(flux, (_, j) => w0 + j),
    nwave: flux.length,
    flux: Float32Array.from(flux),
    ivar: Float32Array.from(ivar),
    mask: Uint32Array.from(mask),
    ndiag: 0,
  });
  return {
    product: 'mock',
    nspec: 1,
    targetids: BigInt64Array.of(1n),
    bands: ['B', 'R'],
    source: 'test',
    fibermap: new Table({ TARGETID: makeVector(BigInt64Array.of(1n)) }),
    arms: {
      // B: 10..15; R: 13..18
      B: arm(10, [1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 2, 0], [0, 0, 0, 0, 0, 0]),
      R: arm(13, [10, 20, 30, 40, 50, 60], [3, 2, 1, 1, 1, 1], [0, 4, 0, 0, 0, 0]),
    },
  };
}

describe('stitchArms', () => {
  it('inverse-variance weights overlaps and leaves out masked and ivar-0 pixels', () => {
    const s = stitchArms(twoArms());
    expect(Array.from(s.wavelength)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
    // 13: (4*1 + 10*3)/4 ; 14: R masked -> B only ; 15: B ivar 0 -> R only
    expect(Array.from(s.flux)).toEqual([1, 2, 3, Math.fround(34 / 4), 5, 30, 40, 50, 60]);
    expect(Array.from(s.ivar)).toEqual([1, 1, 1, 4, 2, 1, 1, 1, 1]);
    expect(Array.from(s.mask)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a pixel with nothing good keeps flux 0, ivar 0 and the OR of the masks', () => {
    const sp = twoArms();
    sp.arms.B!.mask[4] = 1;
    const s = stitchArms(sp);
    expect([s.flux[4], s.ivar[4], s.mask[4]]).toEqual([0, 0, 5]);
  });

  it('rejects a tolerance that merges pixels of one arm', () => {
    expect(() => stitchArms(twoArms(), { tolerance: 1.5 })).toThrow(/merges neighbouring pixels/);
  });

  it.skipIf(!HAVE_FIXTURES)(HAVE_FIXTURES ? 'stitches the real coadd onto the DR1 3600-9824 A grid' : NO_FIXTURES_MESSAGE, async () => {
    const sp = await readSpectra(COADD, { resolution: false });
    const s = stitchArms(sp);
    expect(s.nwave).toBe(7781);
    expect(s.wavelength[0]).toBe(3600);
    expect(s.wavelength[7780]).toBeCloseTo(9824, 6);
    const B = sp.arms.B!;
    const R = sp.arms.R!;
    // outside the overlaps: the arm values themselves (where good)
    for (const j of [0, 100, 2699]) if (B.mask[j] === 0 && B.ivar[j]! > 0) expect(s.flux[j]).toBe(B.flux[j]);
    // in the B/R overlap (5760-5800 A, B pixels 2700..2750 = R pixels 0..50): the weighted mean
    let checked = 0;
    for (let k = 0; k <= 50; k++) {
      const jb = 2700 + k;
      const wb = B.mask[jb] === 0 ? B.ivar[jb]! : 0;
      const wr = R.mask[k] === 0 ? R.ivar[k]! : 0;
      if (wb + wr === 0) continue;
      expect(s.ivar[jb]).toBe(Math.fround(wb + wr));
      expect(s.flux[jb]).toBe(Math.fround((wb * B.flux[jb]! + wr * R.flux[k]!) / (wb + wr)));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('applyResolution', () => {
  it('uses offsets ndiag//2 - d on a hand-made 3-diagonal matrix', () => {
    // data[d][j] = R[j - off_d][j], offsets [1, 0, -1]; R = [[b0, a1, 0], [c0, b1, a2], [0, c1, b2]]
    const a = [0, 2, 3]; // superdiagonal values live at columns 1, 2
    const b = [4, 5, 6]; // main diagonal
    const c = [7, 8, 0]; // subdiagonal values live at columns 0, 1
    const out = applyResolution([...a, ...b, ...c], 3, [1, 10, 100]);
    expect(Array.from(out)).toEqual([4 * 1 + 2 * 10, 7 * 1 + 5 * 10 + 3 * 100, 8 * 10 + 6 * 100]);
  });

  it('rejects a resolution of the wrong size', () => {
    expect(() => applyResolution(new Float32Array(10), 11, new Float64Array(5))).toThrow(/expected ndiag \(11\) x nwave \(5\)/);
  });

  it.skipIf(!HAVE_FIXTURES || !HAVE_ASTROPY)(
    !HAVE_FIXTURES
      ? NO_FIXTURES_MESSAGE
      : !HAVE_ASTROPY
        ? NO_ASTROPY_MESSAGE
        : 'matches a dense numpy reimplementation of scipy dia_matrix on the real B/R/Z resolution',
    async () => {
      const sp = await readSpectra(COADD);
      const dir = mkdtempSync(join(tmpdir(), 'skybook-res-'));
      try {
        for (const band of ['B', 'R', 'Z']) {
          const arm = sp.arms[band]!;
          // a model with narrow lines and a slope, so every diagonal matters
          const model = Float64Array.from(
            arm.wavelength,
            (w) =>
              1 +
              w / 1e4 +
              5 * Math.exp(-0.5 * ((w - arm.wavelength[Math.floor(arm.nwave / 3)]!) / 1.2) ** 2) +
              3 * Math.exp(-0.5 * ((w - arm.wavelength[arm.nwave - 3]!) / 0.9) ** 2),
          );
          writeFileSync(join(dir, `model-${band}.f8`), Buffer.from(model.buffer));
          const ours = convolveWithResolution(sp, band, 0, model);
          runPython(
            `
import sys, numpy as np
from astropy.io import fits
band, d = sys.argv[1], sys.argv[2]
data = fits.getdata(sys.argv[3], band + '_RESOLUTION')[0].astype(np.float64)   # [ndiag, nwave]
ndiag, n = data.shape
offsets = ndiag // 2 - np.arange(ndiag)
A = np.zeros((n, n))
for k, off in enumerate(offsets):          # scipy dia_matrix: data[k, j] is A[j - offsets[k], j]
    for j in range(n):
        i = j - off
        if 0 <= i < n:
            A[i, j] = data[k, j]
m = np.fromfile(d + '/model-' + band + '.f8', dtype='<f8')
(A @ m).astype('<f8').tofile(d + '/out-' + band + '.f8')
`,
            [band, dir, COADD],
          );
          const want = new Float64Array(readFileSync(join(dir, `out-${band}.f8`)).buffer.slice(0));
          expect(want.length).toBe(arm.nwave);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - want[i]!));
          expect(worst, band).toBeLessThan(1e-9);
          // and R really blurs: the convolved line peak is lower than the model's
          const p = Math.floor(arm.nwave / 3);
          expect(ours[p]!).toBeLessThan(model[p]!);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
