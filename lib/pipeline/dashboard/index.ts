// lib/pipeline/dashboard: the run ledger as one static, self-contained HTML page.
export { writeDashboard } from './write-dashboard.js';
export type { DashboardSummary } from './write-dashboard.js';
export { dashboardPage } from './dashboard-page.js';
export type { DashboardInput, DashboardPage } from './dashboard-page.js';
export { durationPlots } from './duration-plots.js';
export type { DurationPlot } from './duration-plots.js';
