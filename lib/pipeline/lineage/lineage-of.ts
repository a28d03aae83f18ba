import { PipelineError } from '../../errors/index.js';
import { CurrentBytesCache } from './current-bytes.js';
import type { HistoryRun, RecordedFile, RunHistory } from './run-history.js';

/**
 * One file in a lineage tree: the bytes recorded then (by the run that read it, or, for the tree's root, by the run
 * that wrote it), whether the file still holds them, the run that made it and, recursively, what that run read.
 */
export interface LineageNode {
  /** Absolute path. */
  path: string;
  /** The path as people read it (relative to the project folder when inside it). */
  name: string;
  sha256: string;
  size: number;
  /** The file's bytes now differ from `sha256` (a missing file differs too). */
  changed: boolean;
  /** The file is not there now. */
  missing: boolean;
  /** The latest completed run that wrote it before its reader started; null for a source file no run made. */
  producedBy: HistoryRun | null;
  /** What `producedBy` recorded writing, when that differs from what was read (the file changed in between). */
  written?: RecordedFile;
  /** What `producedBy` read, each with its own lineage; empty for a source file or a cycle. */
  inputs: LineageNode[];
  /** `producedBy` is already being followed above this node (the records loop): its inputs are not repeated. */
  cycle: boolean;
}

/** A file's lineage: the tree, and the runs and file versions in it, each once, in the order the tree meets them. */
export interface Lineage {
  root: LineageNode;
  runs: HistoryRun[];
  files: LineageNode[];
}

/**
 * What produced `file`, from which inputs, recursively, with the hashes recorded then: the latest completed run whose
 * outputs name it, then for each of that run's inputs the latest completed run that wrote it before the reader
 * started (so a re-run after the reader is not its producer), down to source files no run produced. Each file is
 * checked against its current bytes. A relative `file` is taken from `cwd` (default: the project folder). A file no
 * run read or wrote is a PipelineError (exit code 2) naming it as given.
 *
 * @example
 * const lineage = await lineageOf(await RunHistory.read(ledger), 'out/report.html');
 * lineage.root.producedBy?.name; // 'report'
 * lineage.files.filter((f) => f.changed).map((f) => f.name); // files changed since
 */
export async function lineageOf(
  history: RunHistory,
  file: string,
  opts: { bytes?: CurrentBytesCache; cwd?: string } = {},
): Promise<Lineage> {
  const path = history.resolve(file, opts.cwd);
  const producer = latest(history.writersOf(path));
  const record = producer ? recordOf(producer.outputs, path) : latestRead(history, path);
  if (!record) throw unknownFile(history, file);
  const walk = new LineageWalk(history, opts.bytes ?? new CurrentBytesCache());
  const root = await walk.node(record, producer, new Set());
  return { root, runs: walk.runs, files: walk.files };
}

/** The error for a file the ledger has no record of: bad input, exit code 2. */
export function unknownFile(history: RunHistory, file: string): PipelineError {
  return new PipelineError(
    `no run in the ledger read or wrote this file (paths in the ledger are resolved against ${history.projectDir}; ` +
      `${history.runs.length} runs recorded)`,
    { file },
  );
}

/** The latest run by when it finished (then started, then id), or undefined. */
export function latest(runs: readonly HistoryRun[]): HistoryRun | undefined {
  let best: HistoryRun | undefined;
  for (const r of runs) if (!best || order(r, best) > 0) best = r;
  return best;
}

function order(a: HistoryRun, b: HistoryRun): number {
  const key = (r: HistoryRun) => `${r.finishedAt ?? ''} ${r.startedAt} ${r.runId}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function recordOf(files: readonly RecordedFile[], path: string): RecordedFile | undefined {
  return files.find((f) => f.path === path);
}

/** A file only ever read: as the latest run that read it recorded it. */
function latestRead(history: RunHistory, path: string): RecordedFile | undefined {
  const reader = history.readersOf(path).at(-1);
  return reader && recordOf(reader.inputs, path);
}

/**
 * The walk down a lineage, depth first and one step at a time: a run's inputs are followed once and shared by every
 * node it produced, and a run still being followed (an ancestor on the current path) marks a cycle instead.
 */
class LineageWalk {
  readonly runs: HistoryRun[] = [];
  readonly files: LineageNode[] = [];
  private readonly inputs = new Map<string, LineageNode[]>();
  private readonly seenFiles = new Set<string>();

  constructor(
    private readonly history: RunHistory,
    private readonly bytes: CurrentBytesCache,
  ) {}

  async node(record: RecordedFile, producer: HistoryRun | undefined, onPath: ReadonlySet<string>): Promise<LineageNode> {
    const size = await this.bytes.now(record.path).then((b) => b?.size ?? null);
    const node: LineageNode = {
      path: record.path,
      name: this.history.display(record.path),
      sha256: record.sha256,
      size: record.size,
      changed: await this.bytes.differs(record),
      missing: size === null,
      producedBy: producer ?? null,
      inputs: [],
      cycle: false,
    };
    const key = `${record.path}\0${record.sha256}`;
    if (!this.seenFiles.has(key)) {
      this.seenFiles.add(key);
      this.files.push(node);
    }
    if (!producer) return node;
    const written = recordOf(producer.outputs, record.path);
    if (written && written.sha256 !== record.sha256) node.written = written;
    if (onPath.has(producer.runId)) {
      node.cycle = true;
      return node;
    }
    node.inputs = await this.inputsOf(producer, new Set([...onPath, producer.runId]));
    return node;
  }

  private async inputsOf(run: HistoryRun, onPath: ReadonlySet<string>): Promise<LineageNode[]> {
    const known = this.inputs.get(run.runId);
    if (known) return known;
    this.runs.push(run);
    const nodes: LineageNode[] = [];
    this.inputs.set(run.runId, nodes);
    for (const input of run.inputs) nodes.push(await this.node(input, this.producerBefore(input.path, run), onPath));
    return nodes;
  }

  /** The latest completed run that wrote `path` and had finished when `consumer` started (never the consumer itself). */
  private producerBefore(path: string, consumer: HistoryRun): HistoryRun | undefined {
    return latest(
      this.history.writersOf(path).filter((w) => w !== consumer && w.finishedAt !== null && w.finishedAt <= consumer.startedAt),
    );
  }
}
