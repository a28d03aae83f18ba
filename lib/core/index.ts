export { packageRoot, skybookVersion } from './package-info.js';
export { projectPath, projectRoot } from './project-root.js';
export {
  ProgressTracker,
  formatProgress,
  formatSeconds,
  silentProgress,
  recordProgress,
  subProgress,
  setProgressHost,
  progressOf,
  PROGRESS_DISPLAY_METADATA,
  isProgressDisplay,
} from './progress.js';
export type { Progress, ProgressTask, ProgressState, ProgressEvent } from './progress.js';
export {
  DEFAULT_RETRY,
  TRANSIENT_HTTP_STATUS,
  TRANSIENT_NETWORK_CODES,
  isTransientNetworkError,
  retryAfterMs,
  retryDelay,
  withRetry,
} from './retry.js';
export type { RetryPolicy, RetryHooks } from './retry.js';
export {
  unitVector,
  unitVectors,
  raDecOf,
  raDecOfVectors,
  angleBetween,
  angularDistance,
  withinCone,
  cone,
  coneContains,
  coneMask,
} from './sphere.js';
export type { Vec3, Cone } from './sphere.js';
export { inverseLookup } from './inverse-lookup.js';
export { Rng } from './seeded-random.js';
export { REDACTED, REDACTED_PASSWORD, Redactor, isSecretName, redactUrl, redactUrls } from './secrets.js';
export type { SecretValue } from './secrets.js';
export {
  MAX_BUFFER_BYTES,
  MEMORY_BUDGET_ENV,
  checkMemory,
  defaultMemoryBudget,
  formatByteSize,
  memoryBudget,
  parseByteSize,
} from './memory-budget.js';
export type { MemoryBudget } from './memory-budget.js';
export { collectWarnings, setWarningHost, warn } from './warn.js';
export type { WarningHost } from './warn.js';
export { WorkerPool, serveJobs } from './worker-pool.js';
export { plotDocument, renumberIds } from './plot-document.js';
export { processAlive } from './process-alive.js';
export { escapeHtml } from './escape-html.js';
export { boundedMap } from './bounded-map.js';
