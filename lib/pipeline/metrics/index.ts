// lib/pipeline/metrics: the run ledger as Prometheus metrics (text exposition format 0.0.4), written or served.
export { ledgerMetrics, EXPOSITION_CONTENT_TYPE, RUN_KINDS, DURATION_BUCKETS } from './ledger-metrics.js';
export { ledgerExposition } from './ledger-exposition.js';
export { qaReportOf, qaReports, numericValue } from './qa-report.js';
export type { QaReportFile, QaCheckOutcome } from './qa-report.js';
export { ledgerFolder, rowFolder } from './ledger-folder.js';
export { replaceFile } from './replace-file.js';
export { serveMetrics } from './metrics-server.js';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.js';
