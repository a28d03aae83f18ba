import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalTrough } from '../../lib/datasets/bal-troughs.js';
import { NDIAG } from '../../lib/datasets/instrument.js';
import { makeSurvey, TRUTH_FILES, type SurveySummary } from '../../lib/datasets/make-survey.js';
import { QUASAR_LINES, type LineTruth } from '../../lib/datasets/quasar-lines.js';
import { continuumAt, evaluateQuasar, type QuasarModel } from '../../lib/datasets/quasar-model.js';
import { unitVector } from '../../lib/core/index.js';
import { LinearDistanceTable } from '../../lib/cosmo/index.js';
import { balnicityIndex, BAL_IONS } from '../../lib/quasar/index.js';
import { applyResolution, ARMS, zallPixRelpath } from '../../lib/desi/index.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { readParquetFile } from './parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-truth-'));
let summary: SurveySummary;
let quasars: Table;
let voids: Table;

beforeAll(async () => {
  summary = await makeSurvey({ preset: 'small', seed: 1, out: dir });
  quasars = readParquetFile(join(dir, TRUTH_FILES.quasars));
  voids = readParquetFile(join(dir, TRUTH_FILES.voids));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const rows = (t: Table): Row[] => t.toArray().map((r) => r.toJSON() as Row);

/** The truth row as a model (forest left out: its random field is not in the truth table). */
function modelOf(r: Row, only?: LineTruth['name']): QuasarModel {
  const lines: LineTruth[] = QUASAR_LINES.filter((l) => !only || l.name === only).map((l) => ({
    name: l.name,
    rest: l.rest,
    fwhmBroad: r[`FWHM_BROAD_${l.name}`] as number,
    ewBroad: r[`EW_BROAD_${l.name}`] as number,
    fwhmNarrow: r[`FWHM_NARROW_${l.name}`] as number,
    ewNarrow: r[`EW_NARROW_${l.name}`] as number,
  }));
  const troughs = (JSON.parse(r.BAL_TROUGHS as string) as number[][]).map(
    ([vCenter, width, depth]) => ({ vCenter, width, depth }) as BalTrough,
  );
  return {
    z: r.Z as number,
    slope: r.CONT_SLOPE as number,
    norm: r.CONT_NORM as number,
    lines,
    troughs: only ? [] : troughs,
    forest: undefined,
    absorber: undefined,
  };
}

describe('truth tables of the small survey', () => {
  it('holds one row per quasar with the zcatalog TARGETIDs, BAL and anomaly fractions', async () => {
    expect(quasars.numRows).toBe(60);
    const fits = await FitsFile.open(join(dir, zallPixRelpath()));
    const z = await fits.readTable('ZCATALOG', { columns: ['TARGETID', 'SPECTYPE', 'Z'] });
    await fits.close();
    const qsoIds = new Set<bigint>();
    const ids = z.getChild('TARGETID')!;
    const types = z.getChild('SPECTYPE')!;
    for (let i = 0; i < z.numRows; i++) if (types.get(i) === 'QSO') qsoIds.add(ids.get(i) as bigint);
    expect(new Set(rows(quasars).map((r) => r.TARGETID as bigint))).toEqual(qsoIds);
    const all = rows(quasars);
    expect(all.filter((r) => r.BAL).length).toBeGreaterThan(0);
    expect(all.some((r) => (r.ANOMALY as number) > 0)).toBe(true);
    for (const r of all) expect((r.TARGETID as bigint) > 2n ** 53n).toBe(true);
  });

  it('no galaxy lies inside a planted void', async () => {
    expect(voids.numRows).toBeGreaterThanOrEqual(4);
    const fits = await FitsFile.open(join(dir, zallPixRelpath()));
    const z = await fits.readTable('ZCATALOG', { columns: ['TARGET_RA', 'TARGET_DEC', 'Z', 'SPECTYPE', 'FLUX_R'] });
    await fits.close();
    // The mock's own table: galaxies must land exactly where the generator put them.
    const cosmo = new LinearDistanceTable(0.3);
    const vs = rows(voids);
    const ra = z.getChild('TARGET_RA')!.toArray() as Float64Array;
    const dec = z.getChild('TARGET_DEC')!.toArray() as Float64Array;
    const red = z.getChild('Z')!.toArray() as Float64Array;
    const type = z.getChild('SPECTYPE')!;
    const fluxR = z.getChild('FLUX_R')!.toArray() as Float32Array;
    let inside = 0,
      nearShell = 0,
      galaxies = 0,
      tooFaint = 0,
      outOfRange = 0;
    for (let i = 0; i < z.numRows; i++) {
      if (type.get(i) !== 'GALAXY') continue;
      galaxies++;
      // BGS Bright: r < 19.5 (float32 flux), inside the preset's redshift range.
      if (22.5 - 2.5 * Math.log10(fluxR[i]!) > 19.5 + 1e-4) tooFaint++;
      if (red[i]! < 0.02 || red[i]! > 0.22) outOfRange++;
      const d = cosmo.distance(red[i]!);
      const [x, y, w] = unitVector(ra[i]!, dec[i]!).map((c) => c * d) as [number, number, number];
      for (const v of vs) {
        const r = Math.hypot(x - (v.X as number), y - (v.Y as number), w - (v.Z as number));
        if (r < (v.RADIUS as number)) inside++;
        else if (r < (v.RADIUS as number) + 4) nearShell++;
      }
    }
    expect(galaxies).toBe(15_000);
    expect([tooFaint, outOfRange]).toEqual([0, 0]);
    expect(inside).toBe(0);
    // The voids are bounded: their walls hold galaxies.
    expect(nearShell).toBeGreaterThan(vs.length * 3);
  });

  it('injected lines peak at (1 + z) * rest with observed EW (1 + z) * EW', () => {
    let checked = 0;
    for (const r of rows(quasars)) {
      for (const l of QUASAR_LINES) {
        const ew = (r[`EW_BROAD_${l.name}`] as number) + (r[`EW_NARROW_${l.name}`] as number);
        const z = r.Z as number;
        const centre = (1 + z) * l.rest;
        const m = modelOf(r, l.name);
        // +-0.06 lambda is +-18000 km/s: over 7 sigma of the broadest line.
        const step = (0.12 * centre) / 4000;
        const wave = Float64Array.from({ length: 4001 }, (_, i) => centre * 0.94 + i * step);
        const f = evaluateQuasar(m, wave);
        let peak = 0,
          best = -Infinity,
          integral = 0;
        for (let i = 0; i < wave.length; i++) {
          const c = continuumAt(m, wave[i]! / (1 + z));
          const excess = (f[i]! - c) / c;
          if (excess > best) {
            best = excess;
            peak = i;
          }
          integral += excess * step;
        }
        expect(Math.abs(wave[peak]! - centre)).toBeLessThanOrEqual(step / 2 + 1e-9);
        expect(Math.abs(integral - (1 + z) * ew)).toBeLessThan(0.002 * (1 + z) * ew + 1e-9);
        checked++;
      }
    }
    expect(checked).toBe(60 * QUASAR_LINES.length);
  });

  it('BI recomputed on the noiseless model is > 0 for BAL quasars and 0 for the rest', () => {
    const wave = Float64Array.from(
      ARMS.flatMap((a) => {
        const g = { B: [3600, 5800], R: [5800.8, 7620], Z: [7620.8, 9824] }[a]!;
        return Array.from({ length: Math.round((g[1]! - g[0]!) / 0.8) + 1 }, (_, i) => g[0]! + 0.8 * i);
      }),
    );
    let bal = 0;
    for (const r of rows(quasars)) {
      const m = modelOf(r);
      const z = m.z;
      if (z < 1.57 || z > 5) continue;
      const withBal = evaluateQuasar(m, wave, { forest: false });
      const without = evaluateQuasar(m, wave, { forest: false, bal: false });
      const norm = withBal.map((v, i) => v / without[i]!);
      const { bi } = balnicityIndex(
        wave.map((w) => w / (1 + z)),
        norm,
        BAL_IONS.CIV,
      );
      if (r.BAL) {
        bal++;
        expect(bi).toBeGreaterThan(0);
        expect(Math.abs(bi - (r.BI_CIV as number))).toBeLessThan(Math.max(0.05 * (r.BI_CIV as number), 60));
      } else {
        expect(bi).toBe(0);
        expect(r.BI_CIV).toBe(0);
      }
    }
    expect(bal).toBeGreaterThan(0);
  });

  it('coadd flux scatters around R @ model(truth) as its IVAR says; masked pixels have IVAR 0', async () => {
    const truth = new Map(rows(quasars).map((r) => [r.TARGETID as bigint, r]));
    let n = 0,
      sum = 0,
      sum2 = 0,
      maskedOk = 0,
      masked = 0;
    const coadds = summary.files.filter((f) => f.path.includes('/coadd-')).slice(0, 12);
    for (const f of coadds) {
      const fits = await FitsFile.open(join(dir, f.path));
      const ids = (await fits.readTable('FIBERMAP', { columns: ['TARGETID'] })).getChild('TARGETID')!.toArray() as BigInt64Array;
      for (const arm of ARMS) {
        const wave = (await fits.readImage(`${arm}_WAVELENGTH`)).data as Float64Array;
        const flux = (await fits.readImage(`${arm}_FLUX`)).data as Float32Array;
        const ivar = (await fits.readImage(`${arm}_IVAR`)).data as Float32Array;
        const mask = (await fits.readImage(`${arm}_MASK`)).data as Uint32Array;
        const res = (await fits.readImage(`${arm}_RESOLUTION`)).data as Float32Array;
        const nw = wave.length;
        ids.forEach((id, k) => {
          const r = truth.get(id)!;
          for (let i = 0; i < nw; i++) {
            if (mask[k * nw + i] !== 0) {
              masked++;
              if (ivar[k * nw + i] === 0) maskedOk++;
            }
          }
          if ((r.ANOMALY as number) !== 0) return;
          const m = modelOf(r);
          const conv = applyResolution(res.subarray(k * NDIAG * nw, (k + 1) * NDIAG * nw), NDIAG, evaluateQuasar(m, wave));
          for (let i = 6; i < nw - 6; i++) {
            const iv = ivar[k * nw + i]!;
            if (iv === 0 || wave[i]! / (1 + m.z) < 1225) continue;
            const pull = (flux[k * nw + i]! - conv[i]!) * Math.sqrt(iv);
            n++;
            sum += pull;
            sum2 += pull * pull;
          }
        });
      }
      await fits.close();
    }
    expect(n).toBeGreaterThan(50_000);
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.sqrt(sum2 / n - (sum / n) ** 2)).toBeGreaterThan(0.97);
    expect(Math.sqrt(sum2 / n - (sum / n) ** 2)).toBeLessThan(1.03);
    expect(masked).toBeGreaterThan(0);
    expect(maskedOk).toBe(masked);
  });
});
