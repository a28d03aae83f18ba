import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunLedger } from '../../lib/store/index.js';
import { ROOT } from '../helpers/cli.js';
import { storeTestFile } from './store-helpers.js';

const { schema, tmp, engines } = storeTestFile(__filename, 'ledger.duckdb');
const DIST_STORE = join(ROOT, 'dist', 'lib', 'store', 'index.js');

/** Runs a node script that imports the built store as `S`; resolves with its exit (code, signal) and output. */
function node(
  script: string,
  env: NodeJS.ProcessEnv = {},
): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import * as S from ${JSON.stringify(DIST_STORE)};\n${script}`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('close', (code) => resolve({ code, out }));
  });
  return { child, done };
}

describe.each(engines)('run ledger in $name', ({ name, url }) => {
  const ledgerOf = () => new RunLedger(url(), name === 'postgres' ? { schema } : {});

  it('records a run from start to end, with secrets redacted and int64 row counts exact', async () => {
    const ledger = ledgerOf();
    try {
      const id = await ledger.begin({
        kind: 'ingest',
        name: 'zcat',
        params: { db_password: 'hunter22-secret', db: 'postgres://me:pw12345@host/db', zmax: 2 },
        inputs: [{ path: 'a.fits', sha256: 'ab'.repeat(32), size: 2880 }],
      });
      const during = (await ledger.runs({ kind: 'ingest' })).find((r) => r.runId === id)!;
      expect(during.status).toBe('running');
      expect(during.finishedAt).toBeNull();
      await ledger.end(id, {
        status: 'completed',
        outputs: [{ path: 'out.parquet', sha256: 'cd'.repeat(32), size: 10 }],
        rows: 9007199254740993n,
        quarantined: 3n,
        error: 'login for hunter22-secret failed',
      });
      const row = (await ledger.runs()).find((r) => r.runId === id)!;
      expect(row.status).toBe('completed');
      expect(row.params).toEqual({ db_password: '[redacted]', db: 'postgres://me:***@host/db', zmax: 2 });
      expect(row.error).not.toContain('hunter22-secret');
      expect(row.rows).toBe(9007199254740993n);
      expect(row.quarantined).toBe(3n);
      expect(row.inputs[0]!.path).toBe('a.fits');
      expect(row.outputs[0]!.sha256).toBe('cd'.repeat(32));
      expect(row.seconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(row.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(row.startedAt));
      expect(row.pid).toBe(process.pid);
      expect(row.software.skybook).toMatch(/^\d+\.\d+/);
    } finally {
      await ledger.close();
    }
  });

  it('a run whose process is killed reads as interrupted, and the next write records it so', async () => {
    const pgSchema = name === 'postgres' ? `, { schema: ${JSON.stringify(schema)} }` : '';
    const p = node(
      `const l = new S.RunLedger(${JSON.stringify(url())}${pgSchema});
       const id = await l.begin({ kind: 'stage', name: 'doomed' });
       process.stdout.write('begun ' + id + '\\n');
       setInterval(() => {}, 1000);`,
    );
    const id = await new Promise<string>((resolve) => {
      p.child.stdout!.on('data', (b: Buffer) => {
        const m = /begun (\S+)/.exec(b.toString());
        if (m) resolve(m[1]!);
      });
    });
    p.child.kill('SIGKILL');
    await p.done;
    const ledger = ledgerOf();
    try {
      expect((await ledger.runs()).find((r) => r.runId === id)?.status).toBe('interrupted');
      const next = await ledger.begin({ kind: 'stage', name: 'after' });
      await ledger.end(next, { status: 'completed' });
      const rows = await ledger.runs({ kind: 'stage' });
      const doomed = rows.find((r) => r.runId === id)!;
      expect(doomed.status).toBe('interrupted');
      expect(doomed.error).toMatch(/ended without recording an end/);
    } finally {
      await ledger.close();
    }
  });
});

describe('a DuckDB ledger shared by processes', () => {
  it('takes every write of three processes writing at once (a busy file is waited for)', async () => {
    const url = `duckdb:${join(tmp.dir, 'shared.duckdb')}`;
    const runs = [0, 1, 2].map((w) =>
      node(
        `const l = new S.RunLedger(${JSON.stringify(url)});
         for (let i = 0; i < 8; i++) { const id = await l.begin({ kind: 'notebook', name: 'w${w}-' + i }); await l.end(id, { status: 'completed' }); }`,
      ),
    );
    const exits = await Promise.all(runs.map((r) => r.done));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    const ledger = new RunLedger(url);
    const rows = await ledger.runs({ kind: 'notebook' });
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((r) => r.name)).size).toBe(24);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
  });

  it('an absent ledger has no runs and is not created by reading it', async () => {
    const ledger = new RunLedger(`duckdb:${join(tmp.dir, 'never', 'written.duckdb')}`);
    expect(await ledger.runs()).toEqual([]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(tmp.dir, 'never'))).toBe(false);
  });
});
