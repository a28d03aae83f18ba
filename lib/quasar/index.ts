export { EMISSION_LINES, emissionLine } from './emission-lines.js';
export type { EmissionLine, EmissionLineName } from './emission-lines.js';
export { MGII_DOUBLET, LYMAN } from './absorption-lines.js';
export { velocityOffset, wavelengthAtVelocity } from './velocity.js';
export { BAL_IONS, BAL_REDSHIFT, BI_WINDOW, AI_WINDOW } from './bal-windows.js';
export type { BalWindow } from './bal-windows.js';
export { balIndex, balnicityIndex, absorptionIndex } from './bal-index.js';
export type { BalTroughSpan } from './bal-index.js';
