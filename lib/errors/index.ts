export { SkybookError } from './skybook-error.js';
export { FitsError, SourceError } from './fits-error.js';
export type { FitsLocation } from './fits-error.js';
export { NotebookError, KernelError, CellExecutionError } from './notebook-error.js';
export type { NotebookLocation } from './notebook-error.js';
