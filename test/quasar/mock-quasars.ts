import { ARMS, stitchArms, type Spectra } from '../../lib/desi/index.js';
import { footprintPixels } from '../../lib/datasets/footprint.js';
import { armWave, observeQuasar } from '../../lib/datasets/observe-quasar.js';
import { PRESETS } from '../../lib/datasets/presets.js';
import { generateQuasars, type MockQuasar } from '../../lib/datasets/quasars.js';
import type { ObservedSpectrum } from '../../lib/quasar/index.js';

/** One mock quasar observed through the DR1 arms and stitched onto one grid (7781 pixels). */
export interface ObservedMock {
  quasar: MockQuasar;
  spectrum: ObservedSpectrum;
}

/**
 * `count` mock quasars of the small preset's first footprint pixels (seeded, so every run sees the same spectra),
 * observed as lib/datasets observes them and stitched with lib/desi's stitchArms.
 */
export function observedMocks(count: number, seed = 20240915, perPixel = 50): ObservedMock[] {
  const preset = PRESETS.small;
  const pixels = footprintPixels(preset.raMin, preset.raMax, preset.decMin, preset.decMax);
  const out: ObservedMock[] = [];
  for (let p = 0; out.length < count && p < pixels.length; p++) {
    for (const quasar of generateQuasars(pixels[p]!, perPixel, preset, seed)) {
      if (out.length >= count) break;
      const arms = observeQuasar(quasar, seed);
      const spectra: Spectra = {
        product: 'mock',
        nspec: 1,
        targetids: BigInt64Array.of(quasar.targetid),
        bands: [...ARMS],
        arms: Object.fromEntries(
          ARMS.map((a) => {
            const w = armWave(a);
            const s = arms[a];
            return [a, { wavelength: w, nwave: w.length, flux: s.flux, ivar: s.ivar, mask: s.mask, ndiag: 0 }];
          }),
        ),
      } as Spectra;
      const st = stitchArms(spectra);
      out.push({ quasar, spectrum: { wave: st.wavelength, flux: st.flux, ivar: st.ivar, mask: st.mask } });
    }
  }
  return out;
}
