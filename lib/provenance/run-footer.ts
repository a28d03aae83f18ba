import type { ExportFooter, ExportInput } from '../notebook/index.js';
import type { RunRecord } from './manifest.js';

/**
 * The provenance footer of an exported page, from a run's record: status, times, notebook hash, kernel, software,
 * parameters, a link to the manifest (`manifestHref`, relative to the page) and, when given, the inputs with their hashes.
 *
 * @example
 * exportHtml(nb, { footer: runFooter(await readManifest('runs/a.provenance.json'), 'a.provenance.json') });
 */
export function runFooter(r: RunRecord, manifestHref: string, inputs?: ExportInput[]): ExportFooter {
  const lock = r.software.lockfile ? `, package-lock.json sha256 ${r.software.lockfile.sha256.slice(0, 16)}` : '';
  return {
    status: r.status + (r.error ? `: ${r.error}` : ''),
    startTime: r.startTime,
    endTime: r.endTime,
    notebookSha256: r.notebook.sha256,
    kernel: `${r.kernel.name} (${r.kernel.language})`,
    software: `skybook ${r.software.skybook}, Node.js ${r.software.node}${lock}`,
    parameters: r.parameters,
    manifest: manifestHref,
    ...(inputs ? { inputs } : {}),
  };
}
