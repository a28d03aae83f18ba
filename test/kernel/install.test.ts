import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { skybook } from '../helpers/cli.js';
import { KERNEL_MAIN } from './kernel-client.js';

const saved = process.env.JUPYTER_DATA_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
  else process.env.JUPYTER_DATA_DIR = saved;
});

describe('skybook kernel install', () => {
  it('--prefix writes PREFIX/share/jupyter/kernels/skybook/kernel.json pointing at this node and the built kernel', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'skybook-prefix-'));
    const r = skybook(['kernel', 'install', '--prefix', prefix, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { name: string; file: string };
    const file = join(prefix, 'share', 'jupyter', 'kernels', 'skybook', 'kernel.json');
    expect(out).toMatchObject({ name: 'skybook', file });
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    expect(spec).toMatchObject({
      argv: [process.execPath, KERNEL_MAIN, '{connection_file}'],
      display_name: 'TypeScript (skybook)',
      language: 'typescript',
      interrupt_mode: 'signal',
    });
    expect(existsSync(spec.argv[1])).toBe(true);
  });

  it('Jupyter itself finds the installed kernelspec (jupyter kernelspec list on JUPYTER_PATH)', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'skybook-prefix-'));
    expect(skybook(['kernel', 'install', '--prefix', prefix]).code).toBe(0);
    const r = spawnSync('/usr/bin/python3', ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, JUPYTER_PATH: join(prefix, 'share', 'jupyter') },
    });
    expect(r.status).toBe(0);
    const specs = JSON.parse(r.stdout).kernelspecs as Record<
      string,
      { resource_dir: string; spec: { display_name: string; language: string } }
    >;
    expect(specs.skybook).toMatchObject({
      resource_dir: join(prefix, 'share', 'jupyter', 'kernels', 'skybook'),
      spec: { display_name: 'TypeScript (skybook)', language: 'typescript' },
    });
  });

  it('--user installs into the per-user data folder (JUPYTER_DATA_DIR honoured); plain text names the file', () => {
    const data = mkdtempSync(join(tmpdir(), 'skybook-userdata-'));
    process.env.JUPYTER_DATA_DIR = data;
    const r = skybook(['kernel', 'install', '--user']);
    expect(r.code).toBe(0);
    const file = join(data, 'kernels', 'skybook', 'kernel.json');
    expect(r.stdout).toContain(file);
    expect(JSON.parse(readFileSync(file, 'utf8')).display_name).toBe('TypeScript (skybook)');
  });

  it.each([
    [['--user', '--prefix', '/tmp/x'], /--user and --prefix/],
    [['--prefix'], /--prefix needs a value/],
    [['--prefix', ''], /--prefix needs a folder/],
    [['--bogus'], /unknown option --bogus/],
  ])('bad usage %j exits 2 with a message naming the option', (args, msg) => {
    const r = skybook(['kernel', 'install', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});
