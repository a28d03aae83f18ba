import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../lib/errors/index.js';
import { SPECTRUM_BYTES } from '../../lib/datasets/disk-budget.js';
import { makeSurvey } from '../../lib/datasets/make-survey.js';
import { surveyZcatalog } from '../../lib/datasets/survey-stream.js';
import { ROOT, skybook } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming generation', () => {
  it('streams ~650 medium-survey spectra with flat memory (RSS grows < 80 MB after warm-up, a leak would be ~300 MB)', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'test/datasets/stream-rss.mjs'), '30'], {
      encoding: 'utf8',
      cwd: ROOT,
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { spectra: number; batches: number; samples: number[] };
    expect(out.spectra).toBeGreaterThan(600);
    expect(out.samples.length).toBeGreaterThanOrEqual(6);
    const warm = out.samples[1]!;
    const peak = Math.max(...out.samples.slice(1));
    // ~650 spectra are ~290 MB of coadd data; memory holds one pixel's batch (~10 MB): a leak would grow ~10 MB a pixel,
    // ~300 MB over the 30. RSS itself wanders by +-20 MB between samples (the allocator keeps and returns pages):
    // alone the growth measured 4-17 MB, under the full suite once 40.5 MB, so the bound is 80 MB, far below a leak.
    expect(out.spectra * SPECTRUM_BYTES).toBeGreaterThan(250e6);
    expect(peak - warm).toBeLessThan(80e6);
  });

  it('streams zcatalog batches with the requested number of pixels', async () => {
    let rows = 0,
      batches = 0;
    for await (const b of surveyZcatalog({ preset: 'medium', seed: 5, maxPixels: 3 })) {
      rows += b.numRows;
      batches++;
      expect(b.schema.fields[0]!.name).toBe('TARGETID');
    }
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(rows).toBeGreaterThan(1000);
  });

  it('refuses, before writing anything, a survey that does not fit on disk', async () => {
    const out = join(dir, 'large');
    const err = await makeSurvey({ preset: 'large', seed: 1, out, spectra: 'all', freeBytes: 50e9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).exitCode).toBe(2);
    // 1.6M spectra of ~445 kB each: about 700 GB.
    expect((err as Error).message).toMatch(/needs about 7\d\d\.\d\d GB .* only 50\.00 GB is free; nothing was written/);
    expect(existsSync(out)).toBe(false);
    const r = skybook(['datasets', 'make', '--preset', 'large', '--spectra', 'all', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs about .* GB .* is free/);
    expect(existsSync(out)).toBe(false);
  });
});
