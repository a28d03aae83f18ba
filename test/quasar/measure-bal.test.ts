import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import { batchFromSpecs } from '../../lib/datasets/columns.js';
import {
  absorptionIndex,
  BAL_COLUMNS,
  BAL_IONS,
  BAL_TROUGH_SLOTS,
  balIndex,
  balnicityIndex,
  BI_WINDOW,
  measureBal,
  velocityOffset,
} from '../../lib/quasar/index.js';

/** A box trough [v1, v2] (km/s from `ion`) of depth d, applied to both CIV and (optionally) SiIV. */
type Box = [v1: number, v2: number, depth: number];

/**
 * A DESI-like spectrum at redshift z: the DR1 0.8 A grid 3600-9824 A, a flat model of 10 flux units, CIV box troughs,
 * Gaussian noise of `sigma` (normalised units, 0 = noiseless) drawn from `rng`.
 */
function spectrum(z: number, boxes: Box[], sigma: number, rng = Rng.for(1, 'measure-bal')) {
  const n = Math.round((9824 - 3600) / 0.8) + 1;
  const rest = new Float64Array(n);
  const flux = new Float64Array(n);
  const ivar = new Float64Array(n);
  const model = new Float64Array(n).fill(10);
  for (let i = 0; i < n; i++) {
    rest[i] = (3600 + 0.8 * i) / (1 + z);
    const v = velocityOffset(rest[i]!, BAL_IONS.CIV);
    const box = boxes.find(([v1, v2]) => v >= v1 && v <= v2);
    const err = sigma > 0 ? sigma * 10 : 1e-3;
    flux[i] = 10 * (box ? 1 - box[2] : 1) + (sigma > 0 ? err * rng.normal() : 0);
    ivar[i] = 1 / (err * err);
  }
  return { rest, flux, ivar, model };
}

/** What one box contributes to BI: (width - 2000) * (1 - f / 0.9). */
const boxBi = (v1: number, v2: number, depth: number) => Math.max(0, v2 - v1 - 2000) * (1 - (1 - depth) / 0.9);

