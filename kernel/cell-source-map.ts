import { SourceMap, type SourceMapPayload } from 'node:module';

/**
 * The two source maps of a compiled cell: tslab turns the cell's TypeScript into ES-module JavaScript (`esm`: that
 * JavaScript -> the TypeScript), then that into the CommonJS the kernel runs (`cjs`: CommonJS -> ES module).
 */
export interface CellSourceMaps {
  esm: SourceMapPayload;
  cjs: SourceMapPayload;
}

interface TsEmitApi {
  createWatchCompilerHost(...args: unknown[]): unknown;
  transpileModule(
    input: string,
    options: { fileName?: string; compilerOptions?: Record<string, unknown> },
  ): {
    outputText: string;
    sourceMapText?: string;
  };
}

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
const MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;

/**
 * Makes tslab's two compile steps keep source maps, so a runtime error can name the line and column of the cell's
 * TypeScript instead of the compiled JavaScript's. tslab exposes no option for it, and TypeScript's exports are
 * read-only getters, so this returns a copy of the TypeScript module for tslab to require instead, in which two calls
 * are wrapped: its watch program gets `inlineSourceMap`, and its ES-module-to-CommonJS `transpileModule` (which tslab
 * names `custom.js`) gets `sourceMap`; the map comments are removed from the code that runs. `takeMaps(output)` gives
 * the maps of a CommonJS output compiled since its last call.
 *
 * @example
 * const { ts: forTslab, takeMaps } = withCellSourceMaps(ts); // put forTslab where tslab's require finds it
 * const r = conv.convert(decl, src); const maps = takeMaps(r.output);
 */
export function withCellSourceMaps<T extends object>(ts: T): { ts: T; takeMaps(output: string | undefined): CellSourceMaps | undefined } {
  const made = new Map<string, CellSourceMaps>();
  const api = ts as unknown as TsEmitApi;
  const copy = { ...ts } as unknown as TsEmitApi;
  copy.createWatchCompilerHost = (rootFiles: unknown, options: Record<string, unknown>, ...rest: unknown[]) =>
    api.createWatchCompilerHost(rootFiles, { ...options, inlineSourceMap: true }, ...rest);
  copy.transpileModule = (input, options) => {
    const inline = options.fileName === 'custom.js' ? INLINE_MAP.exec(input) : null;
    if (!inline) return api.transpileModule(input, options);
    const r = api.transpileModule(input.slice(0, inline.index), {
      ...options,
      compilerOptions: { ...options.compilerOptions, sourceMap: true },
    });
    const outputText = r.outputText.replace(MAP_COMMENT, '\n');
    if (r.sourceMapText)
      made.set(outputText, {
        esm: JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as SourceMapPayload,
        cjs: JSON.parse(r.sourceMapText) as SourceMapPayload,
      });
    return { ...r, outputText };
  };
  return {
    ts: copy as unknown as T,
    takeMaps: (output) => {
      const maps = output === undefined ? undefined : made.get(output);
      made.clear();
      return maps;
    },
  };
}

/** tslab compiles each cell as `export {};\n` + the cell, so the cell's first line is the file's second. */
const TSLAB_PREFIX_LINES = 1;

/** What the kernel knows of a cell that ran: its maps, the wrapper text before its first line, its line count. */
export interface RunCellMaps {
  maps: CellSourceMaps;
  /** Characters the kernel put in front of the compiled code on its first line (its function wrapper). */
  firstLineShift: number;
  /** Lines of the cell as typed: a position past them is in code tslab appended (`export { … }`). */
  lines: number;
  /** Lines of the compiled code: a frame past them is the kernel's wrapper calling the cell. */
  compiledLines: number;
}

/**
 * Rewrites a stack frame that points into a compiled cell (`cell-5.js:6:11`) to the cell's TypeScript
 * (`cell-5.ts:3:9`, 1-based like a type error's position). Returns undefined for a frame in code tslab or the kernel
 * added around the cell (it says nothing to the user); a frame with no mapping is returned as it is.
 *
 * @example
 * cellFrame('    at fail (cell-5.js:6:11)', (f) => ran.get(f)); // '    at fail (cell-5.ts:3:9)'
 */
export function cellFrame(frame: string, mapsOf: (file: string) => RunCellMaps | undefined): string | undefined {
  let added = false;
  const out = frame.replace(/\b(cell-\w+)\.js:(\d+):(\d+)/g, (whole, name: string, line: string, col: string) => {
    const known = mapsOf(`${name}.js`);
    if (!known) return whole;
    const l = Number(line) - 1;
    if (l >= known.compiledLines) {
      added = true;
      return whole;
    }
    const c = Number(col) - 1 - (l === 0 ? known.firstLineShift : 0);
    const inEsm = new SourceMap(known.maps.cjs).findEntry(l, Math.max(0, c));
    if (!('originalLine' in inEsm)) return whole;
    const inTs = new SourceMap(known.maps.esm).findEntry(inEsm.originalLine, inEsm.originalColumn);
    if (!('originalLine' in inTs)) return whole;
    const cellLine = inTs.originalLine - TSLAB_PREFIX_LINES;
    if (cellLine < 0 || cellLine >= known.lines) {
      added = true;
      return whole;
    }
    return `${name}.ts:${cellLine + 1}:${inTs.originalColumn + 1}`;
  });
  return added ? undefined : out;
}
