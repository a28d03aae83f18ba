/**
 * The compiler thread: tslab's converter lives here, so building its first TypeScript program (1-5 s) and checking
 * each cell never block the kernel's sockets (heartbeat, kernel_info and interrupts stay answered). Requests arrive as
 * `{ id, op, args }` and are answered in order with `{ id, result }` or `{ id, error }`.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { withCellSourceMaps } from './cell-source-map.js';
import { requireWithCodeCache } from './code-cache.js';
import { installTypeFallback } from './ts-fallback.js';
import { tslab, type Converter, type TsDiagnostic } from './tslab-engine.js';
import type { CompileResult } from './compiler.js';

interface TsLite {
  createSourceFile(name: string, text: string, target: number, setParents: boolean, kind: number): unknown;
  forEachChild(node: unknown, cb: (n: unknown) => void): void;
  isShorthandPropertyAssignment(n: unknown): boolean;
  isForOfStatement(n: unknown): boolean;
  isFunctionLike(n: unknown): boolean;
  isClassLike(n: unknown): boolean;
  ScriptTarget: { Latest: number };
  ScriptKind: { TS: number };
}

const { cwd, root } = workerData as { cwd: string; root: string };
const tsModule = requireWithCodeCache<TsLite>('@tslab/typescript-for-tslab', import.meta.url);
const ts = tsModule.exports;
const types = installTypeFallback(cwd, root);
// tslab's converter requires TypeScript by name when it loads: it gets the copy that keeps source maps
const { ts: tsForTslab, takeMaps } = withCellSourceMaps(ts);
createRequire(import.meta.url).cache[createRequire(import.meta.url).resolve('@tslab/typescript-for-tslab')]!.exports = tsForTslab;
const engine = tslab();
const conv: Converter = engine.createConverter();

/**
 * `{ a }` -> `{ a: a }` for names earlier cells defined: tslab rewrites references to earlier cells' variables into
 * `exports.a`, but misses shorthand properties, which then fail at run time ("a is not defined"). The expansion means
 * the same thing, so it is applied only to the code that runs; diagnostics come from the cell as written.
 */
function expandShorthand(src: string, names: ReadonlySet<string>): string | undefined {
  const sf = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const at: { end: number; name: string }[] = [];
  const visit = (n: unknown): void => {
    const node = n as { name?: { text: string; end: number }; objectAssignmentInitializer?: unknown };
    if (ts.isShorthandPropertyAssignment(n) && node.name && names.has(node.name.text) && !node.objectAssignmentInitializer)
      at.push({ end: node.name.end, name: node.name.text });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (at.length === 0) return undefined;
  let out = src;
  for (const e of at.sort((a, b) => b.end - a.end)) out = `${out.slice(0, e.end)}: ${e.name}${out.slice(e.end)}`;
  return out;
}

/**
 * tslab learns that a cell awaits at its top level from TypeScript's diagnostic on an `await` expression (1308) and
 * then runs the cell as an async function; a top-level `for await` draws no such diagnostic (or 1103 / 1431, "only
 * allowed ... at the top levels of modules"), so a cell whose only await was one ran in a plain function and failed
 * with "SyntaxError: Unexpected reserved word". Such loops are found in the syntax tree instead.
 */
const FOR_AWAIT_CODES = new Set([1103, 1431]);

/** Source ranges [start, end) of `for await` loops that are not inside a function or class of the cell. */
function topLevelForAwaits(src: string): [number, number][] {
  const sf = ts.createSourceFile('cell.ts', src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: [number, number][] = [];
  const visit = (n: unknown): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    const node = n as { awaitModifier?: unknown; pos: number; end: number };
    if (ts.isForOfStatement(n) && node.awaitModifier) out.push([node.pos, node.end]);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return out;
}

/** A cell's `for await` at its top level makes it an async cell, as a top-level `await` does (see FOR_AWAIT_CODES). */
function withTopLevelForAwait<T extends CompileResult & { kind: 'cell' }>(r: T, src: string): T {
  if (r.hasToplevelAwait || !/\bfor\s+await\b/.test(src)) return r;
  const loops = topLevelForAwaits(src);
  if (loops.length === 0) return r;
  const top = (d: TsDiagnostic) =>
    FOR_AWAIT_CODES.has(d.code) && !d.fileName && loops.some(([a, b]) => d.start.offset >= a && d.start.offset < b);
  return { ...r, diagnostics: r.diagnostics.filter((d) => !top(d)), hasToplevelAwait: true };
}

function compile(prevDecl: string, src: string, names: string[]): CompileResult {
  const meta = engine.getCodeMetadata(src);
  if (meta.module) return { kind: 'module', diagnostics: conv.addModule(meta.module, src, meta) };
  if (meta.mode === 'browser') return { kind: 'browser' };
  const convert = (code: string) => {
    const r = conv.convert(prevDecl, code);
    return { kind: 'cell' as const, ...r, sourceMaps: takeMaps(r.output) };
  };
  const first = withTopLevelForAwait(convert(src), src);
  if (first.diagnostics.length > 0) return first;
  const expanded = expandShorthand(src, new Set(names));
  return expanded === undefined ? first : withTopLevelForAwait(convert(expanded), expanded);
}

const ops: Record<string, (...args: never[]) => unknown> = {
  compile,
  complete: (prevDecl: string, src: string, pos: number) => {
    const r = conv.complete(prevDecl, src, pos);
    return { start: r.start, end: r.end, candidates: r.candidates };
  },
  inspect: (prevDecl: string, src: string, pos: number) => {
    // Hover is where doc comments show: the first one re-reads Node's declarations with theirs (~1 s, once).
    types.restoreDocs();
    const info = conv.inspect(prevDecl, src, pos);
    return info ? { displayParts: info.displayParts, documentation: info.documentation } : undefined;
  },
  isComplete: (src: string) => engine.isCompleteCode(src),
  /** Parses the declarations `decl` imports (the preload's: skybook, apache-arrow) while the kernel is idle. */
  warm: (decl: string) => {
    conv.convert(decl, '');
  },
};

let cacheSaved = false;
parentPort!.on('message', (m: { id: number; op: string; args: never[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: ops[m.op]!(...m.args) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) });
  }
  // After the first answer, TypeScript's hot functions are compiled: cache them for the next kernel's start.
  if (!cacheSaved) {
    cacheSaved = true;
    tsModule.save();
  }
});
parentPort!.postMessage({ ready: true });
