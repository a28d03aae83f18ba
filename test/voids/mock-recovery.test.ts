import { describe, expect, it } from 'vitest';
import { planSurvey, resolveSurveyOptions, surveyZcatalog } from '../../lib/datasets/index.js';
import { findVoids } from '../../lib/voids/index.js';

// Issue 14's mock acceptance: VoidFinder, given only the galaxies of the `voids` mock survey, finds every planted void of
// R >= 15 Mpc/h again: the nearest maximal sphere's centre within 0.3 R and its radius within 20%. The truth is the
// survey plan's own list of planted spheres (what makeSurvey writes to truth/voids.parquet); the galaxies are streamed,
// not written.
describe('VoidFinder on the voids mock survey', () => {
  it('recovers every planted void of R >= 15 Mpc/h: centre within 0.3 R, radius within 20%', async () => {
    const options = { preset: 'voids' as const, seed: 1 };
    const planted = planSurvey(resolveSurveyOptions(options)).voids.filter((v) => v.radius >= 15);
    const ra: number[] = [];
    const dec: number[] = [];
    const z: number[] = [];
    for await (const batch of surveyZcatalog(options)) {
      const type = batch.getChild('SPECTYPE')!;
      const zwarn = batch.getChild('ZWARN')!;
      const cols = ['TARGET_RA', 'TARGET_DEC', 'Z'].map((c) => batch.getChild(c)!.toArray() as Float64Array);
      for (let i = 0; i < batch.numRows; i++) {
        if (type.get(i) !== 'GALAXY' || Number(zwarn.get(i)) !== 0) continue;
        ra.push(cols[0]![i]!);
        dec.push(cols[1]![i]!);
        z.push(cols[2]![i]!);
      }
    }
    const catalogue = await findVoids(
      { ra: Float64Array.from(ra), dec: Float64Array.from(dec), z: Float64Array.from(z) },
      { zMin: 0.02, zMax: 0.12, omegaM: 0.3, h: 1, progress: false },
    );
    const maximals = catalogue.maximals.toArray() as { x: number; y: number; z: number; radius: number }[];
    expect(planted.length).toBeGreaterThanOrEqual(5); // the preset plants ten of 15-25 Mpc/h
    expect(maximals.length).toBeGreaterThanOrEqual(planted.length);
    const found = planted.map((v) => {
      const distance = (m: { x: number; y: number; z: number }) => Math.hypot(m.x - v.x, m.y - v.y, m.z - v.z);
      const nearest = maximals.reduce((a, m) => (distance(m) < distance(a) ? m : a));
      return { id: v.id, offset: distance(nearest) / v.radius, radiusRatio: nearest.radius / v.radius };
    });
    for (const f of found) {
      expect(f.offset, `planted void ${f.id}`).toBeLessThan(0.3);
      expect(Math.abs(f.radiusRatio - 1), `planted void ${f.id}`).toBeLessThan(0.2);
    }
  }, 120_000);
});
