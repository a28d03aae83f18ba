import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSdssSpec } from '../../lib/desi/index.js';
import { openFits } from '../../lib/fits/index.js';
import { defaultQuasarTemplatesDir, fitQuasar, loadQuasarTemplates, type QuasarFit } from '../../lib/quasar/index.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

const DIR = join(FIXTURES, 'quasar');
const C_FWHM = 2 * Math.sqrt(2 * Math.LN2);
const TEMPLATES = defaultQuasarTemplatesDir();

/** PyQSOFit's whole-broad-line values for the same spectrum, read from the FITS table beside it. */
async function pyqsofit(): Promise<Record<string, number>> {
  const f = await openFits(join(DIR, '0332-52367-0639_pyqsofit_2021.fits'));
  try {
    const t = await f.readTable(1);
    const out: Record<string, number> = {};
    for (const name of ['Hb_whole_br_fwhm', 'Hb_whole_br_ew', 'Ha_whole_br_fwhm', 'Ha_whole_br_ew', 'L5100', 'Fe_op_norm'])
      out[name] = Number(t.getChild(name)!.get(0));
    return out;
  } finally {
    await f.close();
  }
}

/** Rows [quantity, ours, PyQSOFit, SDSS SPZLINE] and the printed table. */
function compare(fit: QuasarFit, ref: Record<string, number>, sdss: (label: string) => { fwhm: number; ew: number }) {
  const v = fit.values;
  const rows = [
    ['Hb FWHM', v.hb_br_fwhm!, ref.Hb_whole_br_fwhm!, sdss('H_beta').fwhm],
    ['Hb EW', v.hb_br_ew!, ref.Hb_whole_br_ew!, sdss('H_beta').ew],
    ['Ha FWHM', v.ha_br_fwhm!, ref.Ha_whole_br_fwhm!, sdss('H_alpha').fwhm],
    ['Ha EW', v.ha_br_ew!, ref.Ha_whole_br_ew!, sdss('H_alpha').ew],
    ['log L5100', v.log_l5100!, ref.L5100!, Number.NaN],
  ] as const;
  const table = rows
    .map(([k, ours, py, s]) => `${k.padEnd(10)} skybook ${ours.toFixed(2)}  PyQSOFit ${py.toFixed(2)}  SDSS SPZLINE ${s.toFixed(2)}`)
    .join('\n');
  return { rows, table };
}

