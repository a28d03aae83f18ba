import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RunLedger, type RunRow, type RunStart } from '../../lib/store/index.js';

/** A notebook name with everything the exposition format and HTML must escape: quotes, a backslash, a newline, markup. */
export const HOSTILE_NAME = '<script>alert("x")</script> & "quotes"\\back\nline';

/** A project folder with a default DuckDB ledger of runs of every kind and status, and the files those runs name. */
export interface LedgerFixture {
  root: string;
  url: string;
  ledger: RunLedger;
  /** Run ids by role, for the assertions. */
  ids: Record<string, string>;
  runs(): Promise<RunRow[]>;
}

const sha = (c: string) => c.repeat(64);

function file(root: string, path: string, text: string): { path: string; sha256: string; size: number } {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  return { path, sha256: sha('a'), size: Buffer.byteLength(text) };
}

/** A `skybook qa` report: zcat.rows passes with a count written as a decimal string; zcat.Z.range passes or fails. */
function qaReport(rangePassed: boolean): string {
  return JSON.stringify({
    checks: 'checks.yaml',
    store: 'duckdb:survey.duckdb',
    passed: rangePassed,
    results: [
      { name: 'zcat.rows', table: 'zcat', column: null, check: 'rows', value: '1000', passed: true, message: '1000 rows' },
      {
        name: 'zcat.Z.range',
        table: 'zcat',
        column: 'Z',
        check: 'range',
        value: rangePassed ? '0' : '3',
        passed: rangePassed,
        message: rangePassed ? 'every row within [-0.01, 7]' : '3 of 1000 rows outside [-0.01, 7]',
      },
    ],
  });
}

/**
 * Fills a fresh project's ledger (`ROOT/.skybook/ledger.duckdb`) through RunLedger: two runs of a pipeline (the first
 * completes; in the second the ingest stage is skipped and the QA gate fails), a standalone ingest that was interrupted,
 * a Cloudy grid, a Ray job still running (begun by this process, which is alive), and a notebook with a hostile name
 * that failed. The notebook, manifest, outputs and QA reports are written under ROOT.
 *
 * @example
 * const fx = await ledgerFixture('metrics'); await ledgerExposition(fx.ledger);
 */
export async function ledgerFixture(label: string): Promise<LedgerFixture> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `sb-${label}-`)));
  const url = `duckdb:${join(root, '.skybook', 'ledger.duckdb')}`;
  const ledger = new RunLedger(url);
  const ids: Record<string, string> = {};
  // Every row's relative paths are relative to the project folder (`workdir`, where the ledger records one).
  const folder: Record<string, unknown> = { workdir: root };
  const begin = async (role: string, start: RunStart) => (ids[role] = await ledger.begin({ ...start, ...folder } as RunStart));

  const p1 = await begin('pipeline1', { kind: 'pipeline', name: 'survey', params: { file: 'skybook.pipeline.yaml' } });
  await begin('ingest1', { kind: 'stage', name: 'ingest', parent: p1, inputs: [file(root, 'data/zall.fits', 'FITS')] });
  await ledger.end(ids.ingest1!, { status: 'completed', outputs: [file(root, 'data/zcat.parquet', 'PAR1')], rows: 1000n, quarantined: 3n });
  await begin('features1', { kind: 'stage', name: 'features', parent: p1 });
  await ledger.end(ids.features1!, { status: 'completed', outputs: [file(root, 'data/features.parquet', 'PAR1')] });
  await begin('qa1', { kind: 'qa', name: 'zcat-gate', parent: p1 });
  await ledger.end(ids.qa1!, { status: 'completed', outputs: [file(root, 'qa/zcat-1.json', qaReport(true))] });
  await begin('notebook1', { kind: 'notebook', name: '01-quickstart', parent: p1, manifest: 'runs/01-quickstart.provenance.json' });
  file(root, 'runs/01-quickstart.provenance.json', '{}');
  await ledger.end(ids.notebook1!, {
    status: 'completed',
    outputs: [file(root, 'runs/01-quickstart.ipynb', '{"cells": []}'), file(root, 'runs/01-quickstart.html', '<p>run</p>')],
  });
  await ledger.end(p1, { status: 'completed' });

  const p2 = await begin('pipeline2', { kind: 'pipeline', name: 'survey' });
  await begin('ingest2', { kind: 'stage', name: 'ingest', parent: p2 });
  await ledger.end(ids.ingest2!, { status: 'skipped' });
  await begin('features2', { kind: 'stage', name: 'features', parent: p2 });
  await ledger.end(ids.features2!, { status: 'completed', outputs: [file(root, 'data/features.parquet', 'PAR1')] });
  await begin('qa2', { kind: 'qa', name: 'zcat-gate', parent: p2 });
  await ledger.end(ids.qa2!, {
    status: 'failed',
    outputs: [file(root, 'qa/zcat-2.json', qaReport(false))],
    error: 'QA breach: zcat.Z.range = 3: 3 of 1000 rows outside [-0.01, 7]',
  });
  await ledger.end(p2, { status: 'failed', error: "stage 'zcat-gate' failed\nQA breach" });

  await begin('ingest', { kind: 'ingest', name: 'zcat' });
  await ledger.end(ids.ingest!, { status: 'interrupted', rows: 500n, quarantined: 0n, error: 'interrupted by SIGINT' });
  await begin('grid', { kind: 'cloudy-grid', name: 'agn-grid' });
  await ledger.end(ids.grid!, { status: 'completed', outputs: [file(root, 'grids/agn.grd', 'grid')] });
  await begin('hostile', { kind: 'notebook', name: HOSTILE_NAME });
  await ledger.end(ids.hostile!, { status: 'failed', error: 'cell 3: <img src=x onerror=alert(1)> failed' });
  await begin('ray', { kind: 'ray-job', name: 'fanout' });
  return { root, url, ledger, ids, runs: () => ledger.runs() };
}

/**
 * The samples of a text exposition by series (`name{labels}` exactly as written), for reading values back.
 *
 * @example
 * samples(text).get('skybook_runs_total{kind="qa",status="failed"}'); // 1
 */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}
