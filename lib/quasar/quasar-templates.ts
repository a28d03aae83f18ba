import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../core/index.js';
import { QuasarError, SkybookError } from '../errors/index.js';
import { openFits } from '../fits/index.js';

/**
 * A set of eigenspectra on one rest wavelength grid (Angstrom, increasing): `components[k]` is eigenspectrum k.
 *
 * @example
 * const e: Eigenspectra = templates.galaxy;
 * e.components[0]!.length === e.wave.length; // true
 */
export interface Eigenspectra {
  wave: Float64Array;
  components: Float64Array[];
}

/**
 * One optical Fe II multiplet group of Kovacevic, Popovic & Dimitrijevic (2010): its lines' rest wavelengths
 * (Angstrom) and their intensities relative to the group's strongest line, which the model scales together.
 *
 * @example
 * const g: FeGroup = { name: 'b4F', wave: Float64Array.of(4583.8), intensity: Float64Array.of(1) };
 */
export interface FeGroup {
  name: string;
  wave: Float64Array;
  intensity: Float64Array;
}

/**
 * The templates the host-galaxy decomposition and the optical Fe II model read: the Yip et al. (2004) galaxy and
 * quasar eigenspectra and the Kovacevic et al. (2010) Fe II groups. None ships with skybook: `npm run setup:python`
 * places them in `.venv/share/skybook/quasar-templates` (see {@link defaultQuasarTemplatesDir}).
 *
 * @example
 * const templates: QuasarTemplates = await loadQuasarTemplates(defaultQuasarTemplatesDir()!);
 */
export interface QuasarTemplates {
  dir: string;
  galaxy: Eigenspectra;
  quasar: Eigenspectra;
  feOptical: FeGroup[];
}

/** File names inside a templates directory, as scripts/setup-python.sh writes them. */
const GALAXY_FILE = 'gal_eigenspec_Yip2004.fits';
const QUASAR_FILE = 'qso_eigenspec_Yip2004_global.fits';
const FE_FILE = 'feII_model.csv';

/**
 * `.venv/share/skybook/quasar-templates` under the skybook package root when it holds the templates (the eigenspectra
 * and Fe II files), else undefined: run `npm run setup:python` to make it.
 *
 * @example
 * const dir = defaultQuasarTemplatesDir();
 * if (dir) fitQuasar(spectrum, z, { templates: await loadQuasarTemplates(dir) });
 */
export function defaultQuasarTemplatesDir(): string | undefined {
  const dir = join(packageRoot(), '.venv', 'share', 'skybook', 'quasar-templates');
  return [GALAXY_FILE, QUASAR_FILE, FE_FILE].every((f) => existsSync(join(dir, f))) ? dir : undefined;
}

/**
 * Reads the {@link QuasarTemplates} in `dir`. A missing or unreadable file throws a QuasarError naming it.
 *
 * @example
 * const templates = await loadQuasarTemplates('.venv/share/skybook/quasar-templates');
 * templates.galaxy.components.length; // 10
 */
export async function loadQuasarTemplates(dir: string): Promise<QuasarTemplates> {
  if (!existsSync(dir))
    throw new QuasarError(`quasar templates directory ${dir} does not exist (npm run setup:python makes one)`, {
      scope: 'loadQuasarTemplates',
    });
  const [galaxy, quasar, feOptical] = await Promise.all([
    readEigenspectra(join(dir, GALAXY_FILE)),
    readEigenspectra(join(dir, QUASAR_FILE)),
    readFeGroups(join(dir, FE_FILE)),
  ]);
  return { dir, galaxy, quasar, feOptical };
}

/** A table HDU 1 with WAVE (n) and PCA (k x n) in its one row, as Yip et al. distribute the eigenspectra. */
async function readEigenspectra(file: string): Promise<Eigenspectra> {
  const fail = (why: string) => new QuasarError(why, { scope: 'loadQuasarTemplates', file });
  if (!existsSync(file)) throw fail('eigenspectra file is missing (npm run setup:python fetches it)');
  let f: Awaited<ReturnType<typeof openFits>> | undefined;
  try {
    f = await openFits(file);
    const t = await f.readTable(1);
    const waveCol = t.getChild('WAVE');
    const pcaCol = t.getChild('PCA');
    if (!waveCol || !pcaCol || t.numRows < 1) throw fail('expected a table with columns WAVE and PCA in HDU 1');
    const wave = Float64Array.from(waveCol.get(0) as ArrayLike<number>);
    const rows = pcaCol.get(0) as { length: number; get(i: number): { toArray(): ArrayLike<number> } };
    const components: Float64Array[] = [];
    for (let k = 0; k < rows.length; k++) components.push(Float64Array.from(rows.get(k).toArray()));
    if (components.length === 0 || components.some((c) => c.length !== wave.length))
      throw fail(`PCA rows must each have ${wave.length} values, one per WAVE`);
    for (let i = 1; i < wave.length; i++) if (!(wave[i]! > wave[i - 1]!)) throw fail(`WAVE must increase (index ${i})`);
    return { wave, components };
  } catch (e) {
    if (e instanceof QuasarError) throw e;
    throw fail(`cannot read eigenspectra: ${e instanceof SkybookError || e instanceof Error ? e.message : String(e)}`);
  } finally {
    await f?.close();
  }
}

/** `ime,wav,Int` rows: group name, rest wavelength, relative intensity. */
async function readFeGroups(file: string): Promise<FeGroup[]> {
  const fail = (why: string) => new QuasarError(why, { scope: 'loadQuasarTemplates', file });
  if (!existsSync(file)) throw fail('Fe II model file is missing (npm run setup:python fetches it)');
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.replace(/\s/g, '') !== 'ime,wav,Int') throw fail(`expected the header "ime,wav,Int", got "${lines[0]}"`);
  const groups = new Map<string, { wave: number[]; intensity: number[] }>();
  lines.slice(1).forEach((line, k) => {
    const [name, w, i] = line.split(',').map((s) => s.trim());
    const wave = Number(w);
    const intensity = Number(i);
    if (!name || !(wave > 0) || !(intensity >= 0)) throw fail(`line ${k + 2}: expected group,wavelength,intensity: "${line}"`);
    const g = groups.get(name) ?? { wave: [], intensity: [] };
    g.wave.push(wave);
    g.intensity.push(intensity);
    groups.set(name, g);
  });
  if (groups.size === 0) throw fail('no Fe II lines');
  return [...groups].map(([name, g]) => ({ name, wave: Float64Array.from(g.wave), intensity: Float64Array.from(g.intensity) }));
}
