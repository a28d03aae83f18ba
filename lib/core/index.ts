export { packageRoot, skybookVersion } from './package-info.js';
export {
  ProgressTracker, formatProgress, formatSeconds, silentProgress, recordProgress, subProgress, setProgressHost, progressOf,
} from './progress.js';
export type { Progress, ProgressTask, ProgressState, ProgressEvent } from './progress.js';
