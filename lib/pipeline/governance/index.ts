export { DatasetsRegistry, DATASETS_SCHEMA, ACCESS_LEVELS } from './datasets-registry.js';
export type { DatasetEntry, AccessLevel } from './datasets-registry.js';
export { globRegExp } from './glob-pattern.js';
export { reportPeriod, inPeriod } from './report-period.js';
export type { ReportPeriod } from './report-period.js';
export { governanceReport, softwareText } from './governance-report.js';
export type { GovernanceReport, GovernanceDataset, GovernanceFile, GovernanceRun, FileUse } from './governance-report.js';
export { governanceHtml, escapeHtml } from './governance-html.js';
