import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CloudyDeckInput, cloudyModel, gridModels, readOutFile, runCloudyModels } from '../../lib/cloudy/index.js';
import { recordProgress } from '../../lib/core/index.js';
import { CloudyError } from '../../lib/errors/index.js';

// The runner's process control against cloudy-stand-in.sh (NOT Cloudy: see its header), which imitates cloudy.exe's
// process behaviour; a deck's title picks a crash, a hang, a botched exit or a missing "exited OK".
const STAND_IN = join(import.meta.dirname, 'cloudy-stand-in.sh');
const tmp = mkdtempSync(join(tmpdir(), 'skybook-cloudy-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BASE: CloudyDeckInput = {
  title: 'BAL grid',
  continua: [{ shape: { kind: 'table agn' }, intensity: { kind: 'ionization parameter', log: -2 } }],
  density: { log: 8 },
  stops: [{ kind: 'column density', log: 21 }],
  saves: [{ kind: 'overview', file: 'model.ovr', last: true, noHash: true }],
};

describe('gridModels', () => {
  it('is the Cartesian product of the axes, last axis fastest, with stable names and input hashes', () => {
    const models = gridModels(BASE, { 'continua.0.intensity.log': [-3, -2, -1], 'density.log': [4, 6, 8] }, { prefix: 'bal' });
    expect(models).toHaveLength(9);
    expect(models.map((m) => m.name).slice(0, 3)).toEqual(['bal-000', 'bal-001', 'bal-002']);
    expect(models[1]!.params).toEqual({ 'continua.0.intensity.log': -3, 'density.log': 6 });
    expect(Object.keys(models[1]!.params)).toEqual(['continua.0.intensity.log', 'density.log']);
    expect(models[5]!.input).toContain('ionization parameter -2\nhden 8\n');
    expect(new Set(models.map((m) => m.sha256)).size).toBe(9);
    expect(gridModels(BASE, { 'density.log': [4] })[0]!.sha256).toBe(gridModels(BASE, { 'density.log': [4] })[0]!.sha256);
    expect(() => gridModels(BASE, { 'density.nope': [1] })).toThrow(
      'gridModels: axis density.nope does not name a number in the base deck',
    );
    expect(() => gridModels(BASE, { 'density.log': [] })).toThrow(/axis density.log has no values/);
    expect(() => gridModels({ ...BASE, coveringFactor: 0.5 }, { coveringFactor: [0.5, 2] })).toThrow(
      /model-001 \(coveringFactor = 2\): .*coveringFactor/,
    );
  });
});

describe('runCloudyModels with a stand-in cloudy.exe', () => {
  it('200 models, 3 crash, 2 time out, 1 never says "exited OK": 194 parsed, 6 listed with reasons; a re-run runs only those 6', async () => {
    const models = gridModels(BASE, {
      'continua.0.intensity.log': Array.from({ length: 50 }, (_, i) => -4 + 0.05 * i),
      'density.log': [6, 7, 8, 9],
    });
    expect(models).toHaveLength(200);
    const bad: Record<string, string> = {
      'model-017': 'crash',
      'model-090': 'crash',
      'model-151': 'crash',
      'model-042': 'hang',
      'model-199': 'hang',
      'model-123': 'no-ok',
    };
    const grid = models.map((m) => (bad[m.name] ? cloudyModel(m.name, { ...m.deck!, title: `stand-in ${bad[m.name]}` }, m.params) : m));
    const outDir = join(tmp, 'grid');
    const progress = recordProgress();
    const runs = await runCloudyModels(grid, { cloudy: STAND_IN, outDir, jobs: 4, timeoutSeconds: 3, progress });
    expect(runs.map((r) => r.name)).toEqual(grid.map((m) => m.name));
    const failed = runs.filter((r) => r.status === 'failed');
    expect(Object.fromEntries(failed.map((r) => [r.name, r.reason]))).toEqual({
      'model-017': 'crashed: killed by SIGSEGV',
      'model-042': 'timed out after 3 s (killed)',
      'model-090': 'crashed: killed by SIGSEGV',
      'model-123': 'exit code 0 but the output never says "Cloudy exited OK"',
      'model-151': 'crashed: killed by SIGSEGV',
      'model-199': 'timed out after 3 s (killed)',
    });
    const ok = runs.filter((r) => r.status === 'ok');
    expect(ok).toHaveLength(194);
    for (const r of ok) {
      const o = await readOutFile(r.out);
      expect(o.exitedOk && o.zones === 1).toBe(true);
      expect(readFileSync(join(outDir, r.name, `${r.name}.in`), 'utf8')).toBe(grid.find((m) => m.name === r.name)!.input);
    }
    expect(progress.done()).toBe(200);

    // Nothing good is touched again: same file (inode) and modification time for every good output.
    const before = new Map(ok.map((r) => [r.out, statSync(r.out)]));
    // The failures fixed (their decks back to ordinary), the grid runs again.
    const fixed = grid.map((m) => (bad[m.name] ? cloudyModel(m.name, { ...m.deck!, title: 'BAL grid' }, m.params) : m));
    const again = await runCloudyModels(fixed, { cloudy: STAND_IN, outDir, jobs: 4, timeoutSeconds: 3 });
    expect(again.filter((r) => r.status === 'skipped').map((r) => r.name)).toEqual(ok.map((r) => r.name));
    expect(again.filter((r) => r.status === 'ok').map((r) => r.name)).toEqual(Object.keys(bad).sort());
    for (const [file, s] of before) {
      const now = statSync(file);
      expect([now.ino, now.mtimeMs]).toEqual([s.ino, s.mtimeMs]);
    }
  }, 120_000);

  it('a changed deck is run again even where a good output exists (the input hash decides)', async () => {
    const outDir = join(tmp, 'changed');
    const [m] = gridModels(BASE, { 'density.log': [5] });
    expect((await runCloudyModels([m!], { cloudy: STAND_IN, outDir }))[0]!.status).toBe('ok');
    expect((await runCloudyModels([m!], { cloudy: STAND_IN, outDir }))[0]!.status).toBe('skipped');
    const changed = cloudyModel(m!.name, { ...m!.deck!, density: { log: 6 } });
    expect((await runCloudyModels([changed], { cloudy: STAND_IN, outDir }))[0]!.status).toBe('ok');
    expect(readFileSync(join(outDir, m!.name, `${m!.name}.in`), 'utf8')).toContain('hden 6\n');
    expect((await runCloudyModels([changed], { cloudy: STAND_IN, outDir, force: true }))[0]!.status).toBe('ok');
  });

  it('a non-zero exit is a failed model; a missing or non-executable Cloudy is refused before anything runs', async () => {
    const outDir = join(tmp, 'exits');
    const r = await runCloudyModels([cloudyModel('botched', { ...BASE, title: 'stand-in exit-one' })], { cloudy: STAND_IN, outDir });
    expect(r[0]).toMatchObject({ status: 'failed', reason: 'exit code 1 without "Cloudy exited OK"', exitCode: 1 });
    const none = join(tmp, 'none');
    await expect(runCloudyModels([cloudyModel('x', BASE)], { cloudy: join(tmp, 'no-cloudy.exe'), outDir: none })).rejects.toThrow(
      CloudyError,
    );
    await expect(runCloudyModels([cloudyModel('x', BASE)], { cloudy: join(tmp, 'no-cloudy.exe'), outDir: none })).rejects.toThrow(
      /Cloudy executable not found or not executable: .*no-cloudy\.exe; give --cloudy PATH or set CLOUDY_EXE/,
    );
    const plain = join(tmp, 'plain.exe');
    writeFileSync(plain, '#!/bin/sh\n');
    chmodSync(plain, 0o644);
    await expect(runCloudyModels([cloudyModel('x', BASE)], { cloudy: plain, outDir: none })).rejects.toThrow(
      /not executable: .*plain\.exe/,
    );
    expect(existsSync(none)).toBe(false);
    await expect(runCloudyModels([cloudyModel('x', BASE), cloudyModel('x', BASE)], { cloudy: STAND_IN, outDir: none })).rejects.toThrow(
      /two models are named x/,
    );
  });
});
