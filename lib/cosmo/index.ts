export { C_KMS } from './speed-of-light.js';
export { FlatLambdaCDM } from './flat-lcdm.js';
export type { FlatLambdaCDMOptions } from './flat-lcdm.js';
export { skyToCartesian, cartesianToSky } from './comoving-cartesian.js';
export { LinearDistanceTable } from './linear-distance-table.js';
