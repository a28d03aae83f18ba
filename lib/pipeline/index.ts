// lib/pipeline: chains of work. Each part below has its own section; add exports to yours only.

// --- stages, lock, status, dag, watch (pipeline file and runner)
export { readYamlFile, parseYamlText } from './yaml-file.js';
export { loadPipeline, PIPELINE_FILE, PIPELINE_SCHEMA, within } from './pipeline-file.js';
export type { Pipeline, Stage } from './pipeline-file.js';
export { stageGraph, withUpstream, downstreamOf } from './stage-graph.js';
export type { StageGraph } from './stage-graph.js';
export { HashCache } from './hash-cache.js';
export type { Digest } from './hash-cache.js';
export { notebookCodeHash, normaliseCurly } from './notebook-code.js';
export { readLock, writeLock, LOCK_FILE } from './lock-file.js';
export type { Lock, LockedStage, LockedFile } from './lock-file.js';
export { runPipeline, pipelineLedger } from './run-pipeline.js';
export type { StageResult, PipelineEvent, PipelineRunOptions, PipelineRunResult } from './run-pipeline.js';
export { pipelineStatus } from './pipeline-status.js';
export type { StageStatus } from './pipeline-status.js';
export { dagText, dagMermaid } from './dag.js';
export { watchPipeline } from './watch.js';
export type { WatchEvent, WatchOptions } from './watch.js';
export { restoreStashes } from './outs-guard.js';

// --- QA gates (qa/)
export { CHECKS_FILE_SCHEMA, parseChecksFile, readChecksFile } from './qa/checks-file.js';
export type { ChecksFile, TableChecks, ColumnChecks, DriftCheck, DriftReference } from './qa/checks-file.js';
export { parseYamlWithPositions, validateYaml } from './yaml-location.js';
export type { PositionedYaml } from './yaml-location.js';
export { runQaChecks, GOOD_DELTACHI2 } from './qa/run-checks.js';
export type { QaRunOptions } from './qa/run-checks.js';
export { ksTwoSample, kolmogorovSf } from './qa/ks-test.js';
export type { KsResult } from './qa/ks-test.js';
export { qaReportJson, qaSummary, breachLines } from './qa/qa-report.js';
export type { QaReport, QaResult, QaCheckKind } from './qa/qa-report.js';
export { qaReportHtml } from './qa/qa-html.js';

// --- lineage and PROV-JSON (lineage/), and the governance report (governance/)
export {
  RunHistory,
  CurrentBytesCache,
  lineageOf,
  dependentsOf,
  lineageGraph,
  dependentsGraph,
  toProvJson,
  provPrefixes,
  localPart,
  fileQName,
  lineageJson,
  lineageText,
  dependentsJson,
  dependentsText,
  runSummary,
  ledgerNear,
} from './lineage/index.js';
export type {
  HistoryRun,
  RecordedFile,
  CurrentBytes,
  Lineage,
  LineageNode,
  Dependents,
  DependentRun,
  DependentFile,
  ProvGraph,
  ProvFile,
  ProvJson,
  ProvRecords,
  LineageNodeJson,
  RunSummary,
} from './lineage/index.js';
export {
  DatasetsRegistry,
  DATASETS_SCHEMA,
  ACCESS_LEVELS,
  globRegExp,
  reportPeriod,
  inPeriod,
  governanceReport,
  softwareText,
  governanceHtml,
} from './governance/index.js';
export type {
  DatasetEntry,
  AccessLevel,
  ReportPeriod,
  GovernanceReport,
  GovernanceDataset,
  GovernanceFile,
  GovernanceRun,
  FileUse,
} from './governance/index.js';

// --- metrics and the governance report (metrics/, governance/)
export {
  ledgerMetrics,
  ledgerExposition,
  EXPOSITION_CONTENT_TYPE,
  RUN_KINDS,
  DURATION_BUCKETS,
  qaReportOf,
  qaReports,
  numericValue,
  ledgerFolder,
  rowFolder,
  replaceFile,
  serveMetrics,
} from './metrics/index.js';
export type { QaReportFile, QaCheckOutcome, MetricsServer, MetricsServerOptions } from './metrics/index.js';
export { writeDashboard, dashboardPage, durationPlots } from './dashboard/index.js';
export type { DashboardSummary, DashboardInput, DashboardPage, DurationPlot } from './dashboard/index.js';
