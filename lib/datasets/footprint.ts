import { angularDistance, raDecOf } from '../core/index.js';
import { ang2pixNest, conePixels, pix2angNest, pixelOutline } from '../desi/index.js';
import type { Rng } from './random.js';

/**
 * DESI's healpix files use nside 64, NESTED ordering.
 *
 * @example
 * ang2pixNest(NSIDE, 150.1, 2.2);
 */
export const NSIDE = 64;
const DEG = Math.PI / 180;

/**
 * One healpix pixel of the footprint with an ra/dec box that encloses it (for rejection sampling inside it).
 *
 * @example
 * const p = footprintPixels(150, 156, 0, 6)[0]!; p.pix;
 */
export interface FootprintPixel {
  pix: number;
  ra: number;
  dec: number;
  raMin: number;
  raMax: number;
  sinDecMin: number;
  sinDecMax: number;
}

/**
 * The footprint: every nside-64 NESTED pixel whose centre lies inside the ra/dec box, ascending. Whole pixels keep
 * each healpix file complete (every object of a pixel inside the survey is in its file). Boxes must not cross ra 0.
 *
 * @example
 * footprintPixels(150, 156, 0, 6).length; // about 40
 */
export function footprintPixels(raMin: number, raMax: number, decMin: number, decMax: number): FootprintPixel[] {
  const raC = (raMin + raMax) / 2;
  const decC = (decMin + decMax) / 2;
  const radius = angularDistance(raC, decC, raMin, decMin) + 2;
  const out: FootprintPixel[] = [];
  for (const pix of conePixels(NSIDE, raC, decC, Math.min(radius, 180))) {
    const c = pix2angNest(NSIDE, pix);
    if (c.ra < raMin || c.ra >= raMax || c.dec < decMin || c.dec >= decMax) continue;
    let r0 = Infinity,
      r1 = -Infinity,
      d0 = Infinity,
      d1 = -Infinity;
    for (const [x, y, zz] of pixelOutline(NSIDE, pix)) {
      const { dec, ra: ra0 } = raDecOf(x, y, zz);
      // Unwrap ra next to the centre's so a pixel on ra 0 gets one box, not two.
      let ra = ra0;
      if (ra - c.ra > 180) ra -= 360;
      if (c.ra - ra > 180) ra += 360;
      r0 = Math.min(r0, ra);
      r1 = Math.max(r1, ra);
      d0 = Math.min(d0, dec);
      d1 = Math.max(d1, dec);
    }
    // Pixel edges are curved: pad the box by 10% of its size so no part of the pixel falls outside it.
    const pr = 0.1 * (r1 - r0);
    const pd = 0.1 * (d1 - d0);
    out.push({
      pix,
      ra: c.ra,
      dec: c.dec,
      raMin: r0 - pr,
      raMax: r1 + pr,
      sinDecMin: Math.sin(Math.max(-90, d0 - pd) * DEG),
      sinDecMax: Math.sin(Math.min(90, d1 + pd) * DEG),
    });
  }
  return out.sort((a, b) => a.pix - b.pix);
}

/**
 * A point drawn uniformly on the sphere inside one pixel (rejection from its enclosing box).
 *
 * @example
 * const { ra, dec } = samplePixel(pixel, Rng.for(1, 'galaxies', pixel.pix));
 */
export function samplePixel(p: FootprintPixel, rng: Rng): { ra: number; dec: number } {
  for (;;) {
    let ra = p.raMin + (p.raMax - p.raMin) * rng.uniform();
    ra = ((ra % 360) + 360) % 360;
    const dec = Math.asin(p.sinDecMin + (p.sinDecMax - p.sinDecMin) * rng.uniform()) / DEG;
    if (ang2pixNest(NSIDE, ra, dec) === p.pix) return { ra, dec };
  }
}
