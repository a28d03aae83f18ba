export { DEFAULT_RAY_ADDRESS, rayDashboardUrl } from './ray-address.js';
export { MAX_PACKAGE_BYTES, packageWorkingDir } from './working-dir-package.js';
export type { PackageOptions, WorkingDirPackage } from './working-dir-package.js';
export { RAY_JOB_SPEC, isTerminal } from './job-spec.js';
export type { RayJobDetails, RayJobSpec, RayJobStatus } from './job-spec.js';
export { RayJobsClient } from './ray-jobs-client.js';
export type { RayJobsClientOptions, SubmittedJob, WaitOptions } from './ray-jobs-client.js';
