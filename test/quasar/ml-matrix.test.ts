import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/core/index.js';
import {
  concatMlMatrix,
  emptyMlMatrix,
  logLambdaGrid,
  ML_GRID,
  ML_MASK,
  MlMatrixWriter,
  normaliseRow,
  readMlMatrix,
  resampleToRest,
  restWavelength,
} from '../../lib/quasar/index.js';

/** DESI-like observed grid: 0.8 A pixels over 3600-9824 A. */
const WAVE = Float64Array.from({ length: 7781 }, (_, i) => 3600 + 0.8 * i);
const Z = 2.1;
/** A smooth continuum with one broad line, in observed f_lambda. */
const model = (w: number) => 2 + 0.5 * Math.sin(w / 700) + 3 * Math.exp(-0.5 * ((w - 1549.48 * (1 + Z)) / 40) ** 2);

describe('resampleToRest: flux-conserving rest-frame resampling', () => {
  const flux = Float64Array.from(WAVE, model);
  const ivar = new Float64Array(WAVE.length).fill(4);
  const rest = resampleToRest(WAVE, flux, ivar, undefined, Z, ML_GRID);

  it('conserves the integral of f_lambda over the covered pixels (observed frame = rest frame)', () => {
    // Integrate both over exactly the observed span of the good rest pixels.
    let restIntegral = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (let j = 0; j < ML_GRID.npix; j++) {
      if (rest.mask[j] !== 0) continue;
      const a = 10 ** (ML_GRID.log10Start + (j - 0.5) * ML_GRID.dlog10);
      const b = 10 ** (ML_GRID.log10Start + (j + 0.5) * ML_GRID.dlog10);
      restIntegral += rest.flux[j]! * (b - a);
      lo = Math.min(lo, a * (1 + Z));
      hi = Math.max(hi, b * (1 + Z));
    }
    let obsIntegral = 0;
    for (let i = 0; i < WAVE.length; i++) {
      const a = WAVE[i]! - 0.4;
      const b = WAVE[i]! + 0.4;
      obsIntegral += flux[i]! * Math.max(0, Math.min(b, hi) - Math.max(a, lo));
    }
    expect(restIntegral).toBeGreaterThan(0);
    expect(Math.abs(restIntegral / obsIntegral - 1)).toBeLessThan(1e-12);
  });

  it('weights observed pixels by ivar: a sky line on one of the ~3 pixels of a rest pixel costs only its share', () => {
    // A comb of sky lines: every 7th observed pixel has 1/100 of the ivar, as DESI's red arms at OH lines.
    const comb = Float64Array.from(WAVE, (_, i) => (i % 7 === 0 ? 0.04 : 4));
    const flat = new Float64Array(WAVE.length).fill(3);
    const withSky = resampleToRest(WAVE, flat, comb, undefined, Z, ML_GRID);
    const clean = resampleToRest(WAVE, flat, ivar, undefined, Z, ML_GRID);
    let worst = Number.POSITIVE_INFINITY;
    for (let j = 0; j < ML_GRID.npix; j++) {
      if (clean.mask[j] !== 0) continue;
      // A constant flux density stays constant, (1 + z) x 3, sky line or not.
      expect(withSky.flux[j]!).toBeCloseTo(3 * (1 + Z), 10);
      worst = Math.min(worst, withSky.ivar[j]! / clean.ivar[j]!);
    }
    // Weighted by overlap alone, a rest pixel holding a sky pixel would keep about 1/(1 + 100 / 4) ~ 4% of its ivar.
    expect(worst).toBeGreaterThan(0.5);
  });

  it('puts the line at its rest wavelength', () => {
    let best = 0;
    for (let j = 1; j < ML_GRID.npix; j++) if (rest.mask[j] === 0 && rest.flux[j]! > rest.flux[best]!) best = j;
    expect(Math.abs(restWavelength(ML_GRID, best) - 1549.48)).toBeLessThan(1549.48 * ML_GRID.dlog10 * Math.LN10);
  });

  it('masks rest pixels the observed range does not cover, and only those', () => {
    for (const j of [0, ML_GRID.npix - 1]) expect(rest.mask[j]).toBe(ML_MASK.NOT_COVERED);
    const covered = [...rest.mask].filter((m) => m === 0).length;
    // 3600-9824 A at z = 2.1 is 1161-3169 A rest: log10(3169/1161) / 2e-4 pixels, less the partly covered ends.
    expect(Math.abs(covered - Math.log10(9824.4 / 3599.6) / ML_GRID.dlog10)).toBeLessThan(3);
    expect(rest.ivar.every((v, j) => (rest.mask[j] === 0) === v > 0)).toBe(true);
  });

  it('masks every rest pixel a bad observed pixel touches (masked, ivar 0 or NaN flux)', () => {
    const f = Float64Array.from(flux);
    const iv = Float64Array.from(ivar);
    const mask = new Uint32Array(WAVE.length);
    mask[3000] = 8;
    iv[4000] = 0;
    f[5000] = Number.NaN;
    const r = resampleToRest(WAVE, f, iv, mask, Z, ML_GRID);
    for (const i of [3000, 4000, 5000]) {
      const j = Math.round((Math.log10(WAVE[i]! / (1 + Z)) - ML_GRID.log10Start) / ML_GRID.dlog10);
      expect(r.mask[j]).toBe(ML_MASK.BAD_PIXEL);
      expect(r.ivar[j]).toBe(0);
    }
    const bad = [...r.mask].filter((m) => m === ML_MASK.BAD_PIXEL).length;
    expect(bad).toBeGreaterThanOrEqual(3);
    expect(bad).toBeLessThanOrEqual(6);
  });

  it('propagates ivar: resampled noise has chi2 per pixel ~ 1', () => {
    const rng = Rng.for(11, 'resample-noise');
    const iv = Float64Array.from(WAVE, (w) => 1 + 3 * Math.abs(Math.sin(w / 13)));
    let chi2 = 0;
    let count = 0;
    for (let trial = 0; trial < 20; trial++) {
      const noisy = Float64Array.from(flux, (v, i) => v + rng.normal() / Math.sqrt(iv[i]!));
      const r = resampleToRest(WAVE, noisy, iv, undefined, Z, ML_GRID);
      for (let j = 0; j < ML_GRID.npix; j++) {
        if (r.mask[j] !== 0) continue;
        chi2 += r.ivar[j]! * (r.flux[j]! - rest.flux[j]!) ** 2;
        count++;
      }
    }
    // 20 x ~2180 pixels: the standard error of the mean chi2 is sqrt(2 / 43600) = 0.007.
    expect(count).toBeGreaterThan(40000);
    expect(Math.abs(chi2 / count - 1)).toBeLessThan(0.035);
  });

  it('rejects arrays of different lengths and impossible redshifts, naming them', () => {
    expect(() => resampleToRest(WAVE, flux.subarray(1), ivar, undefined, Z, ML_GRID)).toThrow(/wave 7781, flux 7780/);
    expect(() => resampleToRest(WAVE, flux, ivar, undefined, -1, ML_GRID)).toThrow(/invalid redshift: -1/);
  });
});

