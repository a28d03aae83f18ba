import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { isPlotlyFigure, mimeBundle, plotlyBundle, plotlyFigure, PLOTLY_MIME, toJsonValue } from '../../lib/viz/index.js';

describe('Plotly figures', () => {
  it.each([
    [{ data: [{ type: 'scatter', x: [1], y: [2] }] }, true],
    [{ data: [{ x: [1], y: [2] }], layout: { title: 't' } }, true],
    [{ data: [], layout: {} }, true],
    [{ data: [1, 2, 3] }, false],
    [{ data: [{ name: 'no coordinates' }] }, false],
    [{ data: [{ type: 'bar' }], extra: 1 }, false],
    [[{ type: 'bar' }], false],
    ['data', false],
  ])('isPlotlyFigure(%j) is %s', (v, want) => {
    expect(isPlotlyFigure(v)).toBe(want);
  });

  it('bundles JSON (typed arrays and Arrow vectors as arrays, int64 as strings), an HTML fallback and text', () => {
    const t = tableFromArrays({ z: new Float64Array([0.5, NaN]), id: BigInt64Array.from([2n ** 60n + 1n, 5n]) });
    const fig = plotlyFigure([{ type: 'histogram', x: t.getChild('z'), customdata: t.getChild('id') }], { title: { text: 'z' } });
    const b = plotlyBundle(fig, 'skybook-3-1');
    expect(b[PLOTLY_MIME]).toEqual({
      data: [{ type: 'histogram', x: [0.5, null], customdata: ['1152921504606846977', '5'] }],
      layout: { title: { text: 'z' } },
    });
    expect(b['text/plain']).toBe('Plotly figure: 1 trace (histogram)');
    expect(b['text/html']).toContain('<div id="skybook-3-1" class="skybook-plotly"></div>');
    expect(b['text/html']).toContain('window.Plotly.newPlot(el, fig.data');
  });

  it('cannot end the fallback script early with </script> in the data', () => {
    const b = plotlyBundle(plotlyFigure([{ type: 'bar', x: ['</script><script>alert(1)</script>'], y: [1] }]), 'p');
    const html = b['text/html'] as string;
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain('\\u003c/script\\u003e');
  });

  it('renders deterministically through mimeBundle', () => {
    const make = () => ({ data: [{ type: 'scatter', x: new Float32Array([1, 2]), y: [3, 4] }], layout: { height: 300 } });
    expect(JSON.stringify(mimeBundle(make(), 'a-1'))).toBe(JSON.stringify(mimeBundle(make(), 'a-1')));
    expect(Object.keys(mimeBundle(make(), 'a-1')).sort()).toEqual([PLOTLY_MIME, 'text/html', 'text/plain']);
  });

  it('toJsonValue keeps key order, cuts cycles and drops functions', () => {
    const o: Record<string, unknown> = { b: 1, a: new Map([['k', 2n]]), f: () => 1, d: new Date(0) };
    o.self = o;
    expect(toJsonValue(o)).toEqual({ b: 1, a: { k: '2' }, d: '1970-01-01T00:00:00.000Z', self: '[Circular]' });
    expect(Object.keys(toJsonValue(o) as object)).toEqual(['b', 'a', 'd', 'self']);
  });
});
