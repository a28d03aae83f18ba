import { describe, expect, it } from 'vitest';
import type { Output } from '../../lib/notebook/index.js';
import { canonicalJson, normaliseOutputs, normaliseSvg, normaliseText, redactParameters, redactText } from '../../lib/provenance/index.js';

describe('normaliseText', () => {
  const ctx = { cwd: '/work/proj', outDir: '/work/proj/runs/a', home: '/home/me' };
  it.each<[string, string]>([
    ['wrote /work/proj/runs/a/hist.csv', 'wrote {out}/hist.csv'],
    ['read /work/proj/data/z.fits', 'read {cwd}/data/z.fits'],
    ['cache in /home/me/.cache', 'cache in ~/.cache'],
    ['/work/project2 is another folder', '/work/project2 is another folder'],
    ['at 2026-11-25T21:50:55.227Z and 2026-01-02 03:04:05+01:00', 'at <timestamp> and <timestamp>'],
    ['<object at 0x7f3a2b1c4d50>', '<object at 0x?>'],
    ['\x1b[0;31mRed\x1b[0m text', 'Red text'],
    [
      'ids 1b4e28ba-2fa1-11d2-883f-0016d3cca427 and 1B4E28BA-2FA1-11D2-883F-0016D3CCA427, 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      'ids id-1 and id-1, id-2',
    ],
  ])('%j', (input, want) => expect(normaliseText(input, ctx)).toBe(want));
});

describe('normaliseSvg', () => {
  it('renumbers ids in document order and rewrites references to them', () => {
    const a =
      '<svg><defs><clipPath id="clip-8f2"><rect/></clipPath><linearGradient id="g-x1"/></defs><g clip-path="url(#clip-8f2)" fill="url(#g-x1)"><use href="#clip-8f2"/><a href="#elsewhere"/></g></svg>';
    expect(normaliseSvg(a)).toBe(
      '<svg><defs><clipPath id="svg-1"><rect/></clipPath><linearGradient id="svg-2"/></defs><g clip-path="url(#svg-1)" fill="url(#svg-2)"><use href="#svg-1"/><a href="#elsewhere"/></g></svg>',
    );
    // The same drawing with other random ids normalises to the same text.
    expect(normaliseSvg(a.replaceAll('clip-8f2', 'clip-zz9').replaceAll('g-x1', 'g-q7'))).toBe(normaliseSvg(a));
  });
});

describe('normaliseOutputs', () => {
  it('drops execution counts, transient ids and Plotly uids, and sorts keys', () => {
    const run = (count: number, uid: string, display: string): Output[] => [
      {
        output_type: 'execute_result',
        execution_count: count,
        metadata: {},
        data: { 'text/plain': 'x', 'application/vnd.plotly.v1+json': { layout: {}, data: [{ y: [1], uid, type: 'bar' }] } },
        transient: { display_id: display },
      },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: [`Cell In [${count}], line 1`] },
    ];
    const a = normaliseOutputs(run(3, 'u1', 'd1'));
    const b = normaliseOutputs(run(9, 'u2', 'd2'));
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(JSON.stringify(a[0])).toBe(
      '{"data":{"application/vnd.plotly.v1+json":{"data":[{"type":"bar","y":[1]}],"layout":{}},"text/plain":"x"},"metadata":{},"output_type":"execute_result"}',
    );
    expect(a[1]).toEqual({ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['Cell In [#], line 1'] });
    expect(canonicalJson(normaliseOutputs([{ output_type: 'stream', name: 'stdout', text: '1' }]))).not.toBe(
      canonicalJson(normaliseOutputs([{ output_type: 'stream', name: 'stdout', text: '2' }])),
    );
  });
});

describe('redaction', () => {
  it('removes URL passwords and secret env values', () => {
    const env = { GITHUB_TOKEN: 'ghp_abcdef123456', HOME: '/home/me' };
    expect(redactText('postgres://me:hunter2@db:5432/x and ghp_abcdef123456', env)).toBe(
      'postgres://me:***@db:5432/x and [redacted:$GITHUB_TOKEN]',
    );
    expect(redactText('/home/me/x', env)).toBe('/home/me/x');
  });
  it('redacts secret-named parameters and secrets inside values, naming them', () => {
    const r = redactParameters({ db_password: 'pw', url: 'https://u:p@h/x', zmax: 2, list: ['s3://a:b@bucket/k'] }, {});
    expect(r.values).toEqual({ db_password: '[redacted]', url: 'https://u:***@h/x', zmax: 2, list: ['s3://a:***@bucket/k'] });
    expect(r.redacted).toEqual(['db_password', 'url', 'list']);
  });
});
