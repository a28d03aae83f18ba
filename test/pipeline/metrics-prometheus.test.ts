import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSITION_CONTENT_TYPE } from '../../lib/pipeline/index.js';
import { type RunningCli, spawnSkybook } from '../helpers/spawn-cli.js';
import { type LedgerFixture, ledgerFixture } from './run-ledger-fixture.js';

// Issue 18, acceptance: the real Prometheus (Debian's package), started here on loopback with a config of this test's
// own, scrapes `skybook metrics serve`, and a query through Prometheus's HTTP API returns the ledger's run counts; a run
// recorded afterwards shows up at a later scrape (the ledger is read on each one).
const PROMETHEUS = '/usr/bin/prometheus';
const missing = !existsSync(PROMETHEUS);
if (missing) console.warn(`SKIPPED the Prometheus scrape test: ${PROMETHEUS} is absent (apt-get install prometheus)`);

let fx: LedgerFixture;
let serve: RunningCli | undefined;
let prometheus: ChildProcess | undefined;
let prometheusLog = '';
let metricsUrl: string;
let api: string;

/** A loopback port nobody listens on now (the OS picks it; Prometheus binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a value, or fails at the deadline with what it last saw. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 90_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what} (last: ${String(last)}); prometheus log:\n${prometheusLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250)); // the poll's pace, not a synchronisation: the condition decides
  }
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** `skybook_runs_total` as Prometheus has it now: `kind/status` -> count. */
async function promRunCounts(): Promise<Record<string, number>> {
  const r = await fetch(`${api}/api/v1/query?query=${encodeURIComponent('skybook_runs_total{job="skybook"}')}`);
  const body = (await r.json()) as { status: string; data: { resultType: string; result: VectorSample[] } };
  expect(body.status).toBe('success');
  return Object.fromEntries(body.data.result.map((s) => [`${s.metric.kind}/${s.metric.status}`, Number(s.value[1])]));
}

async function ledgerRunCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const r of await fx.runs()) counts[`${r.kind}/${r.status}`] = (counts[`${r.kind}/${r.status}`] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  fx = await ledgerFixture('prometheus');
  serve = spawnSkybook(['metrics', 'serve', '--port', '0', '--ledger', fx.url]);
  let printed = '';
  serve.child.stdout!.on('data', (b: Buffer) => (printed += b.toString()));
  await serve.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+\/metrics\n/);
  metricsUrl = /listening on (\S+)/.exec(printed)![1]!;
}, 60_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  if (serve && serve.child.exitCode === null) serve.child.kill('SIGTERM');
  await serve?.done;
  if (prometheus && prometheus.exitCode === null) await new Promise((r) => prometheus!.once('close', r));
  await fx?.ledger.close();
  if (fx) rmSync(fx.root, { recursive: true, force: true });
});

describe('skybook metrics serve', () => {
  it('answers GET /metrics with the exposition and its content type, and 404 elsewhere', async () => {
    const r = await fetch(metricsUrl);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(EXPOSITION_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await r.text()).toContain('skybook_runs_total{kind="qa",status="failed"} 1');
    const other = await fetch(new URL('/', metricsUrl));
    expect(other.status).toBe(404);
    await other.text();
  });

  describe.skipIf(missing)('scraped by the real Prometheus', () => {
    it("Prometheus's query API returns skybook's run counts, equal to the ledger's, and follows new runs", async () => {
      const target = new URL(metricsUrl).host;
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      const dir = join(fx.root, 'prometheus');
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: skybook\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']\n`,
      );
      prometheus = spawn(
        PROMETHEUS,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      prometheus.stdout!.on('data', (b: Buffer) => (prometheusLog += b.toString()));
      prometheus.stderr!.on('data', (b: Buffer) => (prometheusLog += b.toString()));

      const expected = await ledgerRunCounts();
      expect(Object.keys(expected).length).toBeGreaterThan(5);
      await until('Prometheus to report the ledger run counts', async () => {
        const got = await promRunCounts();
        return JSON.stringify(sorted(got)) === JSON.stringify(sorted(expected)) ? got : undefined;
      });

      // A run recorded now is in a later scrape: the ledger is read afresh on each one.
      const id = await fx.ledger.begin({ kind: 'qa', name: 'late-gate' });
      await fx.ledger.end(id, { status: 'completed' });
      const after = await ledgerRunCounts();
      expect(after['qa/completed']).toBe((expected['qa/completed'] ?? 0) + 1);
      await until('Prometheus to see the new run', async () => {
        const got = await promRunCounts();
        return JSON.stringify(sorted(got)) === JSON.stringify(sorted(after)) ? got : undefined;
      });
      const up = await fetch(`${api}/api/v1/query?query=${encodeURIComponent('up{job="skybook"}')}`);
      expect(((await up.json()) as { data: { result: VectorSample[] } }).data.result[0]?.value[1]).toBe('1');
    }, 180_000);
  });

  it('stops cleanly on SIGTERM (exit 0)', async () => {
    serve!.child.kill('SIGTERM');
    const r = await serve!.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
}
