export { readSdssSpec } from './read-sdss-spec.js';
export type { SdssSpec } from './read-sdss-spec.js';
