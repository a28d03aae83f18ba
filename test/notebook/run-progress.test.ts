import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordProgress } from '../../lib/core/index.js';
import { findKernelSpec, readNotebook, runNotebook } from '../../lib/notebook/index.js';

// The runner counts cells through lib/core's Progress (the CLI draws it as a bar, the kernel as a display).
describe('runNotebook progress (python3 kernel)', () => {
  it('one phase of cells: the kernel start and each cell named as the detail, every cell counted, then finished', async () => {
    const nb = await readNotebook(join(import.meta.dirname, 'fixtures', 'params.ipynb'));
    const cells = nb.cells.filter((c) => c.cell_type === 'code').length;
    const progress = recordProgress();
    const r = await runNotebook(nb, { kernel: findKernelSpec('python3'), progress, label: 'run params.ipynb' });
    expect(r.status).toBe('completed');
    expect(progress.events[0]).toEqual({ kind: 'start', task: { label: 'run params.ipynb', total: cells, unit: 'cells' } });
    expect(progress.events[1]).toEqual({ kind: 'advance', by: 0, detail: 'starting kernel python3' });
    const details = progress.events.flatMap((e) => (e.kind === 'advance' && e.detail ? [e.detail] : []));
    expect(details.slice(1)).toEqual(nb.cells.flatMap((c, i) => (c.cell_type === 'code' ? [`cell ${i}`] : [])));
    expect(progress.done()).toBe(cells);
    expect(progress.events.at(-1)).toEqual({ kind: 'finish' });
  });
});
