import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PipelineError } from '../../lib/errors/index.js';
import {
  HashCache,
  dagMermaid,
  dagText,
  downstreamOf,
  loadPipeline,
  normaliseCurly,
  notebookCodeHash,
  parseYamlText,
  PIPELINE_SCHEMA,
  stageGraph,
} from '../../lib/pipeline/index.js';
import { sha256 } from '../../lib/provenance/index.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-pipeline-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('normalised notebook code', () => {
  it('ignores comments and layout but not code, strings or regular expressions', () => {
    const base = "const url = 'http://x//y'; // a comment\nlet n = a + +b;\nconst re = /a\\/\\/b/g;";
    expect(normaliseCurly(base)).toBe(
      normaliseCurly("const   url='http://x//y';\n\n/* block\ncomment */let n=a+ +b;const re=/a\\/\\/b/g;"),
    );
    expect(normaliseCurly(base)).not.toBe(normaliseCurly(base.replace('x//y', 'x/y')));
    expect(normaliseCurly('let n = a + +b;')).not.toBe(normaliseCurly('let n = a ++b;'.replace('++', '+-')));
    expect(normaliseCurly('return x')).toBe('return x');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source under test, not a template here
    expect(normaliseCurly('const s = `a ${b /* not a comment end */} // kept`;')).toContain('// kept');
  });

  it('hashes code cells only: markdown, outputs and execution counts do not count; a parameters tag does', () => {
    const nb = (cells: unknown[]) =>
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { language_info: { name: 'typescript' } }, cells });
    const code = (source: string, extra: Record<string, unknown> = {}) => ({
      cell_type: 'code',
      metadata: {},
      outputs: [],
      execution_count: null,
      source,
      ...extra,
    });
    const write = (name: string, cells: unknown[]) => {
      writeFileSync(join(dir, name), nb(cells));
      return notebookCodeHash(join(dir, name));
    };
    const a = write('a.ipynb', [code('const x = 1;')]);
    const b = write('b.ipynb', [
      { cell_type: 'markdown', metadata: {}, source: '# prose' },
      code('const x=1; // one', { execution_count: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi' }] }),
    ]);
    expect(b).toBe(a);
    expect(write('c.ipynb', [code('const x = 2;')])).not.toBe(a);
    expect(write('d.ipynb', [code('const x = 1;', { metadata: { tags: ['parameters'] } })])).not.toBe(a);
  });
});

describe('the hash cache', () => {
  it('reads a file once, then only stats it; a change of bytes or of mtime rehashes', () => {
    const f = join(dir, 'big.bin');
    writeFileSync(f, Buffer.alloc(1 << 20, 7));
    const cache = new HashCache(join(dir, '.skybook/hash-cache.json'));
    const first = cache.hash(f)!;
    expect(first.sha256).toBe(sha256(Buffer.alloc(1 << 20, 7)));
    expect(cache.bytesHashed).toBe(1 << 20);
    cache.save();
    const again = new HashCache(join(dir, '.skybook/hash-cache.json'));
    expect(again.hash(f)!.sha256).toBe(first.sha256);
    expect(again.bytesHashed).toBe(0);
    utimesSync(f, new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(again.hash(f)!.sha256).toBe(first.sha256);
    expect(again.bytesHashed).toBe(1 << 20);
  });

  it('hashes a folder by its listing: a new file changes it', () => {
    const d = join(dir, 'landing');
    mkdirSync(join(d, 'sub'), { recursive: true });
    writeFileSync(join(d, 'a.fits'), 'a');
    const cache = new HashCache(join(dir, '.skybook/other.json'));
    const before = cache.hash(d)!;
    expect(before.files).toBe(1);
    writeFileSync(join(d, 'sub', 'b.fits'), 'b');
    const after = cache.hash(d)!;
    expect(after.files).toBe(2);
    expect(after.size).toBe(2);
    expect(after.sha256).not.toBe(before.sha256);
    expect(cache.hash(join(d, 'nothing'))).toBeUndefined();
  });
});

describe('the pipeline file and graph', () => {
  const file = join(dir, 'p.yaml');
  writeFileSync(
    file,
    'stages:\n  a:\n    cmd: make a\n    outs: [data/a]\n  b:\n    cmd: make b\n    deps: [data/a/x.txt]\n    outs: [b.txt]\n' +
      '  c:\n    notebook: nb.ipynb\n    deps: [b.txt]\n    outs: [c.json]\n  d:\n    cmd: make d\n    deps: [data/a]\n    outs: [d.txt]\n',
  );

  it('orders stages upstream first and finds what is downstream', () => {
    const g = stageGraph(loadPipeline(file));
    expect(g.order).toEqual(['a', 'b', 'c', 'd']);
    expect(g.upstream.get('b')).toEqual(['a']);
    expect(downstreamOf(g, 'a')).toEqual(['b', 'c', 'd']);
    expect(downstreamOf(g, 'b')).toEqual(['c']);
    const c = g.byName.get('c')!;
    expect(c.outs).toEqual(['c.json', 'runs/c.ipynb', 'runs/c.provenance.json']);
  });

  it('prints the graph as text and Mermaid', () => {
    const p = loadPipeline(file);
    expect(dagText(p).split('\n')[1]).toBe('b  (cmd)  <- a');
    expect(dagMermaid(p)).toContain('  s_a --> s_b\n  s_b --> s_c\n  s_a --> s_d');
  });

  it('names line and column of a schema error, and refuses outs that collide or leave the folder', () => {
    const err = (text: string) => {
      try {
        parseYamlText(text, PIPELINE_SCHEMA, 'x.yaml');
      } catch (e) {
        return (e as PipelineError).message;
      }
      return 'no error';
    };
    expect(err('stages:\n  a:\n    cmd: 3\n')).toMatch(/^x\.yaml: line 3: col 5: stages\.a: a stage has either/);
    expect(err('stages:\n  a:\n    cmd: x\n    outz: []\n')).toMatch(/^x\.yaml: line 4: col 5: stages\.a: unknown key 'outz'/);
    expect(err('stages: [1, 2')).toMatch(/^x\.yaml: line 1: col \d+: invalid YAML/);
    writeFileSync(join(dir, 'twice.yaml'), 'stages:\n  a:\n    cmd: x\n    outs: [o]\n  b:\n    cmd: y\n    outs: [o]\n');
    expect(() => loadPipeline(join(dir, 'twice.yaml'))).toThrow(/stage b: out o is also an out of stage a/);
    writeFileSync(join(dir, 'away.yaml'), 'stages:\n  a:\n    cmd: x\n    outs: [../elsewhere]\n');
    expect(() => loadPipeline(join(dir, 'away.yaml'))).toThrow(/out "..\/elsewhere" is outside the pipeline's folder/);
  });
});
