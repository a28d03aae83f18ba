import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRESS_DISPLAY_METADATA } from '../../lib/core/index.js';
import type { Notebook, Output } from '../../lib/notebook/index.js';
import { normaliseOutputs, readManifest } from '../../lib/provenance/index.js';
import { skybook } from '../helpers/cli.js';

// Progress displays say how the work went, not what it produced: a re-run that finds the work done (an ingest of an
// unchanged file) shows none, and must still verify as identical.
describe('progress displays in provenance', () => {
  it('normalisation leaves out outputs marked as progress and keeps every other display', () => {
    const progress: Output = {
      output_type: 'display_data',
      data: { 'text/plain': 'ingest z.fits: 5/5 rows' },
      metadata: { ...PROGRESS_DISPLAY_METADATA },
    };
    const table: Output = { output_type: 'display_data', data: { 'text/plain': 'a table' }, metadata: {} };
    expect(normaliseOutputs([progress, table])).toEqual(normaliseOutputs([table]));
    expect(normaliseOutputs([progress])).toEqual([]);
    expect(normaliseOutputs([table])).toHaveLength(1);
  });

  it('a cell that showed progress on one run and none on the next hashes the same (skybook kernel)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-progress-'));
    const nb: Notebook = {
      cells: [
        {
          cell_type: 'code',
          execution_count: null,
          id: 'p',
          metadata: { tags: ['parameters'] },
          outputs: [],
          source: 'const work = true;',
        },
        {
          cell_type: 'code',
          execution_count: null,
          id: 'w',
          metadata: {},
          outputs: [],
          source: [
            'if (work) {',
            '  const p = sky.core.progressOf(undefined);',
            "  p.start({ label: 'load', total: 2, unit: 'rows' });",
            '  p.advance(2);',
            '  p.finish();',
            '}',
            'display(arrow.tableFromArrays({ z: new Float64Array([0.5]) }));',
            "'done'",
          ].join('\n'),
        },
      ],
      metadata: { kernelspec: { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const path = join(dir, 'work.ipynb');
    writeFileSync(path, JSON.stringify(nb));
    const run = (work: string, name: string) => {
      const r = skybook(['run', path, '-p', 'work', work, '-o', join(dir, `${name}.ipynb`), '--cwd', dir]);
      expect(r.code, r.stderr).toBe(0);
      return join(dir, `${name}.ipynb`);
    };
    const shown = run('true', 'shown');
    const quiet = run('false', 'quiet');
    const outputsOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as Notebook).cells[2]!.outputs!;
    // the run that worked saved its progress display, marked; the other saved none
    const marked = outputsOf(shown).filter((o) => (o.metadata as { skybook?: { progress?: boolean } })?.skybook?.progress);
    expect(marked).toHaveLength(1);
    expect([marked[0]!.data!['text/plain']].flat().join('')).toBe('load: 2/2 rows');
    expect(outputsOf(quiet).length).toBe(outputsOf(shown).length - 1);
    const a = await readManifest(join(dir, 'shown.provenance.json'));
    const b = await readManifest(join(dir, 'quiet.provenance.json'));
    expect(a.cells[2]!.outputs).toBe(b.cells[2]!.outputs);
    expect(a.cells[2]!.source).toBe(b.cells[2]!.source);
  }, 90_000);
});
