import { isAbsolute, relative, resolve, sep } from 'node:path';
import { warn } from '../../core/index.js';
import { SkybookError } from '../../errors/index.js';
import { readManifest } from '../../provenance/index.js';
import type { RunLedger, RunRow } from '../../store/index.js';
import { ledgerFolder, rowFolder } from '../metrics/index.js';

/** A file a run read or wrote as it was then, its path made absolute against the project folder. */
export interface RecordedFile {
  path: string;
  sha256: string;
  size: number;
}

/**
 * One ledger run as lineage sees it: the row's who, what and when, with its files as absolute paths (from the row, or
 * from its provenance manifest when the row names one and lists no files).
 */
export interface HistoryRun
  extends Pick<RunRow, 'runId' | 'parent' | 'kind' | 'name' | 'status' | 'startedAt' | 'finishedAt' | 'user' | 'host' | 'software'> {
  /** The provenance manifest's absolute path, when the run wrote one. */
  manifest: string | null;
  inputs: RecordedFile[];
  outputs: RecordedFile[];
  /**
   * Other runs name it as their parent and it is a pipeline's run (or records no files of its own): its stages are its
   * rows too: its files are its children's, so lineage follows the children and never the container. A stage whose command
   * recorded a run of its own (an ingest, a QA check) is not one: the stage's deps and outs are the whole story.
   */
  container: boolean;
}

/**
 * The runs of a ledger indexed by the files they read and wrote, every path absolute. A row's relative paths are
 * resolved against the folder the row records them relative to (its `workdir`: a pipeline's rows hold paths relative
 * to the pipeline file's folder); a row without one, against the ledger's project folder: `DIR` for the default DuckDB
 * ledger `DIR/.skybook/ledger.duckdb`, else the working directory (a PostgreSQL ledger or a DuckDB file elsewhere has
 * no folder of its own), unless `projectDir` says. Paths are shown relative to the project folder.
 *
 * @example
 * const history = await RunHistory.read(RunLedger.resolve(undefined, 'proj'));
 * history.writersOf(history.resolve('out/zcat.parquet')).length
 */
export class RunHistory {
  /** Completed, non-container runs that wrote each file, oldest first. */
  private readonly writers = new Map<string, HistoryRun[]>();
  /** Runs that read each file, oldest first. */
  private readonly readers = new Map<string, HistoryRun[]>();

  private constructor(
    /** The folder relative paths are resolved against, absolute. */
    readonly projectDir: string,
    /** Every run, oldest first (then by id). */
    readonly runs: readonly HistoryRun[],
  ) {
    for (const run of runs) {
      for (const f of run.inputs) push(this.readers, f.path, run);
      if (run.status === 'completed' && !run.container) for (const f of run.outputs) push(this.writers, f.path, run);
    }
  }

  /**
   * Reads every run of a ledger (a manifest that cannot be read is a warning, and its run keeps the row's files).
   *
   * @example
   * const history = await RunHistory.read(new RunLedger('duckdb:proj/.skybook/ledger.duckdb'));
   */
  static async read(ledger: RunLedger, opts: { projectDir?: string } = {}): Promise<RunHistory> {
    return RunHistory.fromRows(await ledger.runs(), opts.projectDir ?? ledgerFolder(ledger.url));
  }

  /**
   * The same from rows already read (`RunLedger.runs()`), oldest first.
   *
   * @example
   * const history = await RunHistory.fromRows(await ledger.runs(), '/work/proj');
   */
  static async fromRows(rows: readonly RunRow[], projectDir: string): Promise<RunHistory> {
    const dir = resolve(projectDir);
    const parents = new Set(rows.map((r) => r.parent).filter((p): p is string => p !== null));
    const runs = await Promise.all(
      rows.map((r) =>
        historyRun(r, dir, parents.has(r.runId) && (r.kind === 'pipeline' || (r.inputs.length === 0 && r.outputs.length === 0))),
      ),
    );
    return new RunHistory(dir, runs);
  }

  /** A path made absolute: a relative one against `from` (default: the project folder). */
  resolve(path: string, from: string = this.projectDir): string {
    return resolve(from, path);
  }

  /**
   * A path as people read it: relative to the project folder with `/` separators when it lies inside, else absolute.
   *
   * @example
   * history.display('/work/proj/out/a.parquet'); // 'out/a.parquet'
   */
  display(path: string): string {
    const rel = relative(this.projectDir, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
    return rel.split(sep).join('/');
  }

  /** Completed runs that wrote `path` (absolute), oldest first; a container's rows are left to its children. */
  writersOf(path: string): readonly HistoryRun[] {
    return this.writers.get(path) ?? [];
  }

  /** Runs of any status that read `path` (absolute), oldest first. */
  readersOf(path: string): readonly HistoryRun[] {
    return this.readers.get(path) ?? [];
  }
}

function push(map: Map<string, HistoryRun[]>, key: string, run: HistoryRun): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== run) list.push(run); // a run naming a file twice counts once
  } else map.set(key, [run]);
}

async function historyRun(row: RunRow, dir: string, container: boolean): Promise<HistoryRun> {
  const base = rowFolder(row, dir);
  const abs = (p: string) => resolve(base, p);
  const files = (list: readonly RecordedFile[]) => list.map((f) => ({ path: abs(f.path), sha256: f.sha256, size: f.size }));
  const run: HistoryRun = {
    runId: row.runId,
    parent: row.parent,
    kind: row.kind,
    name: row.name,
    status: row.status,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    user: row.user,
    host: row.host,
    software: row.software,
    manifest: row.manifest === null ? null : abs(row.manifest),
    inputs: files(row.inputs),
    outputs: files(row.outputs),
    container,
  };
  if (run.manifest && (!run.inputs.length || !run.outputs.length)) {
    // A notebook run's row may leave its files to its manifest: the notebook and the inputs it read, the executed
    // notebook and the files it wrote (readManifest makes them absolute against the manifest's folder).
    try {
      const m = await readManifest(run.manifest);
      if (!run.inputs.length) run.inputs = files([m.notebook, ...m.inputs]);
      if (!run.outputs.length) run.outputs = files([m.executed, ...m.outputs]);
    } catch (e) {
      if (!(e instanceof SkybookError)) throw e;
      warn(`run ${run.runId} (${run.kind} ${run.name}): its manifest is not readable, so its files are the ledger row's: ${e.message}`);
    }
  }
  return run;
}