describe('normaliseRow', () => {
  it('divides by the median of good pixels and scales ivar by its square', () => {
    const row = { flux: Float64Array.of(1, 2, 3, 100, 4), ivar: Float64Array.of(1, 1, 1, 1, 1), mask: Uint8Array.of(0, 0, 0, 0, 1) };
    expect(normaliseRow(row)).toBe(2.5);
    expect(Array.from(row.flux)).toEqual([0.4, 0.8, 1.2, 40, 1.6]);
    expect(row.ivar[0]).toBe(6.25);
  });
  it('masks a row whose median is not positive', () => {
    const row = { flux: Float64Array.of(-1, -2, 1), ivar: Float64Array.of(1, 1, 1), mask: new Uint8Array(3) };
    expect(normaliseRow(row)).toBeNaN();
    expect([...row.mask]).toEqual([ML_MASK.NO_SCALE, ML_MASK.NO_SCALE, ML_MASK.NO_SCALE]);
  });
});

describe('ML matrix Parquet file', () => {
  it('round-trips bit-exactly through the streaming writer and the batched reader', async () => {
    const grid = logLambdaGrid({ start: 1200, end: 1300, dlog10: 1e-3 });
    const rng = Rng.for(5, 'parquet-roundtrip');
    const batches = [0, 1, 2].map((b) => {
      const m = emptyMlMatrix(37 + b, grid);
      for (let i = 0; i < m.flux.length; i++) {
        m.flux[i] = rng.normal() * 10 ** rng.range(-20, 20);
        m.ivar[i] = rng.uniform();
        m.mask[i] = rng.int(8);
      }
      m.flux[0] = Number.NaN;
      m.flux[1] = -0;
      m.targetid.forEach((_, r) => {
        m.targetid[r] = 39627000000000000n + BigInt(b * 1000 + r) + (b === 2 ? 2n ** 62n : 0n);
      });
      m.scale.forEach((_, r) => {
        m.scale[r] = rng.range(0.1, 10);
      });
      return m;
    });
    const path = join(tmpdir(), `ml-matrix-${process.pid}.parquet`);
    try {
      const w = new MlMatrixWriter(path);
      for (const m of batches) await w.write(m);
      await w.close();
      expect(w.rows).toBe(37 + 38 + 39);
      const back: ReturnType<typeof emptyMlMatrix>[] = [];
      for await (const m of readMlMatrix(path, { batchSize: 50 })) back.push(m);
      expect(back.map((m) => m.targetid.length)).toEqual([50, 50, 14]);
      const join = <T extends BigInt64Array | Float32Array | Float64Array | Uint8Array>(parts: T[]): Uint8Array =>
        Buffer.concat(parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.byteLength)));
      for (const key of ['targetid', 'flux', 'ivar', 'mask', 'scale'] as const)
        expect(join(back.map((m) => m[key])), key).toEqual(join(batches.map((m) => m[key])));
      for (const m of back) expect(m.grid).toEqual(grid);
      // concatMlMatrix joins the streamed batches back into the rows written, in order.
      const all = concatMlMatrix(back);
      for (const key of ['targetid', 'flux', 'ivar', 'mask', 'scale'] as const)
        expect(join([all[key]]), `concat ${key}`).toEqual(join(batches.map((m) => m[key])));
      expect(all.npix).toBe(grid.npix);
      expect(() => concatMlMatrix([back[0]!, emptyMlMatrix(1, ML_GRID)])).toThrow(
        /concatMlMatrix: batch 1 is on another grid \(4226 pixels/,
      );
    } finally {
      await rm(path, { force: true });
    }
  });

  it('refuses a batch on another grid, naming the file', async () => {
    const path = join(tmpdir(), `ml-matrix-bad-${process.pid}.parquet`);
    const w = new MlMatrixWriter(path);
    await w.write(emptyMlMatrix(2, logLambdaGrid({ start: 1200, end: 1300, dlog10: 1e-3 })));
    await expect(w.write(emptyMlMatrix(2, ML_GRID))).rejects.toThrow(`MlMatrixWriter: ${path}: a batch of 4226 pixels after batches of 36`);
    await w.abort();
  });

  it('a missing file is a QuasarError naming it', async () => {
    const gen = readMlMatrix('/nonexistent/matrix.parquet');
    await expect(gen.next()).rejects.toThrow(/\/nonexistent\/matrix.parquet: cannot read it/);
  });
});
