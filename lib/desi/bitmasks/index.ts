export { Bitmask } from './bitmask.js';
export type { BitDef } from './bitmask.js';
export { ZWARN } from './zwarn.js';
export { DESI_TARGET, BGS_TARGET, MWS_TARGET, SCND_TARGET } from './targetmask.js';
export { FIBERSTATUS, COADD_FIBERSTATUS } from './fibermask.js';
export { SPECMASK } from './specmask.js';
