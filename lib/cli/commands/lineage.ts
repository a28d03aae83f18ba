import { redactUrl } from '../../core/index.js';
import {
  dependentsGraph,
  dependentsJson,
  dependentsOf,
  dependentsText,
  ledgerNear,
  lineageGraph,
  lineageJson,
  lineageOf,
  lineageText,
  RunHistory,
  toProvJson,
} from '../../pipeline/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';

/**
 * `skybook lineage FILE [--dependents] [--prov OUT.json] [--ledger URL] [--json]`: what produced a file, from which
 * inputs, recursively, with the hashes recorded then; or, with `--dependents`, every run downstream of it; optionally
 * as W3C PROV-JSON. A file no run read or wrote is bad input (exit 2).
 *
 * @example
 * skybook lineage out/report.html --prov report.prov.json
 */
export const lineage: Command = {
  name: 'lineage',
  usage: 'skybook lineage FILE [--dependents] [--prov OUT.json] [--ledger URL] [--json]',
  summary:
    'what produced FILE, from which inputs, recursively, with the hashes recorded then and what changed since; --dependents: what a change to FILE invalidates; W3C PROV-JSON',
  flags: [
    { flag: 'FILE', help: 'a file a run in the ledger read or wrote (relative to the working directory)' },
    { flag: '--dependents', help: 'list every run that read FILE and, recursively, what read their outputs, instead of its lineage' },
    { flag: '--prov OUT.json', help: 'also write the lineage (or the dependents) as a W3C PROV-JSON document to OUT.json' },
    {
      flag: '--ledger URL',
      help: "the run ledger: duckdb:PATH or postgres://URL (default: SKYBOOK_LEDGER, else the nearest .skybook/ledger.duckdb in FILE's folder or above, else the working directory's)",
    },
    { flag: '--json', help: 'print the lineage tree (or the dependents) as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['file'], values: ['ledger', 'prov'], switches: ['dependents', 'json'] });
    const file = args.positionals.file!;
    const prov = args.values.prov === undefined ? undefined : await OutputFile.open('--prov', args.values.prov);
    const ledger = ledgerNear(file, args.values.ledger);
    try {
      const history = await RunHistory.read(ledger);
      const where = { ledger: redactUrl(ledger.url), project: history.projectDir };
      let doc: object;
      let text: string;
      let graph;
      if (args.switches.has('dependents')) {
        const d = dependentsOf(history, file, { cwd: process.cwd() });
        doc = { ...where, dependents: dependentsJson(d, history) };
        text = dependentsText(d, history);
        graph = dependentsGraph(d);
      } else {
        const l = await lineageOf(history, file, { cwd: process.cwd() });
        doc = { ...where, lineage: lineageJson(l, history), changed: l.files.filter((f) => f.changed).map((f) => f.name) };
        text = lineageText(l);
        graph = lineageGraph(l);
      }
      if (prov) {
        await prov.write(`${JSON.stringify(toProvJson(graph, history), null, 1)}\n`);
        await prov.commit();
      }
      io.stdout(args.switches.has('json') ? `${toJson(doc, 1)}\n` : text);
      return 0;
    } catch (e) {
      await prov?.abandon();
      throw e;
    } finally {
      await ledger.close();
    }
  },
};
