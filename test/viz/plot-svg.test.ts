import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { elementBundle, mimeBundle, plainText, plotDocument, registerRenderer } from '../../lib/viz/index.js';
import { renumberIds } from '../../lib/core/index.js';

// A plot with a clip path: Plot numbers clip ids with a process-wide counter, so two renders differ before renumbering.
const draw = () =>
  Plot.plot({
    marks: [
      Plot.dot(
        [
          [1, 2],
          [3, 4],
        ],
        { clip: true },
      ),
      Plot.frame(),
    ],
    document: plotDocument(),
  });

describe('Observable Plot to SVG', () => {
  it('renders to image/svg+xml with the SVG namespace', () => {
    const b = elementBundle(draw(), 'skybook-2-1');
    const svg = b['image/svg+xml']!;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<circle/g)).toHaveLength(2);
  });

  it('renumbers ids so the same plot gives the same bytes, and references follow', () => {
    const first = draw();
    const second = draw();
    expect(first.outerHTML).not.toBe(second.outerHTML); // Plot's own clip ids differ
    const a = elementBundle(first, 'skybook-2-1')['image/svg+xml']!;
    const b = elementBundle(second, 'skybook-2-1')['image/svg+xml']!;
    expect(a).toBe(b);
    expect(a).toContain('id="skybook-2-1-1"');
    expect(a).toContain('url(#skybook-2-1-1)');
    expect(a).not.toMatch(/plot-clip-\d+/);
  });

  it('renumberIds maps ids in order of appearance and leaves unknown references alone', () => {
    const src = '<a id="x9"/><b id="y"/><use href="#y"/><g clip-path="url(#x9)"/><use href="#elsewhere"/>';
    expect(renumberIds(src, 'p')).toBe('<a id="p-1"/><b id="p-2"/><use href="#p-2"/><g clip-path="url(#p-1)"/><use href="#elsewhere"/>');
  });

  it('a Plot figure (title, legend) becomes text/html', () => {
    const fig = Plot.plot({
      title: 'z',
      color: { legend: true },
      marks: [Plot.dot([{ x: 1, c: 'a' }], { x: 'x', fill: 'c' })],
      document: plotDocument(),
    });
    const b = mimeBundle(fig, 'f-1');
    expect(Object.keys(b).sort()).toEqual(['text/html', 'text/plain']);
    expect(b['text/html']).toMatch(/^<figure/);
  });

  it('registered renderers come first; plain values get text/plain only', () => {
    class Voids {
      constructor(readonly n: number) {}
    }
    registerRenderer({
      name: 'voids',
      test: (v) => v instanceof Voids,
      render: (v) => ({ 'text/markdown': `**${(v as Voids).n} voids**` }),
    });
    expect(mimeBundle(new Voids(3), 'x')).toEqual({ 'text/markdown': '**3 voids**', 'text/plain': 'Voids { n: 3 }' });
    expect(mimeBundle('abc', 'x')).toEqual({ 'text/plain': "'abc'" });
    expect(plainText({ z: [1, 2] })).toBe('{ z: [ 1, 2 ] }');
  });
});
