import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKernelSpec, jupyterDataDirs, listKernelSpecs } from '../../lib/notebook/index.js';

function specDir(root: string, name: string, spec: object): void {
  mkdirSync(join(root, 'kernels', name), { recursive: true });
  writeFileSync(join(root, 'kernels', name, 'kernel.json'), JSON.stringify(spec));
}

describe('kernelspec discovery', () => {
  it('searches JUPYTER_PATH, the user dir, prefixes, then /usr/local and /usr share/jupyter', () => {
    const dirs = jupyterDataDirs({ JUPYTER_PATH: '/a:/b', HOME: '/home/u', XDG_DATA_HOME: '/x' });
    expect(dirs.slice(0, 3)).toEqual(['/a', '/b', '/x/jupyter']);
    expect(dirs.indexOf('/usr/local/share/jupyter')).toBeGreaterThan(2);
    expect(dirs.indexOf('/usr/share/jupyter')).toBeGreaterThan(2);
    expect(new Set(dirs).size).toBe(dirs.length);
  });

  it("finds Debian's python3 kernel in /usr/share/jupyter", () => {
    const spec = findKernelSpec('python3', { HOME: '/nonexistent' });
    expect(spec.dir).toBe('/usr/share/jupyter/kernels/python3');
    expect(spec.argv).toContain('{connection_file}');
    expect(spec.language).toBe('python');
    expect(spec.interrupt_mode).toBe('signal');
  });

  it('lets JUPYTER_PATH shadow a system kernel and reads interrupt_mode and env', () => {
    const root = mkdtempSync(join(tmpdir(), 'ks-'));
    specDir(root, 'python3', {
      argv: ['/bin/true', '{connection_file}'],
      display_name: 'Shadow',
      language: 'Python',
      interrupt_mode: 'message',
      env: { A: '1' },
    });
    specDir(root, 'Broken', { display_name: 'no argv' });
    const env = { JUPYTER_PATH: root, HOME: '/nonexistent' };
    const spec = findKernelSpec('PYTHON3', env);
    expect([spec.display_name, spec.language, spec.interrupt_mode, spec.env]).toEqual(['Shadow', 'python', 'message', { A: '1' }]);
    expect(listKernelSpecs(env).map((k) => k.name)).not.toContain('Broken');
    expect(() => findKernelSpec('broken', env)).toThrow(/Broken\/kernel.json: kernelspec has no argv/);
  });

  it('names the installed kernels when one is missing', () => {
    expect(() => findKernelSpec('nope', { HOME: '/nonexistent' })).toThrow(/kernel nope: no such kernel; installed: .*python3/);
  });
});
