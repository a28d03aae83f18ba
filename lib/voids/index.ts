export { buildSurveyMask, isOutsideMask, maskResolution } from './survey-mask.js';
export type { SurveyMask, SurveyMaskOptions } from './survey-mask.js';
export { PointIndex } from './spatial-index.js';
export type { Neighbours } from './spatial-index.js';