describe('measureBal: the DESI BAL catalogue columns', () => {
  it('VMIN is the low-speed (red) edge and VMAX the high-speed (blue) edge, both positive, unused slots -1', () => {
    // The convention of baltools (fitbal.calculatebalinfo: VMAX_CIV_2000 = -v of a trough's bluest pixel, VMIN_CIV_2000 =
    // -v of its reddest) and of the DESI data catalogues (iron, kibo, loa: VMAX > VMIN); the London mock catalogues had
    // them the other way round (desihub/desisim#588).
    const { rest, flux, ivar, model } = spectrum(2.2, [[-15000, -10000, 0.5]], 0.02);
    const m = measureBal(rest, flux, ivar, model, { z: 2.2 });
    expect(m.reason).toEqual({ CIV: null, SIIV: null });
    expect(m.NCIV_2000).toBe(1);
    expect(m.VMIN_CIV_2000).toHaveLength(BAL_TROUGH_SLOTS.BI);
    expect(m.VMAX_CIV_2000).toHaveLength(BAL_TROUGH_SLOTS.BI);
    // Within one pixel (0.8 A at 4900 A is 49 km/s).
    expect(Math.abs(m.VMIN_CIV_2000[0]! - 10000)).toBeLessThan(60);
    expect(Math.abs(m.VMAX_CIV_2000[0]! - 15000)).toBeLessThan(60);
    expect(m.VMAX_CIV_2000[0]!).toBeGreaterThan(m.VMIN_CIV_2000[0]!);
    expect(m.VMIN_CIV_2000.slice(1)).toEqual([-1, -1, -1, -1]);
    expect(m.VMAX_CIV_2000.slice(1)).toEqual([-1, -1, -1, -1]);
    expect(m.NCIV_450).toBe(1);
    expect(m.VMIN_CIV_450).toHaveLength(BAL_TROUGH_SLOTS.AI);
    expect(Math.abs(m.VMIN_CIV_450[0]! - 10000)).toBeLessThan(60);
    expect(Math.abs(m.VMAX_CIV_450[0]! - 15000)).toBeLessThan(60);
    expect(m.VMIN_CIV_450.slice(1).every((v) => v === -1)).toBe(true);
    expect(Math.abs(m.BI_CIV - boxBi(-15000, -10000, 0.5)) / boxBi(-15000, -10000, 0.5)).toBeLessThan(0.03);
    // No SiIV trough was put in: SiIV's window (-25000..0 km/s of 1398 A) holds none of it.
    expect(m.BI_SIIV).toBe(0);
    expect(m.NSIIV_2000).toBe(0);
    expect(m.VMIN_SIIV_2000).toEqual([-1, -1, -1, -1, -1]);
    expect(m.SNR_CIV).toBeGreaterThan(40);
  });

  it('sums several troughs, fastest first, and keeps at most 5 BI troughs as the catalogue does', () => {
    const boxes: Box[] = [-24500, -20000, -15500, -11000, -6500, -3500].map((v) => [v, v + 2500, 0.6] as Box);
    const { rest, flux, ivar, model } = spectrum(2.5, boxes, 0.01);
    const m = measureBal(rest, flux, ivar, model, { z: 2.5 });
    // The sixth box (-3500..-1000) is not a BI trough (the window ends at -3000); all five others are kept.
    expect(m.NCIV_2000).toBe(5);
    expect(m.VMAX_CIV_2000.map((v) => Math.round(v / 500) * 500)).toEqual([24500, 20000, 15500, 11000, 6500]);
    const all = balnicityIndex(
      rest,
      Float64Array.from(flux, (f) => f / 10),
      BAL_IONS.CIV,
      { normErr: new Float64Array(rest.length).fill(0.01) },
    );
    expect(all.troughs).toHaveLength(5);
    expect(Math.abs(m.BI_CIV - all.bi)).toBeLessThan(1e-6);
  });

  it('ERR_BI_CIV matches the scatter of BI_CIV over repeated noise draws (within a factor 1.5)', () => {
    const bis: number[] = [];
    const errs: number[] = [];
    for (let k = 0; k < 60; k++) {
      const { rest, flux, ivar, model } = spectrum(2.2, [[-15000, -10000, 0.5]], 0.1, Rng.for(7, 'err-bi', k));
      const m = measureBal(rest, flux, ivar, model, { z: 2.2 });
      bis.push(m.BI_CIV);
      errs.push(m.ERR_BI_CIV);
    }
    const mean = bis.reduce((a, b) => a + b, 0) / bis.length;
    const scatter = Math.sqrt(bis.reduce((a, b) => a + (b - mean) ** 2, 0) / (bis.length - 1));
    const medianErr = [...errs].sort((a, b) => a - b)[errs.length >> 1]!;
    console.log(`BI ${mean.toFixed(0)} km/s: scatter ${scatter.toFixed(1)}, median ERR_BI_CIV ${medianErr.toFixed(1)}`);
    expect(medianErr / scatter).toBeGreaterThan(1 / 1.5);
    expect(medianErr / scatter).toBeLessThan(1.5);
    expect(Math.abs(mean - boxBi(-15000, -10000, 0.5))).toBeLessThan(3 * scatter);
  });

  it('a redshift outside 1.57..5 gives NaN columns and the reason, without throwing', () => {
    const { rest, flux, ivar, model } = spectrum(1.2, [], 0.05);
    const m = measureBal(rest, flux, ivar, model, { z: 1.2 });
    expect(m.reason.CIV).toMatch(/z = 1.2 is outside the BAL search range 1.57 <= z <= 5/);
    expect(m.reason.SIIV).toBe(m.reason.CIV);
    expect(m.BI_CIV).toBeNaN();
    expect(m.ERR_AI_SIIV).toBeNaN();
    expect(m.SNR_CIV).toBeNaN();
    expect(m.NCIV_2000).toBe(-1);
    expect(m.VMIN_CIV_2000.every(Number.isNaN)).toBe(true);
  });

  it("an ion's window off the spectrum gives NaN and a reason for that ion only", () => {
    // At z = 1.6 SiIV's window starts at 1281 A rest = 3331 A, blueward of DESI's 3600 A; CIV's (1420 A = 3693 A) is on it.
    const { rest, flux, ivar, model } = spectrum(1.6, [[-15000, -10000, 0.5]], 0.05);
    const m = measureBal(rest, flux, ivar, model, { z: 1.6 });
    expect(m.reason.CIV).toBeNull();
    expect(m.BI_CIV).toBeGreaterThan(0);
    expect(m.reason.SIIV).toMatch(/SIIV window .* not covered by good pixels: \d+ km\/s without any from -25000 km\/s/);
    expect(m.BI_SIIV).toBeNaN();
    expect(m.NSIIV_450).toBe(-1);
  });

  it('a masked stretch wider than maxGap inside the window gives NaN and a reason; a narrower one is bridged', () => {
    const { rest, flux, ivar, model } = spectrum(2.2, [[-15000, -10000, 0.5]], 0.02);
    const mask = new Uint32Array(rest.length);
    const masked = (lo: number, hi: number) => {
      mask.fill(0);
      rest.forEach((w, i) => {
        const v = velocityOffset(w, BAL_IONS.CIV);
        if (v > lo && v < hi) mask[i] = 1;
      });
    };
    masked(-20000, -18500);
    const wide = measureBal(rest, flux, ivar, model, { z: 2.2, mask });
    expect(wide.reason.CIV).toMatch(/not covered by good pixels: 15\d\d km\/s without any from -20\d\d\d km\/s \(maxGap 1000 km\/s\)/);
    expect(wide.BI_CIV).toBeNaN();
    // The same stretch with ivar 0 instead of a mask bit.
    const ivar0 = Float64Array.from(ivar, (v, i) => (mask[i] ? 0 : v));
    expect(measureBal(rest, flux, ivar0, model, { z: 2.2 }).reason.CIV).toBe(wide.reason.CIV);
    expect(measureBal(rest, flux, ivar, model, { z: 2.2, mask, maxGap: 2000 }).reason.CIV).toBeNull();
    // 500 km/s masked inside the trough: measured, and the trough is not split.
    masked(-13000, -12500);
    const narrow = measureBal(rest, flux, ivar, model, { z: 2.2, mask });
    expect(narrow.reason.CIV).toBeNull();
    expect(narrow.NCIV_2000).toBe(1);
    expect(Math.abs(narrow.BI_CIV - boxBi(-15000, -10000, 0.5)) / boxBi(-15000, -10000, 0.5)).toBeLessThan(0.03);
  });

  it('all pixels masked, NaN flux or a too noisy window give NaN and a reason, never a throw', () => {
    const { rest, flux, ivar, model } = spectrum(2.2, [], 0.05);
    const none = measureBal(rest, flux, new Float64Array(rest.length), model, { z: 2.2 });
    expect(none.reason.CIV).toMatch(/not covered by good pixels: none there/);
    const nan = measureBal(rest, new Float64Array(rest.length).fill(Number.NaN), ivar, model, { z: 2.2 });
    expect(nan.reason.CIV).toMatch(/none there/);
    // S/N 0.5 per pixel: baltools searches no troughs where the median flux is below the median error.
    const noisy = spectrum(2.2, [[-15000, -10000, 0.5]], 2);
    const m = measureBal(noisy.rest, noisy.flux, noisy.ivar, noisy.model, { z: 2.2 });
    expect(m.reason.CIV).toMatch(/CIV window too noisy: median flux .* <= median error/);
    expect(m.BI_CIV).toBeNaN();
    expect(m.SNR_CIV).toBeLessThan(1);
  });

  it("errors: 'baltools' changes ERR_BI_CIV / ERR_AI_CIV to the catalogue's formula, not the indices", () => {
    const { rest, flux, ivar, model } = spectrum(2.2, [[-15000, -10000, 0.5]], 0.05);
    const p = measureBal(rest, flux, ivar, model, { z: 2.2 });
    const b = measureBal(rest, flux, ivar, model, { z: 2.2, errors: 'baltools' });
    expect(b.BI_CIV).toBe(p.BI_CIV);
    expect(b.AI_CIV).toBe(p.AI_CIV);
    expect(b.VMAX_CIV_450).toEqual(p.VMAX_CIV_450);
    // ~49 km/s pixels: baltools' sum of sigma^2 dv (not dv^2) is 1/sqrt(49) of the propagated error, times
    // sqrt(1 + (mismatch / sigma)^2) with its mismatch term (mean |noise| ~ 0.8 sigma here).
    const ratio = (b.ERR_BI_CIV / p.ERR_BI_CIV) * Math.sqrt(49);
    expect(ratio).toBeGreaterThan(1.1);
    expect(ratio).toBeLessThan(1.5);
    expect(() => measureBal(rest, flux, ivar, model, { z: 2.2, errors: 'exact' as 'baltools' })).toThrow(/invalid errors: exact/);
  });

  it('throws only on misuse: arrays of different lengths, a decreasing grid, a NaN redshift', () => {
    const { rest, flux, ivar, model } = spectrum(2.2, [], 0.05);
    expect(() => measureBal(rest, flux.subarray(1), ivar, model, { z: 2.2 })).toThrow(/flux has \d+ pixels, restWave \d+/);
    expect(() => measureBal(rest.slice().reverse(), flux, ivar, model, { z: 2.2 })).toThrow(/restWave must increase/);
    expect(() => measureBal(rest, flux, ivar, model, { z: Number.NaN })).toThrow(/invalid z: NaN/);
  });
});

