// lib/pipeline: chains of work. Each part below has its own section; add exports to yours only.

// --- stages, lock, status, dag, watch (pipeline file and runner)

// --- QA gates (qa/)

// --- lineage and PROV-JSON (lineage/)

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
