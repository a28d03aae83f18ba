import { existsSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { exportHtml, readNotebook, writeFileAtomic, type ExportFooter } from '../../notebook/index.js';
import { manifestPathFor, readManifest, runFooter } from '../../provenance/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import type { Command } from './command.js';

/** `skybook export`: a static, offline HTML page of a notebook. @example await exportCommand.run(['runs/a.ipynb', '--html', 'a.html'], io) */
export const exportCommand: Command = {
  name: 'export',
  usage: 'skybook export NOTEBOOK --html OUT.html [--manifest RUN.provenance.json]',
  summary: 'a static HTML page (code, outputs, interactive Plotly, SVG, provenance footer) that renders with no network',
  flags: [
    { flag: 'NOTEBOOK', help: 'the .ipynb to render, usually an executed one (runs/NAME.ipynb)' },
    { flag: '--html OUT.html', help: 'the page to write (required): code, outputs, interactive Plotly, SVG; works offline' },
    {
      flag: '--manifest RUN.provenance.json',
      help: "the run to describe in the footer (default: NOTEBOOK's own .provenance.json when it exists)",
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['notebook'], values: ['html', 'manifest'] });
    const file = args.positionals.notebook!;
    const html = args.values.html;
    if (!html) throw new UsageError('missing --html OUT.html', { option: 'html' });
    const nb = await readNotebook(file);
    const manifest = args.values.manifest ?? manifestPathFor(file);
    let footer: ExportFooter | undefined;
    if (existsSync(manifest)) {
      footer = runFooter(await readManifest(manifest), relative(dirname(resolve(html)), resolve(manifest)));
    } else if (args.values.manifest) throw new UsageError(`--manifest ${manifest}: no such file`, { option: 'manifest', value: manifest });
    await writeFileAtomic(html, exportHtml(nb, { title: basename(file), footer }));
    io.stderr(`skybook export: ${file} -> ${html}${footer ? ' (with provenance footer)' : ''}\n`);
    return 0;
  },
};
