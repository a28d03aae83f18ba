// The seeded generator lives in lib/core since lib/voids (below datasets) draws bootstrap samples with it too.
export { Rng } from '../core/index.js';
