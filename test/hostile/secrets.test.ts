import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newCell, stringifyNotebook, type Notebook } from '../../lib/notebook/index.js';
import { runCapped, type CappedRun } from '../helpers/capped.js';

// Issue 13 item 6: a password given to `skybook run` (a secret-named parameter, and the password of a URL that is
// malformed because it holds a `/`) reaches the kernel, and appears in nothing the run leaves: not the executed
// notebook (injected cell, outputs, error), the manifest, the HTML export, the prepared notebook, nor any line printed.

const PASSWORD = `pw-${randomUUID()}`;
const URL_PASSWORD = `pa/ss-${randomUUID()}`;
const DB_URL = `postgres://postgres:${URL_PASSWORD}@127.0.0.1:5432/test`;

const KERNELS = {
  python: {
    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    params: "db_password = ''\ndb_url = ''\nzmax = 1.0",
    use: 'print(len(db_password), len(db_url), zmax)',
    raise: "raise ValueError('cannot connect with ' + db_password + ' to ' + db_url)",
  },
  typescript: {
    kernelspec: { name: 'skybook', display_name: 'TypeScript (skybook)', language: 'typescript' },
    params: "const db_password = '';\nconst db_url = '';\nconst zmax = 1.0;",
    use: 'console.log(db_password.length, db_url.length, zmax)',
    raise: "throw new Error('cannot connect with ' + db_password + ' to ' + db_url)",
  },
} as const;

function notebook(k: (typeof KERNELS)[keyof typeof KERNELS]): Notebook {
  return {
    cells: [
      newCell('markdown', '# secrets', [], 'title'),
      newCell('code', k.params, ['parameters'], 'params'),
      newCell('code', k.use, [], 'use'),
      newCell('code', k.raise, ['raises-exception'], 'raise'),
    ],
    metadata: { kernelspec: k.kernelspec, language_info: { name: k.kernelspec.language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Every file under `dir`, recursively, as text. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

function expectNoSecret(where: string, text: string): void {
  for (const s of [PASSWORD, URL_PASSWORD, 'ss-' + URL_PASSWORD.slice(6)]) {
    if (text.includes(s))
      expect.fail(`${where} holds the secret ${s}:\n${text.slice(Math.max(0, text.indexOf(s) - 200), text.indexOf(s) + 200)}`);
  }
}

const printed = (r: CappedRun) => r.stdout + r.stderr;

describe.each(Object.keys(KERNELS) as (keyof typeof KERNELS)[])('a %s run with secret parameters', (language) => {
  it('gives the kernel the secrets and leaves them in no notebook, manifest, HTML page or printed line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
    const src = join(dir, 'secrets.ipynb');
    writeFileSync(src, stringifyNotebook(notebook(KERNELS[language])));
    const out = join(dir, 'runs', 'secrets.ipynb');
    const params = ['-p', 'db_password', PASSWORD, '-p', 'db_url', DB_URL, '-p', 'zmax', '2'];
    const caps = { maxSeconds: 90, cwd: dir };

    const run = await runCapped(['run', src, ...params, '-o', out, '--log-output'], caps);
    expect(run.code, run.stderr).toBe(0);
    // the kernel got the real values: it printed their lengths
    expect(run.stderr).toContain(`${PASSWORD.length} ${DB_URL.length} 2`);
    const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: { source: string[] | string; outputs?: unknown[] }[] };
    const source = (i: number) => [nb.cells[i]!.source].flat().join('');
    expect(source(2)).toContain('db_password');
    expect(source(2)).toContain('[redacted]');
    expect(source(2)).toContain('postgres://postgres:***@127.0.0.1:5432/test');
    expect(JSON.stringify(nb.cells[3]!.outputs)).toContain(`${PASSWORD.length} ${DB_URL.length} 2`);
    expect(JSON.stringify(nb.cells[4]!.outputs)).toContain('cannot connect with [redacted] to postgres://postgres:***@');

    const html = join(dir, 'secrets.html');
    const exp = await runCapped(['export', out, '--html', html], caps);
    expect(exp.code, exp.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('[redacted]');

    const verify = await runCapped(['verify', out.replace(/\.ipynb$/, '.provenance.json'), ...params.slice(0, 6)], caps);
    expect(verify.code, printed(verify)).toBe(0);
    expect(printed(verify)).toMatch(/identical/);

    const prepared = join(dir, 'prepared', 'secrets.ipynb');
    const prep = await runCapped(['run', src, ...params, '-o', prepared, '--prepare-only'], caps);
    expect(prep.code, prep.stderr).toBe(0);

    // an error quoting a parameter: the URL given where a number belongs is shown without its password
    const bad = await runCapped(['run', src, '-p', 'db_password', PASSWORD, '-p', 'zmax', DB_URL, '-o', join(dir, 'x.ipynb')], caps);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/parameter zmax: "postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/test" is not a number/);

    for (const [what, r] of Object.entries({ run, exp, verify, prep, bad })) expectNoSecret(`the output of ${what}`, printed(r));
    const files = filesUnder(dir);
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(5); // source, run, manifest, HTML, prepared
    for (const [path, text] of Object.entries(files)) if (path !== src) expectNoSecret(path, text);
  }, 180_000);
});