describe('balIndex with flux errors (baltools trough rules)', () => {
  const grid = (boxes: Box[], noiseAt: Map<number, number> = new Map()) => {
    const rest: number[] = [];
    const flux: number[] = [];
    for (let v = -26000; v <= 500; v += 50) {
      rest.push(BAL_IONS.CIV * (1 + v / 299792.458));
      const box = boxes.find(([v1, v2]) => v >= v1 && v <= v2);
      flux.push(noiseAt.get(v) ?? (box ? 1 - box[2] : 1));
    }
    return { rest, flux };
  };

  it('without errors gives exactly the noiseless numbers (what the mock truth uses)', () => {
    const { rest, flux } = grid([[-15000, -10000, 0.5]], new Map([[-12500, 0.95]]));
    const plain = balIndex(rest, flux, BAL_IONS.CIV, BI_WINDOW);
    expect(plain.err).toBeNaN();
    // The one-pixel spike splits the trough in two in the noiseless form.
    expect(plain.troughs).toHaveLength(2);
    expect(balnicityIndex(rest, flux, BAL_IONS.CIV).bi).toBe(plain.index);
  });

  it('bridges a one-pixel spike for BI, and for AI only after two trough pixels', () => {
    const { rest, flux } = grid([[-15000, -10000, 0.5]], new Map([[-12500, 0.95]]));
    const normErr = new Array<number>(rest.length).fill(0.01);
    const bi = balnicityIndex(rest, flux, BAL_IONS.CIV, { normErr });
    expect(bi.troughs).toHaveLength(1);
    expect(bi.troughs[0]!.vmax).toBeCloseTo(15000, 6);
    expect(bi.troughs[0]!.vmin).toBeCloseTo(10000, 6);
    // The bridged pixel counts with its own (negative) depth, as in baltools' calculate_Index.
    expect(bi.bi).toBeCloseTo(boxBi(-15000, -10000, 0.5) - 50 * (1 - 0.5 / 0.9) + 50 * (1 - 0.95 / 0.9), 6);
    expect(absorptionIndex(rest, flux, BAL_IONS.CIV, { normErr }).troughs).toHaveLength(1);
    // A spike right after the trough's first pixel is not bridged for AI (it needs two before it), but is for BI.
    const early = grid([[-15000, -10000, 0.5]], new Map([[-14950, 0.95]]));
    expect(absorptionIndex(early.rest, early.flux, BAL_IONS.CIV, { normErr }).troughs.map((t) => Math.round(t.vmax))).toEqual([14900]);
    expect(balnicityIndex(early.rest, early.flux, BAL_IONS.CIV, { normErr }).troughs.map((t) => Math.round(t.vmax))).toEqual([15000]);
  });

  it('the 0.5 sigma allowance: f = 0.85 is a trough with sigma 0.05, not with sigma 0.2', () => {
    const { rest, flux } = grid([[-15000, -10000, 0.15]]);
    const at = (s: number) => balnicityIndex(rest, flux, BAL_IONS.CIV, { normErr: new Array<number>(rest.length).fill(s) });
    // 1 - 0.85 / 0.9 = 0.056 > 0.5 * 0.05 but < 0.5 * 0.2.
    expect(at(0.05).bi).toBeGreaterThan(0);
    expect(at(0.2).bi).toBe(0);
    expect(at(0.2).troughs).toHaveLength(0);
  });

  it("errorModel 'baltools' gives the catalogue's ERR formula: sqrt(sum (sigma^2 + mismatch^2) dv) / 0.9", () => {
    const { rest, flux } = grid([[-15000, -10000, 0.5]]);
    const normErr = new Array<number>(rest.length).fill(0.05);
    const mismatch = new Array<number>(rest.length).fill(0.03);
    const b = balnicityIndex(rest, flux, BAL_IONS.CIV, { normErr, mismatch, errorModel: 'baltools' });
    const p = balnicityIndex(rest, flux, BAL_IONS.CIV, { normErr, mismatch });
    // The pixels counted are those 2000 km/s or more past the trough's blue edge (v = -15000 .. -10000 on the grid).
    const v = rest.map((w) => velocityOffset(w, BAL_IONS.CIV));
    const start = v.findIndex((x) => x > -15000 - 1);
    const end = v.findIndex((x) => x > -10000 + 1) - 1;
    let sumDv = 0;
    let sumDv2 = 0;
    for (let k = start + 1; k <= end; k++) {
      if (v[k]! - v[start]! < 2000) continue;
      sumDv += v[k]! - v[k - 1]!;
      sumDv2 += (v[k]! - v[k - 1]!) ** 2;
    }
    expect(sumDv).toBeGreaterThan(2900);
    expect(b.errBi).toBeCloseTo(Math.sqrt((0.05 ** 2 + 0.03 ** 2) * sumDv) / 0.9, 6);
    // The propagated error ignores the mismatch and squares dv.
    expect(p.errBi).toBeCloseTo(Math.sqrt(sumDv2) * (0.05 / 0.9), 6);
    expect(b.bi).toBe(p.bi);
  });

  it("AI keeps a trough only if its mean flux is 3 errors of the mean below 0.9 (baltools' significance test)", () => {
    // 600 km/s at f = 0.8: 13 pixels; with sigma 0.1 the mean's error is 0.028, so 0.8 + 3 * 0.028 = 0.88 < 0.9 passes;
    // with sigma 0.18 it is 0.8 + 0.15 > 0.9 and the trough goes, though every pixel is below 0.9 - 0.5 sigma.
    const { rest, flux } = grid([[-8000, -7400, 0.2]]);
    const at = (s: number) => absorptionIndex(rest, flux, BAL_IONS.CIV, { normErr: new Array<number>(rest.length).fill(s) });
    expect(at(0.1).troughs).toHaveLength(1);
    expect(at(0.18).troughs).toHaveLength(0);
    expect(at(0.18).ai).toBe(0);
  });
});

