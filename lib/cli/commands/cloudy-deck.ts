import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { parseDeckSpec, renderDeck } from '../../cloudy/index.js';
import { CloudyError, fileProblem, UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { writeOutput } from '../output-file.js';
import type { Command } from './command.js';

/**
 * `skybook cloudy deck SPEC.json|yaml [-o OUT.in]`: a deck specification validated and rendered as Cloudy input.
 *
 * @example
 * skybook cloudy deck bal-grid.yaml -o bal-grid.in
 */
export const cloudyDeck: Command = {
  name: 'cloudy deck',
  usage: 'skybook cloudy deck SPEC.json|yaml [-o OUT.in]',
  summary: 'a deck specification (JSON or YAML) validated and written as Cloudy input text',
  flags: [
    {
      flag: 'SPEC',
      help: 'the deck as data (docs/api.md, cloudy: CLOUDY_DECK): continua, density, abundances, metals, grains, radius, sphere, coveringFactor, stops, iterate, saves, extra; a `vary` on a value makes a Cloudy grid',
    },
    { flag: '-o, --out OUT.in', help: 'write the deck there (atomically) instead of to stdout' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: ['spec'], values: ['out'], aliases: { o: 'out' } });
    const file = args.positionals.spec!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new CloudyError(`cannot read it: ${fileProblem(e)}`, { file });
    }
    let spec: unknown;
    try {
      spec = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (e) {
      throw new CloudyError(`not ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`, { file });
    }
    const deck = renderDeck(parseDeckSpec(spec, file));
    const out = args.values.out;
    if (out === '') throw new UsageError('-o needs a file name', { option: 'out' });
    if (!out) {
      io.stdout(deck);
      return 0;
    }
    await writeOutput('-o', out, deck);
    return 0;
  },
};
