import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Field, Float64, Int32, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { type CloudyModel, type ModelRun, modelFromText, runCloudyModels } from '../../cloudy/index.js';
import { CloudyError, fileProblem, UsageError } from '../../errors/index.js';
import { type FileRecord, ParquetStreamWriter } from '../../store/index.js';
import { sha256 } from '../../provenance/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { ledgerFiles, withLedgerRun } from '../ledger-hook.js';
import type { Command } from './command.js';

/** The run table: one row per model, in the order given. */
function runTable(runs: readonly ModelRun[]): Table {
  const utf8 = (name: string, f: (r: ModelRun) => string | null) => ({
    field: new Field(name, new Utf8(), true),
    data: vectorFromArray(runs.map(f), new Utf8()).data[0]!,
  });
  const cols = [
    utf8('MODEL', (r) => r.name),
    utf8('STATUS', (r) => r.status),
    utf8('REASON', (r) => r.reason),
    {
      field: new Field('SECONDS', new Float64(), false),
      data: makeData({ type: new Float64(), length: runs.length, data: Float64Array.from(runs, (r) => r.seconds) }),
    },
    {
      field: new Field('WARNINGS', new Int32(), false),
      data: makeData({ type: new Int32(), length: runs.length, data: Int32Array.from(runs, (r) => r.warnings) }),
    },
    {
      field: new Field('CAUTIONS', new Int32(), false),
      data: makeData({ type: new Int32(), length: runs.length, data: Int32Array.from(runs, (r) => r.cautions) }),
    },
    utf8('OUT', (r) => r.out),
    utf8('INPUT_SHA256', (r) => r.sha256),
  ];
  const fields = cols.map((c) => c.field);
  const schema = new Schema(fields);
  return new Table(schema, [
    new RecordBatch(schema, makeData({ type: new Struct(fields), length: runs.length, children: cols.map((c) => c.data) })),
  ]);
}

/**
 * `skybook cloudy run DECKS... --out DIR [--cloudy PATH] [--jobs N] [--timeout S] [--results R.parquet] [--force] [--json]`:
 * Cloudy on each deck file, N processes at a time, resumable.
 *
 * @example
 * skybook cloudy run grid/*.in --out runs/grid --jobs 2 --timeout 600 --results runs/grid.parquet
 */
export const cloudyRun: Command = {
  name: 'cloudy run',
  usage:
    'skybook cloudy run DECKS... --out DIR [--cloudy PATH] [--data PATH] [--jobs N] [--timeout S] [--results RESULTS.parquet] [--force] [--json]',
  summary: 'run Cloudy on deck files, N processes at a time: timeouts, failures listed with reasons, resumable by input hash',
  flags: [
    { flag: 'DECKS', help: 'Cloudy input files (NAME.in); each runs in DIR/NAME/ as written' },
    { flag: '--out DIR', help: 'where each model gets its folder: NAME.in, NAME.out, its save files, NAME.done.json (required)' },
    { flag: '--cloudy PATH', help: 'the Cloudy executable (default: CLOUDY_EXE, else cloudy.exe on PATH)' },
    { flag: '--data PATH', help: "Cloudy's data folder, passed as CLOUDY_DATA_PATH (default: the environment's)" },
    { flag: '--jobs N', help: 'Cloudy processes at once (default 1)' },
    { flag: '--timeout S', help: 'kill a model still running after S seconds and report it (default: none)' },
    { flag: '--results R.parquet', help: 'one row per model: MODEL, STATUS, REASON, SECONDS, WARNINGS, CAUTIONS, OUT, INPUT_SHA256' },
    { flag: '--force', help: 'run models whose output for the same input is already there (default: skipped)' },
    { flag: '--json', help: 'print the counts and every model (status, reason, seconds) as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['decks'],
      variadic: true,
      values: ['out', 'cloudy', 'data', 'jobs', 'timeout', 'results'],
      switches: ['force', 'json'],
    });
    const v = args.values;
    const decks = [args.positionals.decks!, ...args.rest];
    if (!v.out) throw new UsageError('missing --out DIR', { option: 'out' });
    const jobs = v.jobs === undefined ? 1 : Number(v.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw UsageError.invalid('jobs', v.jobs!, 'an integer >= 1');
    const timeout = v.timeout === undefined ? undefined : Number(v.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw UsageError.invalid('timeout', v.timeout!, 'seconds, > 0');
    if (v.results !== undefined && !/\.parquet$/i.test(v.results)) throw UsageError.invalid('results', v.results, 'a .parquet file');
    const models: CloudyModel[] = [];
    const deckFiles: FileRecord[] = [];
    for (const file of decks) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new CloudyError(`cannot read it: ${fileProblem(e)}`, { file });
      }
      models.push(modelFromText(basename(file).replace(/\.in$/i, ''), bytes.toString('utf8')));
      deckFiles.push({ path: resolve(file), sha256: sha256(bytes), size: bytes.length });
    }
    const json = args.switches.has('json');
    const progress = progressFor(io, !json);
    const t0 = performance.now();
    const runs = await withLedgerRun(
      {
        kind: 'cloudy-grid',
        name: basename(v.out),
        params: { decks, out: v.out, jobs, timeout: timeout ?? null },
        inputs: ledgerFiles(deckFiles),
      },
      () =>
        runCloudyModels(models, {
          cloudy: v.cloudy ?? process.env.CLOUDY_EXE ?? 'cloudy.exe',
          ...(v.data ? { dataPath: v.data } : {}),
          outDir: v.out,
          jobs,
          ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
          force: args.switches.has('force'),
          progress,
        }),
      (done) => {
        const bad = done.filter((r) => r.status === 'failed');
        return {
          status: bad.length ? 'failed' : 'completed',
          error: bad.length ? bad.map((r) => `${r.name}: ${r.reason}`).join('; ') : undefined,
          rows: BigInt(done.filter((r) => r.status === 'ok').length),
        };
      },
    );
    if (v.results) {
      const w = new ParquetStreamWriter(v.results);
      try {
        for (const b of runTable(runs).batches) await w.write(b);
        await w.close();
      } catch (e) {
        await w.abort();
        throw e;
      }
    }
    const count = (s: ModelRun['status']) => runs.filter((r) => r.status === s).length;
    const failed = runs.filter((r) => r.status === 'failed');
    const seconds = Math.round(performance.now() - t0) / 1000;
    if (json)
      io.stdout(
        toJson(
          {
            models: runs.length,
            ok: count('ok'),
            skipped: count('skipped'),
            failed: failed.length,
            seconds,
            runs: runs.map((r) => ({
              name: r.name,
              status: r.status,
              reason: r.reason,
              seconds: Math.round(r.seconds * 1000) / 1000,
              out: r.out,
            })),
          },
          2,
        ) + '\n',
      );
    else
      io.stdout(
        `${runs.length} models: ${count('ok')} ran, ${count('skipped')} skipped (already done), ${failed.length} failed; ${seconds.toFixed(1)} s\n` +
          failed.map((r) => `  ${r.name}: ${r.reason}\n`).join(''),
      );
    return failed.length > 0 ? 1 : 0;
  },
};
