export { SkybookError } from './skybook-error.js';
export { FitsError, SourceError } from './fits-error.js';
export type { FitsLocation } from './fits-error.js';