describe('BAL_COLUMNS', () => {
  it('lists the catalogue columns in order with their TFORMs, and a table builds from measureBal rows', () => {
    expect(BAL_COLUMNS.map((c) => c.name)).toEqual([
      ...['CIV', 'SIIV'].flatMap((i) => [
        `BI_${i}`,
        `ERR_BI_${i}`,
        `N${i}_2000`,
        `VMIN_${i}_2000`,
        `VMAX_${i}_2000`,
        `AI_${i}`,
        `ERR_AI_${i}`,
        `N${i}_450`,
        `VMIN_${i}_450`,
        `VMAX_${i}_450`,
      ]),
      'SNR_CIV',
    ]);
    const tform = Object.fromEntries(BAL_COLUMNS.map((c) => [c.name, c.tform]));
    expect([tform.BI_CIV, tform.NCIV_2000, tform.VMIN_CIV_2000, tform.VMAX_SIIV_450]).toEqual(['E', 'J', '5E', '17E']);
    expect(BAL_COLUMNS.filter((c) => /^(BI|ERR|AI|VM)/.test(c.name)).every((c) => c.unit === 'km/s')).toBe(true);

    const rows = [spectrum(2.2, [[-15000, -10000, 0.5]], 0.02), spectrum(1.2, [], 0.02)].map((s, k) =>
      measureBal(s.rest, s.flux, s.ivar, s.model, { z: k === 0 ? 2.2 : 1.2 }),
    );
    const values = Object.fromEntries(
      BAL_COLUMNS.map((c) => {
        const cells = rows.flatMap((r) => (r as unknown as Record<string, number | number[]>)[c.name]!);
        return [c.name, c.tform === 'J' ? Int32Array.from(cells) : Float32Array.from(cells)];
      }),
    );
    const batch = batchFromSpecs(BAL_COLUMNS, rows.length, values);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(BAL_COLUMNS.map((c) => c.name));
    expect(batch.getChild('NCIV_2000')!.toArray()).toEqual(Int32Array.of(1, -1));
    expect(Array.from(batch.getChild('VMAX_CIV_2000')!.get(0)!)[0]).toBeCloseTo(rows[0]!.VMAX_CIV_2000[0]!, 0);
  });
});
