import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The layering rules of .dependency-cruiser.cjs, run by `npm run lint:layers` in `npm test`: here on the real tree and
// on a small tree with one wrong import of each kind, which must fail naming the offending path.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string, dirs: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [depcruise, ...dirs, '--config', config, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

const tree = mkdtempSync(join(tmpdir(), 'skybook-layers-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

function file(path: string, text: string): void {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}

describe('layering', () => {
  it('holds on the real tree', () => {
    const r = cruise(root, ['lib', 'kernel', 'scripts']);
    expect(r.out).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });

  it("fails on an import up the layers, into a folder's inner file, or into the package root, naming each path", () => {
    file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    file('lib/index.ts', "export * as fits from './fits/index.js';\n");
    file('lib/errors/index.ts', 'export const E = 1;\n');
    file('lib/fits/index.ts', "export { H } from './hdu.js';\n");
    file('lib/fits/hdu.ts', "import { E } from '../errors/index.js';\nexport const H = E;\n");
    file('lib/store/index.ts', "import { H } from '../fits/index.js';\nexport const S = H;\n");
    // fits is below store: importing it upwards is the mistake the rule exists for.
    file('lib/fits/up.ts', "import { S } from '../store/index.js';\nexport const U = S;\n");
    file('lib/desi/read/inner.ts', "import { H } from '../../fits/hdu.js';\nexport const I = H;\n");
    file('lib/desi/root.ts', "import { fits } from '../index.js';\nexport const R = fits;\n");
    file('kernel/k.ts', "import { H } from '../lib/fits/hdu.js';\nexport const K = H;\n");
    file('lib/quasar/index.ts', "import { V } from '../voids/index.js';\nexport const Q = V;\n");
    file('lib/voids/index.ts', 'export const V = 2;\n');
    const r = cruise(tree, ['lib', 'kernel']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/layer-fits: lib\/fits\/up\.ts → lib\/store\/index\.ts/);
    expect(r.out).toMatch(/folder-contract: lib\/desi\/read\/inner\.ts → lib\/fits\/hdu\.ts/);
    expect(r.out).toMatch(/root-is-for-users: lib\/desi\/root\.ts → lib\/index\.ts/);
    expect(r.out).toMatch(/entry-contract: kernel\/k\.ts → lib\/fits\/hdu\.ts/);
    expect(r.out).toMatch(/layer-quasar-voids-cloudy: lib\/quasar\/index\.ts → lib\/voids\/index\.ts/);
    // The right imports in the same tree are not reported.
    expect(r.out).not.toMatch(/lib\/store\/index\.ts → lib\/fits\/index\.ts/);
    expect(r.out).not.toMatch(/lib\/fits\/hdu\.ts → lib\/errors/);
  });
});