describe.skipIf(!HAVE_FIXTURES)('fitQuasar on SDSS spec-0332-52367-0639 against PyQSOFit', async () => {
  if (!HAVE_FIXTURES) return;
  const spec = await readSdssSpec(join(DIR, 'spec-0332-52367-0639.fits'));
  const a = spec.spectra.arms.SDSS!;
  // No mask: this spectrum's and_mask sets MANYBADCOLUMNS (bit 4) on every pixel redward of 6600 A observed, Halpha
  // included, while their ivar is good; PyQSOFit's fit used those pixels. Bad pixels have ivar 0 and drop out anyway.
  const spectrum = { wave: a.wavelength, flux: a.flux, ivar: a.ivar };
  const fit = fitQuasar(spectrum, spec.z!);
  const ref = await pyqsofit();
  const v = fit.values;
  // Context, not a target: the SDSS pipeline's single Gaussians (LINESIGMA km/s, tied widths).
  const spz = spec.spzline!;
  const names = (spz.getChild('LINENAME')!.toArray() as string[]).map((n) => n.trim());
  const sdss = (label: string) => {
    const k = names.indexOf(label);
    return { fwhm: Number(spz.getChild('LINESIGMA')!.get(k)) * C_FWHM, ew: Number(spz.getChild('LINEEW')!.get(k)) };
  };
  const { rows, table } = compare(fit, ref, sdss);
  console.log(
    `z=${spec.z}; without templates; broad Gaussians: Hb ${v.hb_br_ncomp}, Ha ${v.ha_br_ncomp}; PyQSOFit Fe_op_norm ${ref.Fe_op_norm}\n${table}`,
  );

  it('fits the spectrum, and broad Halpha FWHM is within 25% of PyQSOFit', () => {
    expect(fit.reason).toBeNull();
    expect(Math.abs(v.ha_br_fwhm! / ref.Ha_whole_br_fwhm! - 1)).toBeLessThan(0.25);
  });

  // Without templates the gap stays, kept as a test that must keep failing: PyQSOFit subtracted a host galaxy (its
  // L5100 is a continuum of 21 where the spectrum has 52 at 5100 A, so its EWs are against a 2.4x lower continuum)
  // and fitted an optical Fe II template (Fe_op_norm 1.74), which broadens our Hbeta. The next block closes it.
  it.fails('without templates, Hbeta FWHM, the broad EWs and log L5100 do not match PyQSOFit', () => {
    for (const [k, ours, py] of rows.slice(0, 4)) expect(Math.abs(ours / py - 1), k).toBeLessThan(0.25);
    expect(Math.abs(v.log_l5100! - ref.L5100!)).toBeLessThan(0.1);
  });

  describe.skipIf(TEMPLATES === undefined)('with the host-galaxy and Fe II templates', async () => {
    if (TEMPLATES === undefined) return;
    const templates = await loadQuasarTemplates(TEMPLATES);
    const withT = fitQuasar(spectrum, spec.z!, { templates });
    const t = withT.values;
    const cmp = compare(withT, ref, sdss);
    const h = withT.host!;
    const fe = withT.feOptical;
    console.log(
      `with templates; host ${h.applied ? 'subtracted' : `not subtracted (${h.reason})`}, host fraction at 5100 A ` +
        `${h.fraction[5100].toFixed(3)}; Fe II FWHM ${fe?.fwhm} km/s, shift ${fe?.shift} km/s; broad Gaussians: ` +
        `Hb ${t.hb_br_ncomp}, Ha ${t.ha_br_ncomp}\n${cmp.table}`,
    );

    it('subtracts a host galaxy and fits Fe II', () => {
      expect(withT.reason).toBeNull();
      expect(h.applied).toBe(true);
      expect(h.fraction[5100]).toBeGreaterThan(0.2);
      expect(h.fraction[5100]).toBeLessThan(1);
      expect(fe).toBeDefined();
    });

    it('broad Hbeta FWHM, Halpha FWHM and EW within 25% of PyQSOFit, log L5100 within 0.1 dex', () => {
      for (const [k, ours, py] of [cmp.rows[0], cmp.rows[2], cmp.rows[3]]) expect(Math.abs(ours / py - 1), k).toBeLessThan(0.25);
      expect(Math.abs(t.log_l5100! - ref.L5100!)).toBeLessThan(0.1);
    });

    // With its own model choice (a second broad Gaussian only where chi2 drops by more than 3 ln n) our Hbeta keeps a
    // 12000 km/s red pedestal beside a 5300 km/s core, and its broad flux, so its EW, is ~36% above PyQSOFit's
    // against a continuum that agrees within 5%. Kept failing so that it says when that changes.
    it.fails('broad Hbeta EW within 25% of PyQSOFit with our own choice of broad components', () => {
      const [k, ours, py] = cmp.rows[1];
      expect(Math.abs(ours / py - 1), k).toBeLessThan(0.25);
    });

    // Like for like: the PyQSOFit 2021 fit in the file has ONE broad Gaussian for Hbeta (Hb_br_1_* only) and three
    // for Halpha (Ha_br_1..3_*). With its line model (one for Hbeta, our up-to-two for Halpha) every number is within
    // the issue's bounds.
    const same = fitQuasar(spectrum, spec.z!, { templates, maxBroad: { hb: 1 } });
    const sameCmp = compare(same, ref, sdss);
    console.log(`with templates and PyQSOFit 2021's line model (one broad Gaussian for Hbeta):\n${sameCmp.table}`);
    it("with PyQSOFit 2021's line model (one broad Gaussian for Hbeta), all four broad values within 25% and log L5100 within 0.1 dex", () => {
      expect(same.values.hb_br_ncomp).toBe(1);
      for (const [k, ours, py] of sameCmp.rows.slice(0, 4)) expect(Math.abs(ours / py - 1), k).toBeLessThan(0.25);
      expect(Math.abs(same.values.log_l5100! - ref.L5100!)).toBeLessThan(0.1);
    });
  });

  describe.skipIf(TEMPLATES !== undefined)('with the host-galaxy and Fe II templates', () => {
    it.skip('skipped: no quasar templates in .venv/share/skybook/quasar-templates (run npm run setup:python)', () => {});
  });
});

describe.skipIf(HAVE_FIXTURES)('fitQuasar on SDSS spec-0332-52367-0639', () => {
  it.skip(NO_FIXTURES_MESSAGE, () => {});
});
