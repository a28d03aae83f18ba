import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { skybook } from '../helpers/cli.js';

const NB = join(import.meta.dirname, '../notebook/fixtures/reads-input.ipynb');

describe('skybook run --cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-verify-'));
  const catalog = join(dir, 'catalog.txt');
  const out = join(dir, 'run.ipynb');
  const run = (...extra: string[]) => skybook(['run', NB, '-p', 'catalog', catalog, '--cwd', dir, '-o', out, '--cache', ...extra]);

  it('--cache runs on a miss, skips on a hit, and runs again when an input changes', () => {
    writeFileSync(catalog, '1.5\n2.5\n3\n');
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('cached');
    const mtime = statSync(out).mtimeMs;
    const hit = run('--json');
    expect(hit.code, hit.stderr).toBe(0);
    expect(JSON.parse(hit.stdout)).toMatchObject({ status: 'cached', cached: true });
    expect(statSync(out).mtimeMs).toBe(mtime);
    expect(run().stderr).toMatch(/cached: notebook, parameters, inputs and lockfile unchanged since .*; skipped the run/);
    writeFileSync(catalog, '1.5\n2.5\n4\n');
    const miss = run('--json');
    expect(JSON.parse(miss.stdout)).toMatchObject({ status: 'completed', cached: false });
    writeFileSync(catalog, '1.5\n2.5\n3\n');
  }, 60_000);

  it('a secret parameter does not enter the cache key: a rotated password is a hit, not a new analysis', () => {
    const nb = join(dir, 'secret.ipynb');
    const cell = (source: string, tags: string[] = []) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: { tags },
      outputs: [],
      source,
    });
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [cell("db_password = ''\nzmax = 1.0", ['parameters']), cell('print(len(db_password) > 0, zmax)')],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const args = (password: string, zmax: string) => [
      'run',
      nb,
      '-p',
      'db_password',
      password,
      '-p',
      'zmax',
      zmax,
      '--cwd',
      dir,
      '-o',
      join(dir, 'secret', 'run.ipynb'),
      '--cache',
      '--json',
    ];
    expect(JSON.parse(skybook(args('first-Pa55word', '2')).stdout)).toMatchObject({ status: 'completed' });
    expect(JSON.parse(skybook(args('rotated-Pa55word', '2')).stdout)).toMatchObject({ status: 'cached' });
    expect(JSON.parse(skybook(args('rotated-Pa55word', '3')).stdout)).toMatchObject({ status: 'completed' });
  }, 60_000);

  it('a file the run writes and a parameter names (a database) is its output: the second --cache run is a hit', () => {
    const nb = join(dir, 'writes-named.ipynb');
    const cell = (source: string, tags: string[] = []) => ({
      cell_type: 'code',
      execution_count: null,
      metadata: { tags },
      outputs: [],
      source,
    });
    writeFileSync(
      nb,
      JSON.stringify({
        cells: [cell("result = 'result.txt'", ['parameters']), cell("open(result, 'w').write('42\\n')\nprint('wrote', result)")],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const result = join(dir, 'named', 'result.txt');
    const args = ['run', nb, '-p', 'result', result, '--cwd', dir, '-o', join(dir, 'named', 'run.ipynb'), '--cache', '--json'];
    const first = skybook(args);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'completed' });
    const second = skybook(args);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'cached', cached: true });
    writeFileSync(result, 'edited\n'); // an output changed since: run again
    expect(JSON.parse(skybook(args).stdout)).toMatchObject({ status: 'completed', cached: false });
  }, 60_000);
});
