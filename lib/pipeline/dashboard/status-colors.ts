import type { RunStatus } from '../../store/index.js';

/**
 * One colour per run status, shared by the plots' dots and the page's badges, so a red dot and a red badge mean the same.
 *
 * @example
 * STATUS_COLORS.failed; // '#c62828'
 */
export const STATUS_COLORS: Readonly<Record<RunStatus, string>> = {
  completed: '#2e7d32',
  failed: '#c62828',
  interrupted: '#ef6c00',
  running: '#1565c0',
  skipped: '#9e9e9e',
};

/**
 * Statuses in the order the page lists them: what needs a person first.
 *
 * @example
 * STATUS_ORDER[0]; // 'failed'
 */
export const STATUS_ORDER: readonly RunStatus[] = ['failed', 'interrupted', 'running', 'completed', 'skipped'];
