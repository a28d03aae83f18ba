import { skybookVersion } from '../../core/index.js';
import { loadNotebookForRun, readManifest, verifyRun } from '../../provenance/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { useBuiltinKernel } from './kernel-spec.js';
import type { Command } from './command.js';
import { resolveParameters, takeParamPairs } from './run-params.js';

/** `skybook verify`: re-runs a recorded run and compares per-cell hashes. @example await verify.run(['runs/a.provenance.json'], io) */
export const verify: Command = {
  name: 'verify',
  usage: 'skybook verify RUN.provenance.json [-p NAME VALUE]... [--json]',
  summary: 're-runs a recorded run and compares per-cell hashes; names the first diverging cell; exit 1 when not identical',
  flags: [
    { flag: 'RUN.provenance.json', help: 'the manifest `skybook run` wrote beside its executed notebook' },
    { flag: '-p, --parameters NAME VALUE', help: 'a value for a parameter the manifest redacted (a secret), repeatable' },
    { flag: '--json', help: 'print the report (identical, first diverging cell, changed inputs and outputs) as JSON' },
  ],
  async run(argv, io) {
    useBuiltinKernel(skybookVersion());
    const { argv: rest, pairs } = takeParamPairs(argv);
    const args = parseArgs(rest, { positionals: ['manifest'], switches: ['json'] });
    const path = args.positionals.manifest!;
    let overrides;
    if (pairs.length) {
      const rec = await readManifest(path);
      const loaded = await loadNotebookForRun(rec.notebook.path, rec.kernel.name);
      overrides = resolveParameters(loaded.parameters, pairs, undefined, rec.notebook.path);
    }
    const progress = progressFor(io, !args.switches.has('json'));
    let rep;
    try {
      rep = await verifyRun(path, { parameters: overrides, progress });
    } finally {
      progress.finish();
    }
    if (args.switches.has('json')) {
      io.stdout(toJson({ manifest: path, ...rep }) + '\n');
      return rep.identical ? 0 : 1;
    }
    for (const c of rep.changedInputs) io.stdout(`input changed: ${c.path} (sha256 ${c.recorded.slice(0, 12)} -> ${c.now.slice(0, 12)})\n`);
    if (rep.notebookChanged) io.stdout('the notebook changed since the recorded run\n');
    if (rep.identical) {
      io.stdout(`${path}: identical (${rep.cells} cells, status ${rep.status.rerun})\n`);
      return 0;
    }
    const d = rep.firstDiverging;
    if (d) io.stdout(`${path}: diverges at cell ${d.index}${d.id ? ` (id ${d.id})` : ''}: ${d.what} differ\n${d.diff}\n`);
    for (const c of rep.changedOutputs)
      io.stdout(`output file differs: ${c.path} (sha256 ${c.recorded.slice(0, 12)} -> ${c.now.slice(0, 12)})\n`);
    if (rep.status.recorded !== rep.status.rerun) io.stdout(`run status: recorded ${rep.status.recorded}, re-run ${rep.status.rerun}\n`);
    return 1;
  },
};
