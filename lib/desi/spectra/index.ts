export { spectrumAt } from './spectra.js';
export type { ArmSpectra, Spectra, SpectraProduct, OneSpectrum } from './spectra.js';
export { stitchArms, unionGrid } from './stitch.js';
export type { StitchedSpectra, StitchOptions } from './stitch.js';
export { applyResolution, convolveWithResolution, diagonalOffset } from './resolution.js';
