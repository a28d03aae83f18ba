import { beforeAll, describe, expect, it } from 'vitest';
import { installedPrefix, nbconvert } from './nbconvert-helper.js';

let prefix: string;
beforeAll(() => {
  prefix = installedPrefix();
});

describe('jupyter nbconvert --execute with the skybook kernel', () => {
  it('runs a notebook: streams, execution counts and rich bundles (Arrow table, Plotly, Observable Plot SVG)', () => {
    const r = nbconvert(prefix, [
      'console.log("z range", 0, 2.5);\nconst zmax: number = 2.5;',
      'arrow.tableFromArrays({ TARGETID: BigInt64Array.from([39627586454521344n, 39627586454521345n]), Z: new Float64Array([0.5, zmax]) })',
      '({ data: [{ type: "histogram", x: [0.5, 1, 2.5] }], layout: { title: { text: "z" } } })',
      'import * as Plot from "@observablehq/plot";\nPlot.plot({ marks: [Plot.rectY([0.5, 1, 2.5], Plot.binX())], document })',
      'const q = await Promise.resolve(zmax * 2);\nq',
    ]);
    expect(r.stderr).not.toMatch(/Traceback|CellExecutionError/);
    expect(r.code).toBe(0);
    expect(r.cells.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    expect(r.cells[0]!.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'z range 0 2.5\n' }]);
    const [table] = r.cells[1]!.outputs!;
    expect(table).toMatchObject({ output_type: 'execute_result', execution_count: 2 });
    expect(table!.data!['text/html']).toContain('<td>39627586454521345</td><td>2.5</td>');
    expect(table!.data!['text/html']).toContain('2 rows × 2 columns');
    expect(table!.data!['text/plain']).toContain('Int64');
    const plotly = r.cells[2]!.outputs![0]!.data!;
    expect(plotly['application/vnd.plotly.v1+json']).toEqual({
      data: [{ type: 'histogram', x: [0.5, 1, 2.5] }],
      layout: { title: { text: 'z' } },
    });
    expect(plotly['text/html']).toContain('id="skybook-3-1"');
    const svg = r.cells[3]!.outputs![0]!.data!['image/svg+xml'] as string;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<rect');
    expect(r.cells[4]!.outputs![0]!.data).toEqual({ 'text/plain': '5' });
  });
});
