import { cellFrame } from './cell-source-map.js';
import type { TsDiagnostic } from './tslab-engine.js';

/** A failed cell as Jupyter's `error` message and `execute_reply` carry it. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/**
 * TypeScript diagnostics as a Jupyter error: `line:col - error TSnnnn: message`, cell-relative and 1-based, each with
 * the offending source line and a caret under it; no file names (a diagnostic in a local module the cell imports
 * names that module, relative to the notebook).
 *
 * @example
 * diagnosticsError(result.diagnostics, 'const x: number = "a";');
 * // { ename: 'TypeScriptError', evalue: "1:7 - error TS2322: Type 'string' is not assignable to type 'number'.", ... }
 */
export function diagnosticsError(diags: readonly TsDiagnostic[], src: string): CellError {
  const lines = src.split('\n');
  const traceback: string[] = [];
  const heads: string[] = [];
  for (const d of diags) {
    const where = `${d.fileName ? `${d.fileName} ` : ''}${d.start.line + 1}:${d.start.character + 1}`;
    const head = `${where} - error TS${d.code}: ${d.messageText}`;
    heads.push(head);
    traceback.push(head);
    const line = d.fileName ? undefined : lines[d.start.line];
    if (line !== undefined) {
      const width =
        d.end.line === d.start.line ? Math.max(1, d.end.character - d.start.character) : Math.max(1, line.length - d.start.character);
      traceback.push(`    ${line}`, `    ${' '.repeat(d.start.character)}${'~'.repeat(width)}`);
    }
  }
  const n = diags.length;
  return { ename: 'TypeScriptError', evalue: n === 1 ? heads[0]! : `${heads[0]!} (and ${n - 1} more)`, traceback };
}

/**
 * A thrown value as a Jupyter error: its name and message, and its stack cut where the kernel's own frames begin
 * (they say nothing about the cell and hold absolute paths). With `mapsOf`, frames in compiled cells name the line
 * and column in the cell's TypeScript (`cell-5.ts:3:9`) instead of the JavaScript that ran.
 *
 * @example
 * runtimeError(new RangeError('z out of range'), '/…/dist/kernel/');
 */
export function runtimeError(e: unknown, kernelDir: string, mapsOf?: Parameters<typeof cellFrame>[1]): CellError {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null && 'stack' in e && 'message' in e)) {
    return {
      ename: 'Error',
      evalue: `Uncaught ${typeof e === 'string' ? JSON.stringify(e) : String(e)}`,
      traceback: [`Uncaught ${String(e)}`],
    };
  }
  const err = e as Error;
  const ename = err.name || err.constructor?.name || 'Error';
  const evalue = String(err.message ?? '');
  const frames: string[] = [];
  for (const line of String(err.stack ?? '')
    .split('\n')
    .slice(1)) {
    if (line.includes(kernelDir) || line.includes('node:internal/') || line.includes('node:vm')) break;
    const frame = mapsOf ? cellFrame(line, mapsOf) : line;
    if (frame !== undefined) frames.push(frame);
  }
  return { ename, evalue, traceback: [`${ename}: ${evalue}`, ...frames] };
}
