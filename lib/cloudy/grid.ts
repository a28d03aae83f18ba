import { createHash } from 'node:crypto';
import { CloudyError } from '../errors/index.js';
import { type CloudyDeck, type CloudyDeckInput, parseDeckSpec, renderDeck } from './deck.js';

/**
 * One model of a grid: its name (a file stem: `NAME.in`, `NAME.out`), the parameter values that made it (by the
 * deck path they set), the validated deck, its text and the sha256 of that text (what makes a run resumable: an
 * output recorded for this hash is this model's). A plain object, so a Ray or Kubernetes client can ship it as JSON.
 *
 * @example
 * const m: CloudyModel = gridModels(base, { 'continua.0.intensity.log': [-2, -1] })[0]!;
 * m.name; // 'model-000'
 */
export interface CloudyModel {
  name: string;
  params: Record<string, number>;
  /** The typed deck; absent for a model read from a hand-written deck file (its text is run as written). */
  deck?: CloudyDeck;
  input: string;
  sha256: string;
}

/**
 * Options of {@link gridModels}.
 *
 * @example
 * gridModels(base, axes, { prefix: 'bal' } satisfies GridOptions);
 */
export interface GridOptions {
  /** Model names are PREFIX-000, PREFIX-001, ... (default `model`). */
  prefix?: string;
}

/**
 * The Cartesian product of parameter values over a base deck: every combination of `axes` (deck path -> values,
 * e.g. `'continua.0.intensity.log': [-3, -2.5, -2]`, `'density.log': [8, 10]`), the last axis varying fastest, as
 * plain model specs with names, rendered input and its hash. A path that does not name a number in the base deck, an
 * empty axis or a combination the deck schema refuses is a CloudyError naming it.
 *
 * @example
 * const models = gridModels(deck, { 'continua.0.intensity.log': [-3, -2, -1], 'density.log': [4, 6, 8] }); // 9 models
 */
export function gridModels(base: CloudyDeckInput, axes: Record<string, readonly number[]>, options: GridOptions = {}): CloudyModel[] {
  const valid = parseDeckSpec(base);
  const paths = Object.keys(axes);
  for (const p of paths) {
    const values = axes[p]!;
    if (values.length === 0) throw new CloudyError(`axis ${p} has no values`, { scope: 'gridModels' });
    if (typeof getPath(valid, p) !== 'number')
      throw new CloudyError(`axis ${p} does not name a number in the base deck`, { scope: 'gridModels' });
  }
  const total = paths.reduce((n, p) => n * axes[p]!.length, 1);
  const width = Math.max(3, String(total - 1).length);
  const prefix = options.prefix ?? 'model';
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix))
    throw new CloudyError(`invalid prefix: ${prefix} (letters, digits, _ . -)`, { scope: 'gridModels' });
  const out: CloudyModel[] = [];
  for (let k = 0; k < total; k++) {
    const picked = new Array<number>(paths.length);
    let rest = k;
    for (let a = paths.length - 1; a >= 0; a--) {
      const values = axes[paths[a]!]!;
      picked[a] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    // In the axes' order, as the caller listed them.
    const params: Record<string, number> = Object.fromEntries(paths.map((p, a) => [p, picked[a]!]));
    const deck = structuredClone(valid) as unknown as Record<string, unknown>;
    for (const p of paths) setPath(deck, p, params[p]!);
    const name = `${prefix}-${String(k).padStart(width, '0')}`;
    let checked: CloudyDeck;
    try {
      checked = parseDeckSpec(deck);
    } catch (e) {
      throw new CloudyError(`${name} (${describeParams(params)}): ${(e as Error).message}`, { scope: 'gridModels' });
    }
    out.push(modelOf(name, checked, params));
  }
  return out;
}

/**
 * A single model spec from a deck (a native Cloudy grid with `vary` is one model: Cloudy runs its grid itself).
 *
 * @example
 * const m = cloudyModel('bal-grid', deckWithVary);
 */
export function cloudyModel(name: string, deck: CloudyDeckInput, params: Record<string, number> = {}): CloudyModel {
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new CloudyError(`invalid model name: ${name} (letters, digits, _ . -)`, { scope: 'cloudyModel' });
  return modelOf(name, parseDeckSpec(deck), params);
}

/**
 * A model from deck text as written (a hand-written .in file), run verbatim: its hash is that of the text.
 *
 * @example
 * const m = modelFromText('hii_sphere', readFileSync('hii_sphere.in', 'utf8'));
 */
export function modelFromText(name: string, input: string): CloudyModel {
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new CloudyError(`invalid model name: ${name} (letters, digits, _ . -)`, { scope: 'modelFromText' });
  const text = input.endsWith('\n') ? input : `${input}\n`;
  return { name, params: {}, input: text, sha256: createHash('sha256').update(text).digest('hex') };
}

function modelOf(name: string, deck: CloudyDeck, params: Record<string, number>): CloudyModel {
  const input = renderDeck(deck);
  return { name, params, deck, input, sha256: createHash('sha256').update(input).digest('hex') };
}

function describeParams(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

function getPath(o: unknown, path: string): unknown {
  let x = o;
  for (const key of path.split('.')) {
    if (x === null || typeof x !== 'object') return undefined;
    x = (x as Record<string, unknown>)[key];
  }
  return x;
}

function setPath(o: Record<string, unknown>, path: string, v: number): void {
  const keys = path.split('.');
  let x: Record<string, unknown> = o;
  for (const key of keys.slice(0, -1)) x = x[key] as Record<string, unknown>;
  x[keys.at(-1)!] = v;
}
