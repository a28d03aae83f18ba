import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lib/cli/run-cli.js';
import { makeSurvey, type SurveySummary } from '../../lib/datasets/make-survey.js';
import { surveyManifest, type SurveyManifest } from '../../lib/datasets/manifest.js';
import { generatePixel } from '../../lib/datasets/pixel-content.js';
import { resolveSurveyOptions } from '../../lib/datasets/presets.js';
import { planSurvey } from '../../lib/datasets/survey-plan.js';
import { desiInfo, dr1Location, zallPixRelpath } from '../../lib/desi/index.js';
import { FitsFile } from '../../lib/fits/fits-file.js';
import { ROOT, skybook } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-datasets-'));
let viaCli: { code: number | null; stdout: string; stderr: string; seconds: number };
let viaApi: SurveySummary;

beforeAll(async () => {
  const t0 = performance.now();
  const r = skybook(['datasets', 'make', '--preset', 'small', '--seed', '1', '--out', join(dir, 'a'), '--json'], { timeoutMs: 120_000 });
  viaCli = { ...r, seconds: (performance.now() - t0) / 1000 };
  viaApi = await makeSurvey({ preset: 'small', seed: 1, out: join(dir, 'b') });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skybook datasets make --preset small', () => {
  it('exits 0 with a JSON summary (build time printed; the < 30 s figure is measured in datasets/README.md, not asserted)', () => {
    expect(viaCli.stderr).toBe('');
    expect(viaCli.code).toBe(0);
    const s = JSON.parse(viaCli.stdout) as { counts: { zcatalogRows: number; spectra: number }; seconds: number; files: unknown[] };
    expect(s.counts.zcatalogRows).toBe(15_060);
    expect(s.counts.spectra).toBe(60);
    console.log(`datasets make --preset small: ${s.seconds.toFixed(1)} s build, ${viaCli.seconds.toFixed(1)} s with node start-up`);
  });

  it('is byte-identical between two builds (CLI and API) and matches datasets/MANIFEST.json', async () => {
    const a = await surveyManifest({ ...viaApi, out: join(dir, 'a') });
    const b = await surveyManifest(viaApi);
    expect(Object.keys(a.files).length).toBe(viaApi.files.length);
    expect(a).toEqual(b);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'datasets', 'MANIFEST.json'), 'utf8')) as SurveyManifest;
    expect(Object.keys(manifest.files).sort()).toEqual(Object.keys(b.files).sort());
    for (const [path, f] of Object.entries(b.files)) expect({ path, ...f }).toEqual({ path, ...manifest.files[path] });
  });

  it('a different seed gives a different survey', () => {
    const one = planSurvey(resolveSurveyOptions({ preset: 'small', seed: 1 }));
    const two = planSurvey(resolveSurveyOptions({ preset: 'small', seed: 2 }));
    expect(two.pixels.map((p) => p.pix)).toEqual(one.pixels.map((p) => p.pix));
    expect(two.voids.map((v) => v.x)).not.toEqual(one.voids.map((v) => v.x));
    expect(generatePixel(two, 0).galaxies.ra).not.toEqual(generatePixel(one, 0).galaxies.ra);
  });

  it('puts every file where dr1Location says, with matching healpix keywords', async () => {
    const root = join(dir, 'b');
    expect(existsSync(join(root, zallPixRelpath()))).toBe(true);
    let healpixFiles = 0;
    for (const f of viaApi.files) {
      const m = /(coadd|redrock)-(main)-(bright|dark)-(\d+)\.fits$/.exec(f.path);
      if (!m) continue;
      healpixFiles++;
      const loc = dr1Location({ survey: m[2]!, program: m[3]!, healpix: Number(m[4]), product: m[1] as 'coadd' }, root);
      expect(loc.local).toBe(join(root, f.path));
      const fits = await FitsFile.open(loc.local!);
      try {
        const h = fits.hdus[0]!.header;
        expect([
          h.get('HPXPIXEL'),
          h.get('SPGRPVAL'),
          h.get('HPXNSIDE'),
          h.get('HPXNEST'),
          h.get('SURVEY'),
          h.get('PROGRAM'),
          h.get('SPGRP'),
        ]).toEqual([Number(m[4]), Number(m[4]), 64, true, m[2], m[3], 'healpix']);
      } finally {
        await fits.close();
      }
    }
    expect(healpixFiles).toBe(viaApi.files.length - 5);
  });

  it('lib/desi recognises every product (desi info)', async () => {
    const root = join(dir, 'b');
    const zall = await desiInfo(join(root, zallPixRelpath()));
    expect([zall.product, zall.nspec]).toEqual(['zcatalog', 15_060]);
    const coadd = viaApi.files.find((f) => f.path.includes('/coadd-'))!;
    const c = await desiInfo(join(root, coadd.path));
    expect([c.product, c.survey, c.program]).toEqual(['coadd', 'main', 'dark']);
    expect(Object.fromEntries(Object.entries(c.arms).map(([a, v]) => [a, v.nwave]))).toEqual({ B: 2751, R: 2326, Z: 2881 });
    const bright = viaApi.files.find((f) => f.path.includes('/redrock-main-bright-'))!;
    const r = await desiInfo(join(root, bright.path));
    expect([r.product, r.program, String(r.healpix)]).toEqual(['redrock', 'bright', /-(\d+)\.fits$/.exec(bright.path)![1]]);
  });

  it('every FITS file passes skybook fits verify (CHECKSUM/DATASUM in every HDU)', async () => {
    const root = join(dir, 'b');
    const fitsFiles = viaApi.files.filter((f) => f.path.endsWith('.fits'));
    let failures = 0;
    let hdus = 0;
    for (const f of fitsFiles) {
      let out = '';
      const code = await runCli(['fits', 'verify', join(root, f.path), '--json'], {
        stdout: (t) => {
          out += t;
        },
        stderr: () => undefined,
      });
      const r = JSON.parse(out) as { ok: boolean; hdus: { checksum: string; datasum: string }[] };
      if (code !== 0 || !r.ok || r.hdus.some((h) => h.checksum !== 'ok' || h.datasum !== 'ok')) failures++;
      hdus += r.hdus.length;
    }
    expect(failures).toBe(0);
    expect(hdus).toBeGreaterThan(fitsFiles.length * 4);
    // And once through the spawned CLI, end to end.
    const coadd = fitsFiles.find((f) => f.path.includes('/coadd-'))!;
    expect(skybook(['fits', 'verify', join(root, coadd.path)]).code).toBe(0);
  });

  it('refuses bad options with exit 2 naming the option', () => {
    const r = skybook(['datasets', 'make', '--preset', 'huge', '--out', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--preset: huge');
    const s = skybook(['datasets', 'make', '--seed', '-3', '--out', join(dir, 'x')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('--seed');
    expect(skybook(['datasets', 'make']).stderr).toContain('--out');
  });
});
