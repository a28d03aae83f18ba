import { skybookVersion } from '../../core/index.js';
import { isBundlePath, loadNotebookForRun, readBundleCrate, readManifest, verifyBundle, verifyRun } from '../../provenance/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { useBuiltinKernel } from './kernel-spec.js';
import type { Command } from './command.js';
import { resolveParameters, takeParamPairs } from './run-params.js';

/** `skybook verify`: re-runs a recorded run or a published bundle and compares per-cell hashes. @example await verify.run(['runs/a.provenance.json'], io) */
export const verify: Command = {
  name: 'verify',
  usage: 'skybook verify RUN.provenance.json|BUNDLE/|BUNDLE.zip [-p NAME VALUE]... [--json]',
  summary:
    're-runs a recorded run or a published bundle and compares per-cell hashes; names the first diverging cell; exit 1 when not identical',
  flags: [
    {
      flag: 'RUN.provenance.json|BUNDLE/|BUNDLE.zip',
      help: 'the manifest `skybook run` wrote, or a bundle `skybook publish` wrote (re-run in a temp copy; the bundle is not changed)',
    },
    { flag: '-p, --parameters NAME VALUE', help: 'a value for a parameter the manifest redacted (a secret), repeatable' },
    { flag: '--json', help: 'print the report (identical, first diverging cell, changed inputs and outputs) as JSON' },
  ],
  async run(argv, io) {
    useBuiltinKernel(skybookVersion());
    const { argv: rest, pairs } = takeParamPairs(argv);
    const args = parseArgs(rest, { positionals: ['manifest'], switches: ['json'] });
    const path = args.positionals.manifest!;
    const bundle = isBundlePath(path);
    let overrides;
    if (pairs.length) {
      // A bundle's notebook is read from the bundle folder; a zip's parameters are checked when it is unpacked.
      const rec = bundle && !/\.zip$/i.test(path) ? (await readBundleCrate(path)).record : bundle ? undefined : await readManifest(path);
      if (rec) {
        const loaded = await loadNotebookForRun(rec.notebook.path, rec.kernel.name);
        overrides = resolveParameters(loaded.parameters, pairs, undefined, rec.notebook.path);
      } else overrides = Object.fromEntries(pairs.map(([k, v]) => [k, v]));
    }
    const progress = progressFor(io, !args.switches.has('json'));
    let rep;
    try {
      rep = bundle
        ? await verifyBundle(path, { parameters: overrides, progress })
        : await verifyRun(path, { parameters: overrides, progress });
    } finally {
      progress.finish();
    }
    if (args.switches.has('json')) {
      io.stdout(toJson({ manifest: path, ...rep }) + '\n');
      return rep.identical ? 0 : 1;
    }
    const unavailable = 'unavailableInputs' in rep ? (rep.unavailableInputs as string[]) : [];
    for (const p of unavailable) io.stdout(`input not in the bundle and not at its recorded location: ${p}\n`);
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
