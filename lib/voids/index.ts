export { buildSurveyMask, isOutsideMask, maskResolution } from './survey-mask.js';
export type { SurveyMask, SurveyMaskOptions } from './survey-mask.js';
