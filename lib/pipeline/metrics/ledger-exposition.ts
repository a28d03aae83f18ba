import type { RunLedger } from '../../store/index.js';
import { ledgerFolder } from './ledger-folder.js';
import { ledgerMetrics } from './ledger-metrics.js';
import { qaReports } from './qa-report.js';

/**
 * A ledger's metrics as they are now: its runs read, the QA reports its `qa` rows wrote looked up under `root` (the
 * project folder, by default the one the ledger belongs to), and the whole rendered as the text exposition format.
 *
 * @example
 * const text = await ledgerExposition(RunLedger.resolve(undefined)); // what `skybook metrics --out` writes
 */
export async function ledgerExposition(ledger: RunLedger, root: string = ledgerFolder(ledger.url)): Promise<string> {
  const runs = await ledger.runs();
  return ledgerMetrics(runs, await qaReports(runs, root));
}
