import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ionColumn, parseDeckText, readOutFile, readSaveFile, renderDeck } from '../../lib/cloudy/index.js';

// The real Cloudy 10.00 outputs notebook 07 ships (notebooks/data/bal-outflow-grid/README.md). Values asserted here were
// read off the files' text.
const GRID = join(import.meta.dirname, '../../notebooks/data/bal-outflow-grid');
const MODELS = readdirSync(GRID, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('the bundled BAL-outflow grid (notebooks/data/bal-outflow-grid)', () => {
  it('holds 16 models, each a deck that round-trips, its recorded hash, and a Cloudy 10.00 output that exited OK', async () => {
    expect(MODELS).toEqual(Array.from({ length: 16 }, (_, k) => `bal-${String(k).padStart(3, '0')}`));
    for (const name of MODELS) {
      const input = readFileSync(join(GRID, name, `${name}.in`), 'utf8');
      const done = JSON.parse(readFileSync(join(GRID, name, `${name}.done.json`), 'utf8')) as { sha256: string; warnings: number };
      expect(createHash('sha256').update(input).digest('hex'), name).toBe(done.sha256);
      expect(renderDeck(parseDeckText(input)), name).toBe(input);
      const out = await readOutFile(join(GRID, name, `${name}.out`));
      expect([out.version, out.exitedOk, out.warnings.length], name).toEqual(['10.00', true, done.warnings]);
      expect(out.columns.numRows, name).toBe(495);
    }
  });

  it('spot values: stop reasons, zones, the C IV column and the overview', async () => {
    const stopped = await readOutFile(join(GRID, 'bal-003/bal-003.out'));
    expect(stopped.stops).toEqual([{ iteration: 1, of: 1, reason: 'lowest Te reached' }]);
    expect([stopped.zones, stopped.execSeconds]).toEqual([130, 13.55]);
    const thin = await readOutFile(join(GRID, 'bal-004/bal-004.out'));
    expect(thin.stops[0]!.reason).toBe('H column dens reached');
    expect([thin.zones, thin.cautionCount]).toEqual([34, 3]);
    // " Carbon      9.766 13.325 15.229 15.506 15.450 12.793  7.696"
    expect([1, 2, 3, 4, 5, 6, 7].map((ion) => ionColumn(thin.columns, 'Carbon', ion))).toEqual([
      9.766, 13.325, 15.229, 15.506, 15.45, 12.793, 7.696,
    ]);
    // A ten-letter name runs into a negative first value: " Phosphorus-30.000  6.980  9.631 ...", " Argon     -30.000  6.618".
    const hot = await readOutFile(join(GRID, 'bal-008/bal-008.out'));
    expect([1, 2, 3].map((ion) => ionColumn(hot.columns, 'Phosphorus', ion))).toEqual([-30, 6.98, 9.631]);
    expect([1, 2].map((ion) => ionColumn(hot.columns, 'Argon', ion))).toEqual([-30, 6.618]);
    const ovr = await readSaveFile(join(GRID, 'bal-004/overview.ovr'));
    expect(ovr.layout).toBe('log10');
    expect(ovr.table.numRows).toBe(34);
    // First zone: "7.15354e+12	4.1835	...	4.0000 ..." (C10 writes log10: Te = 10^4.1835 K, hden = 10^4).
    expect(ovr.table.getChild('depth')!.get(0)).toBe(7.15354e12);
    expect(ovr.table.getChild('Te')!.get(0)).toBeCloseTo(10 ** 4.1835, 6);
    expect(ovr.table.getChild('hden')!.get(0)).toBeCloseTo(1e4, 6);
  });
});
