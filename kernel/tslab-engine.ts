import { createRequire } from 'node:module';

/** A diagnostic as tslab's converter reports it: zero-based, cell-relative positions. */
export interface TsDiagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

/** What converting one cell gives: JavaScript (CommonJS) and the declarations later cells see, or diagnostics. */
export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: TsDiagnostic[];
  lastExpressionVar?: string;
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
}

/** tslab's incremental cell compiler (one TypeScript watch program kept across cells). */
export interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  inspect(
    prevDecl: string,
    src: string,
    position: number,
  ): { displayParts?: { text: string }[]; documentation?: { text: string }[]; textSpan?: { start: number; length: number } } | undefined;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  addModule(name: string, content: string, meta?: unknown): TsDiagnostic[];
  close(): void;
}

/** tslab's per-cell magic comments (`/** @module name *\/`, `@jsx`, `@browser`). */
export interface CodeMetadata {
  module?: string;
  jsx?: boolean;
  mode?: 'node' | 'browser';
}

interface TslabConverterModule {
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
  isCompleteCode(content: string): { completed: boolean; indent?: string };
}

const req = createRequire(import.meta.url);

/**
 * tslab's engine, typed by hand (its own .d.ts would pull a second TypeScript into skybook's compile). The converter
 * is what we reuse: type checking that carries declarations from cell to cell, last-expression capture, top-level
 * await detection, completions and hover; the protocol loop, module loading and display are skybook's.
 *
 * @example
 * const conv = tslab().createConverter(); // ~0.5-1 s: builds the first TypeScript program
 */
export function tslab(): TslabConverterModule & { getCodeMetadata(src: string): CodeMetadata } {
  const conv = req('tslab/dist/converter.js') as TslabConverterModule;
  const meta = req('tslab/dist/metadata.js') as { getCodeMetadata(src: string): CodeMetadata };
  return { createConverter: conv.createConverter, isCompleteCode: conv.isCompleteCode, getCodeMetadata: meta.getCodeMetadata };
}
