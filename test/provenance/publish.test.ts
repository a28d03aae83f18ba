import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../lib/provenance/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { installSkybookKernel } from '../notebook/skybook-kernel-env.js';

// Issue 19, publishing: a run of a TypeScript notebook on the real skybook kernel that reads a catalogue, prints it,
// averages it into a file and plots it; published as an RO-Crate bundle, copied elsewhere and verified there with the
// run's own folder gone, as on a reviewer's machine.
const NB = join(import.meta.dirname, 'fixtures/catalog-plot.ipynb');
const CATALOG = 'id,z\n1,0.512\n2,1.204\n3,2.750\n';

let root: string;
let env: NodeJS.ProcessEnv;
const run = () => join(root, 'run');
const manifest = () => join(run(), 'cat.provenance.json');
const sky = async (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSkybook(args, { cwd: root, env: { ...env, ...extra } }).done;

/** Every file under `dir` with its sha256, to show that verify changed nothing. */
function hashes(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true }))
    if (e.isDirectory()) Object.assign(out, hashes(dir, `${prefix}${e.name}/`));
    else out[prefix + e.name] = sha256(readFileSync(join(dir, prefix, e.name)));
  return out;
}

/** Runs `body` with the run's folder moved away, so nothing can be read from where the run happened. */
async function withoutTheRun<T>(body: () => Promise<T>): Promise<T> {
  renameSync(run(), `${run()}-away`);
  try {
    return await body();
  } finally {
    renameSync(`${run()}-away`, run());
  }
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'sb-publish-')));
  mkdirSync(run(), { recursive: true });
  writeFileSync(join(run(), 'catalog.csv'), CATALOG);
  env = installSkybookKernel();
  // An absolute catalogue path: the bundle's re-run must move it into its working copy and still hash the same.
  const r = await sky([
    'run',
    NB,
    '--kernel',
    'skybook',
    '-p',
    'catalog',
    join(run(), 'catalog.csv'),
    '--cwd',
    run(),
    '-o',
    join(run(), 'cat.ipynb'),
  ]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('skybook publish and skybook verify BUNDLE/', () => {
  it('publishes the run as an RO-Crate 1.1 bundle with relative paths, copied elsewhere it verifies identical', async () => {
    const p = await sky(['publish', manifest(), '--out', join(root, 'bundle')]);
    expect(p.code, p.stderr).toBe(0);
    const bundle = join(root, 'bundle');
    expect(Object.keys(hashes(bundle)).sort()).toEqual([
      'cat.html',
      'cat.ipynb',
      'cat.provenance.json',
      'environment/environment.json',
      'environment/package-lock.json',
      'inputs/catalog.csv',
      'notebook/catalog-plot.ipynb',
      'outputs/mean.txt',
      'ro-crate-metadata.json',
    ]);
    expect(readFileSync(join(bundle, 'inputs/catalog.csv'), 'utf8')).toBe(CATALOG);
    const crate = JSON.parse(readFileSync(join(bundle, 'ro-crate-metadata.json'), 'utf8'));
    const graph = new Map<string, Record<string, unknown>>(crate['@graph'].map((n: { '@id': string }) => [n['@id'], n]));
    expect(graph.get('ro-crate-metadata.json')?.conformsTo).toEqual({ '@id': 'https://w3id.org/ro/crate/1.1' });
    const parts = ((graph.get('./')?.hasPart ?? []) as { '@id': string }[]).map((x) => x['@id']);
    for (const part of parts) {
      expect(part.startsWith('/') || part.includes('..'), part).toBe(false);
      expect(existsSync(join(bundle, part)), part).toBe(true);
    }
    expect(graph.get('inputs/catalog.csv')).toMatchObject({
      sha256: sha256(CATALOG),
      contentSize: CATALOG.length,
      'skybook:runPath': 'catalog.csv',
    });
    const environment = JSON.parse(readFileSync(join(bundle, 'environment/environment.json'), 'utf8'));
    expect(environment).toMatchObject({ node: process.version, kernel: { name: 'skybook', language: 'typescript' } });
    expect(environment.os.platform).toBe(process.platform);

    const copy = join(root, 'copy');
    cpSync(bundle, copy, { recursive: true });
    const v = await withoutTheRun(() => sky(['verify', copy]));
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain(`${copy}: identical (6 cells, status completed)`);
  }, 120_000);

  it('one changed byte in a bundled input: verify names the input and the first cell that read it, and leaves the bundle as it was', async () => {
    const copy = join(root, 'copy');
    writeFileSync(join(copy, 'inputs/catalog.csv'), CATALOG.replace('0.512', '0.513'));
    const before = hashes(copy);
    const v = await withoutTheRun(() => sky(['verify', copy]));
    expect(v.code, v.stderr).toBe(1);
    expect(v.stdout).toContain(`input changed: inputs/catalog.csv (sha256 ${sha256(CATALOG).slice(0, 12)} -> `);
    // cell 3: after the markdown, the parameters and the injected parameters, the cell that reads the catalogue
    expect(v.stdout).toContain(`${copy}: diverges at cell 3 (id read): outputs differ`);
    expect(v.stdout).toMatch(/^\+ .*redshifts 0\.513 1\.204 2\.75/m);
    expect(v.stdout).toContain('output file differs: mean.txt');
    expect(hashes(copy)).toEqual(before);
  }, 120_000);

  it('--zip: two publishes give byte-identical zips (in any time zone), and verify reads the zip', async () => {
    const a = await sky(['publish', manifest(), '--out', join(root, 'a'), '--zip', '--json'], { TZ: 'UTC' });
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).zip).toBe(join(root, 'a.zip'));
    const b = await sky(['publish', manifest(), '--out', join(root, 'b'), '--zip'], { TZ: 'Pacific/Auckland' });
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(root, 'b.zip')).equals(readFileSync(join(root, 'a.zip')))).toBe(true);
    expect(hashes(join(root, 'b'))).toEqual(hashes(join(root, 'a')));
    const v = await withoutTheRun(() => sky(['verify', join(root, 'a.zip')]));
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('a.zip: identical (6 cells, status completed)');
  }, 120_000);

  it('an input over --max-input-size is listed with its location and hash, not copied, and used from there', async () => {
    const p = await sky(['publish', manifest(), '--out', join(root, 'listed'), '--max-input-size', '10']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain(
      `listed, not copied: ${join(run(), 'catalog.csv')} (${CATALOG.length} bytes, sha256 ${sha256(CATALOG).slice(0, 12)})`,
    );
    expect(existsSync(join(root, 'listed/inputs'))).toBe(false);
    const crate = JSON.parse(readFileSync(join(root, 'listed/ro-crate-metadata.json'), 'utf8'));
    const input = crate['@graph'].find((n: { '@id': string }) => n['@id'] === `file://${join(run(), 'catalog.csv')}`);
    expect(input).toMatchObject({ sha256: sha256(CATALOG), 'skybook:copied': false });
    expect(readFileSync(join(root, 'listed/cat.html'), 'utf8')).toContain(`from <code>${join(run(), 'catalog.csv')}</code>`);
    const v = await sky(['verify', join(root, 'listed')]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  }, 120_000);
});
