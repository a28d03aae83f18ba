import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

/** The curated notebooks, in the order they must run (01 writes the survey that 02 and 03 read). */
export const CURATED = ['01-quickstart', '02-sky-store', '03-quasar-spectra'] as const;
export const NOTEBOOKS = join(ROOT, 'notebooks');
/** Where the notebooks' defaults put the survey, relative to the cwd of the run. */
export const SURVEY = 'runs/survey';
export const ZCATALOG = `${SURVEY}/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits`;

export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
export interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
  metadata: Record<string, unknown>;
}

export const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `sb-accept-${tag}-`));
export const readCells = (path: string): Cell[] => (JSON.parse(readFileSync(path, 'utf8')) as { cells: Cell[] }).cells;
export const codeCells = (path: string): Cell[] => readCells(path).filter((c) => c.cell_type === 'code');
/** Every MIME type in a cell's outputs. */
export const mimes = (c: Cell): string[] => (c.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {}));

/**
 * `skybook run` of a curated notebook with the skybook kernel in `cwd` (the defaults' relative paths resolve there),
 * the executed notebook and its manifest in `cwd/out/`. Extra args (e.g. `--input`) go last.
 */
export async function runCurated(name: string, cwd: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const out = join(cwd, 'out', `${name}.ipynb`);
  const r = await spawnSkybook(
    ['run', join(NOTEBOOKS, `${name}.ipynb`), '--kernel', 'skybook', '--cwd', cwd, '-o', out, '--json', ...extra],
    { cwd, env },
  ).done;
  return { ...r, out, manifest: out.replace(/\.ipynb$/, '.provenance.json') };
}

/** Per-cell hashes (source and normalised outputs) from a provenance manifest. */
export function cellHashes(manifest: string): { index: number; source: string; outputs?: string }[] {
  const graph = (
    JSON.parse(readFileSync(manifest, 'utf8')) as {
      '@graph': { '@id': string; 'skybook:cells'?: { index: number; source: string; outputs?: string }[] }[];
    }
  )['@graph'];
  const cells = graph.find((n) => n['@id'] === '#run')?.['skybook:cells'];
  if (!cells) throw new Error(`${manifest}: no #run with skybook:cells`);
  return cells.map(({ index, source, outputs }) => ({ index, source, outputs }));
}
