import { z } from 'zod';
import { CloudyError } from '../errors/index.js';

// Text that goes into a deck verbatim: one line, printable, no double quote (Cloudy ends a quoted file name at the
// next quote, and a newline would start a new command).
const SAFE = /^[^\n\r"\x00-\x1f\x7f]*$/;
const text = (what: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .regex(SAFE, `${what} must be one line without double quotes or control characters`)
    .refine((s) => s.trim() === s, `${what} must not start or end with spaces`);
const fileName = text('a file name').refine((s) => !/\s/.test(s), 'a file name must not contain spaces');
const num = z.number().finite();
/** A grid over a command's value: Cloudy's `vary` on the command and `grid FROM TO STEP` after it. */
const vary = z
  .object({ from: num, to: num, step: num.positive() })
  .strict()
  .refine((g) => g.to >= g.from, 'vary: to must be >= from');

const shape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table agn') }).strict(),
  z.object({ kind: z.literal('table power law') }).strict(),
  z
    .object({
      kind: z.literal('agn'),
      /** Big-bump temperature (K, > 10: Cloudy reads <= 10 as a log). */
      temperature: num.gt(10),
      aox: num,
      auv: num,
      ax: num,
    })
    .strict(),
  z.object({ kind: z.literal('blackbody'), temperature: num.gt(10), vary: vary.optional() }).strict(),
  z.object({ kind: z.literal('table sed'), file: fileName }).strict(),
]);

const intensity = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ionization parameter'), log: num, vary: vary.optional() }).strict(),
  z.object({ kind: z.literal('phi(h)'), log: num, vary: vary.optional() }).strict(),
  z.object({ kind: z.literal('q(h)'), log: num, vary: vary.optional() }).strict(),
  /** log10 of the shape's total luminosity, erg/s. */
  z.object({ kind: z.literal('luminosity'), log: num, vary: vary.optional() }).strict(),
]);

const ABUNDANCE_SETS = ['gass', 'ism', 'hii region', 'planetary nebula', 'old solar 84', 'nova', 'cameron', 'primordial'] as const;
const GRAIN_TYPES = ['ism', 'orion', 'pah'] as const;

const stop = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column density'), log: num, vary: vary.optional() }).strict(),
  /** Linear kelvin (> 10: Cloudy reads <= 10 as a log). */
  z.object({ kind: z.literal('temperature'), kelvin: num.gt(10) }).strict(),
  z.object({ kind: z.literal('zone'), zones: z.number().int().positive() }).strict(),
]);

const SAVE_UNITS = ['microns', 'angstroms', 'rydberg', 'kev'] as const;
const save = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overview'), file: fileName, last: z.boolean(), noHash: z.boolean() }).strict(),
  z.object({ kind: z.literal('grid'), file: fileName, last: z.boolean(), noHash: z.boolean() }).strict(),
  z
    .object({
      kind: z.literal('continuum'),
      file: fileName,
      last: z.boolean(),
      noHash: z.boolean(),
      units: z.enum(SAVE_UNITS).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('lines array'), file: fileName, last: z.boolean(), noHash: z.boolean() }).strict(),
  z
    .object({
      kind: z.literal('lines emissivity'),
      file: fileName,
      last: z.boolean(),
      noHash: z.boolean(),
      /** Line labels as Cloudy names them ("H  1 4861.33A", "O  3 5006.84A"), one per line of the deck. */
      lines: z.array(text('a line label')).min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('line list'),
      file: fileName,
      /** The file of line labels Cloudy reads (e.g. LineList_BLR.dat in its data folder). */
      list: fileName,
      last: z.boolean(),
      noHash: z.boolean(),
    })
    .strict(),
]);

/**
 * A Cloudy input deck for the models AGN and H II region work needs, as data: the continuum (one or more shapes,
 * each with its intensity), density (log n_H, optionally a power law in radius), abundances, metals (log scale) and
 * grains, geometry (log inner radius and optional outer, sphere, covering factor), stopping criteria, iterations and
 * save commands; a `vary` on a value makes the deck a Cloudy grid (`grid FROM TO STEP`). Validated by zod: values that
 * would break a deck (a newline or quote in a title or file name, a temperature Cloudy would read as a log, an
 * unknown unit or abundance set) are refused with the path of the field. `extra` holds further commands verbatim.
 *
 * @example
 * const deck: CloudyDeck = CLOUDY_DECK.parse({
 *   title: 'BAL outflow', continua: [{ shape: { kind: 'table agn' }, intensity: { kind: 'ionization parameter', log: -1, vary: { from: -2, to: 0, step: 0.5 } } }],
 *   density: { log: 10 }, stops: [{ kind: 'column density', log: 19 }], iterate: 'convergence',
 *   saves: [{ kind: 'grid', file: 'x.grd', last: true, noHash: true }],
 * });
 */
export const CLOUDY_DECK = z
  .object({
    title: text('the title').optional(),
    continua: z.array(z.object({ shape, intensity }).strict()).min(1, 'a deck needs at least one continuum (shape and intensity)'),
    density: z
      .object({ log: num, vary: vary.optional(), powerIndex: num.optional() })
      .strict()
      .refine((d) => !(d.vary && d.powerIndex !== undefined), 'density: vary and a power law together are not supported'),
    abundances: z.enum(ABUNDANCE_SETS).optional(),
    /** log10 of the scale of all metals (Cloudy's `metals ... log`). */
    metals: z.object({ log: num, vary: vary.optional() }).strict().optional(),
    grains: z.enum(GRAIN_TYPES).optional(),
    /** log10 of the inner radius in cm, and of the outer one. */
    radius: z
      .object({ logInner: num, logOuter: num.optional() })
      .strict()
      .refine((r) => r.logOuter === undefined || r.logOuter > r.logInner, 'radius: logOuter must be > logInner')
      .optional(),
    sphere: z.boolean().optional(),
    coveringFactor: num.gt(0).lte(1).optional(),
    stops: z.array(stop).default([]),
    /** Iterations: a count (>= 2; Cloudy's `iterate N`), or to convergence. */
    iterate: z.union([z.literal('convergence'), z.number().int().min(2)]).optional(),
    saves: z.array(save).default([]),
    extra: z.array(text('an extra command')).default([]),
  })
  .strict();

/**
 * A validated Cloudy deck ({@link CLOUDY_DECK}).
 *
 * @example
 * const d: CloudyDeck = parseDeckSpec(JSON.parse(readFileSync('model.json', 'utf8')));
 */
export type CloudyDeck = z.infer<typeof CLOUDY_DECK>;
/** What a caller writes: defaults (empty stops, saves, extra) may be left out. */
export type CloudyDeckInput = z.input<typeof CLOUDY_DECK>;

/**
 * Validates a deck specification (from JSON or YAML); a CloudyError lists every problem with its field path.
 *
 * @example
 * const deck = parseDeckSpec({ continua: [...], density: { log: 4 } });
 */
export function parseDeckSpec(spec: unknown, file?: string): CloudyDeck {
  const r = CLOUDY_DECK.safeParse(spec);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'deck'}: ${i.message}`);
  throw new CloudyError(`invalid deck: ${problems.join('; ')}`, { scope: 'parseDeckSpec', ...(file ? { file } : {}) });
}

/** A number as Cloudy reads it: shortest round-trip decimal, e-notation as JavaScript prints it, never "-0". */
export function deckNumber(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

type Vary = z.infer<typeof vary>;
const withVary = (line: string, v: Vary | undefined): string[] =>
  v ? [`${line} vary`, `grid ${deckNumber(v.from)} ${deckNumber(v.to)} ${deckNumber(v.step)}`] : [line];

/**
 * The deck as Cloudy input text, one command per line, in the order Cloudy's documentation writes them (title,
 * continua, density, composition, geometry, stops, iterations, saves, extra), ending with a newline. A `vary` value
 * is rendered as the command with `vary` and the `grid` line after it.
 *
 * @example
 * renderDeck(deck); // 'title BAL outflow\ntable agn\nionization parameter -1 vary\ngrid -2 0 0.5\n...'
 */
export function renderDeck(input: CloudyDeck | CloudyDeckInput): string {
  const d = parseDeckSpec(input);
  const n = deckNumber;
  const out: string[] = [];
  if (d.title !== undefined) out.push(`title ${d.title}`);
  for (const { shape: s, intensity: i } of d.continua) {
    if (s.kind === 'agn') out.push(`AGN T =${n(s.temperature)} K, a(ox) = ${n(s.aox)}, a(uv) = ${n(s.auv)}, a(x) = ${n(s.ax)}`);
    else if (s.kind === 'blackbody') out.push(...withVary(`blackbody ${n(s.temperature)}`, s.vary));
    else if (s.kind === 'table sed') out.push(`table SED "${s.file}"`);
    else out.push(s.kind);
    out.push(...withVary(`${i.kind} ${n(i.log)}`, i.vary));
  }
  const dens = `hden ${n(d.density.log)}${d.density.powerIndex === undefined ? '' : `, power = ${n(d.density.powerIndex)}`}`;
  out.push(...withVary(dens, d.density.vary));
  if (d.abundances) out.push(`abundances ${d.abundances}`);
  if (d.metals) out.push(...withVary(`metals ${n(d.metals.log)} log`, d.metals.vary));
  if (d.grains) out.push(`grains ${d.grains}`);
  if (d.radius) out.push(`radius ${n(d.radius.logInner)}${d.radius.logOuter === undefined ? '' : ` ${n(d.radius.logOuter)}`}`);
  if (d.sphere) out.push('sphere');
  if (d.coveringFactor !== undefined) out.push(`covering factor ${n(d.coveringFactor)}`);
  for (const s of d.stops) {
    if (s.kind === 'column density') out.push(...withVary(`stop column density ${n(s.log)}`, s.vary));
    else if (s.kind === 'temperature') out.push(`stop temperature ${n(s.kelvin)}`);
    else out.push(`stop zone ${s.zones}`);
  }
  if (d.iterate !== undefined) out.push(d.iterate === 'convergence' ? 'iterate to convergence' : `iterate ${d.iterate}`);
  for (const s of d.saves) {
    const tail = `${s.last ? ' last' : ''}${s.noHash ? ' no hash' : ''}`;
    if (s.kind === 'lines emissivity') out.push(`save lines, emissivity "${s.file}"${tail}`, ...s.lines, 'end of lines');
    else if (s.kind === 'line list') out.push(`save line list "${s.file}" "${s.list}"${tail}`);
    else if (s.kind === 'lines array') out.push(`save lines, array "${s.file}"${tail}`);
    else if (s.kind === 'continuum') out.push(`save continuum "${s.file}"${tail}${s.units ? ` units ${s.units}` : ''}`);
    else out.push(`save ${s.kind} "${s.file}"${tail}`);
  }
  out.push(...d.extra);
  return `${out.join('\n')}\n`;
}

/** The varied values of a deck (its Cloudy grid), by the command they vary, in deck order. */
export function deckGridAxes(deck: CloudyDeck): { command: string; from: number; to: number; step: number }[] {
  const out: { command: string; from: number; to: number; step: number }[] = [];
  const add = (command: string, v: Vary | undefined) => v && out.push({ command, ...v });
  for (const { shape: s, intensity: i } of deck.continua) {
    if (s.kind === 'blackbody') add('blackbody', s.vary);
    add(i.kind, i.vary);
  }
  add('hden', deck.density.vary);
  add('metals', deck.metals?.vary);
  for (const s of deck.stops) if (s.kind === 'column density') add('stop column density', s.vary);
  return out;
}

const NUM = String.raw`([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const rx = (s: string) => new RegExp(`^${s.replaceAll('NUM', NUM)}$`, 'i');
const VARIED = rx(String.raw`(.*?)\s+vary`);

/**
 * Parses deck text written by {@link renderDeck} (and decks written by hand in the same forms) back into a
 * CloudyDeck: commands are matched case-insensitively, comments (`#`, `//`, `%`, `c ` lines) and blank lines are
 * skipped, a `grid` line becomes the `vary` of the command before it, and commands it does not model go to `extra`
 * in order. parseDeckText(renderDeck(d)) equals d for every valid deck (test/cloudy/deck.test.ts checks it on random
 * decks). The result is validated as parseDeckSpec does; a `grid` line after a command that cannot vary is a
 * CloudyError naming the line.
 *
 * @example
 * const deck = parseDeckText(readFileSync('model.in', 'utf8'), 'model.in');
 */
export function parseDeckText(deckText: string, file?: string): CloudyDeck {
  const where = (line: number) => ({ scope: 'parseDeckText', ...(file ? { file } : {}), line });
  const d: Record<string, unknown> & { continua: Record<string, unknown>[]; stops: unknown[]; saves: unknown[]; extra: string[] } = {
    continua: [],
    stops: [],
    saves: [],
    extra: [],
  };
  let pendingShape: Record<string, unknown> | undefined;
  let pendingShapeLine = 0;
  let lastVaryTarget: Record<string, unknown> | undefined;
  let lastVaried = false;
  const lines = deckText.split(/\r?\n/);
  let extraVaried = false;
  for (let k = 0; k < lines.length; k++) {
    const raw = withoutComment(lines[k]!);
    if (raw === '' || /^(#|\/\/|%|c\s|c$)/i.test(raw)) continue;
    let m: RegExpExecArray | null;
    if ((m = rx('grid NUM NUM NUM').exec(raw))) {
      if (extraVaried) {
        d.extra.push(raw); // the grid of a command kept verbatim stays with it
        extraVaried = false;
        continue;
      }
      if (!lastVaried || !lastVaryTarget) throw new CloudyError(`a grid line must follow a command with "vary": ${raw}`, where(k + 1));
      lastVaryTarget.vary = { from: Number(m[1]), to: Number(m[2]), step: Number(m[3]) };
      lastVaried = false;
      continue;
    }
    if ((m = rx('title (.+)').exec(raw))) {
      d.title = m[1]!; // the whole line, even one ending in "vary"
      continue;
    }
    const varied = VARIED.exec(raw);
    const line = varied ? varied[1]! : raw;
    const shapeBefore = pendingShape;
    let target: Record<string, unknown> | undefined;
    if (/^table agn$/i.test(line)) pendingShape = { kind: 'table agn' };
    else if (/^table power law$/i.test(line)) pendingShape = { kind: 'table power law' };
    else if ((m = rx('table sed "([^"]+)"').exec(line))) pendingShape = { kind: 'table sed', file: m[1]! };
    else if ((m = rx('AGN T =NUM K, a\\(ox\\) = NUM, a\\(uv\\) = NUM, a\\(x\\) = NUM').exec(line)))
      pendingShape = { kind: 'agn', temperature: Number(m[1]), aox: Number(m[2]), auv: Number(m[3]), ax: Number(m[4]) };
    else if ((m = rx('blackbody NUM').exec(line))) target = pendingShape = { kind: 'blackbody', temperature: Number(m[1]) };
    else if ((m = rx('(ionization parameter|phi\\(h\\)|q\\(h\\)|luminosity) NUM').exec(line))) {
      if (!pendingShape) throw new CloudyError(`an intensity command with no continuum shape before it: ${raw}`, where(k + 1));
      target = { kind: m[1]!.toLowerCase(), log: Number(m[2]) };
      d.continua.push({ shape: pendingShape, intensity: target });
      pendingShape = undefined;
    } else if ((m = rx('hden NUM(?:, power = NUM)?').exec(line))) {
      target = d.density = m[2] === undefined ? { log: Number(m[1]) } : { log: Number(m[1]), powerIndex: Number(m[2]) };
    } else if ((m = rx(`abundances (${ABUNDANCE_SETS.join('|')})`).exec(line))) d.abundances = m[1]!.toLowerCase();
    else if ((m = rx('metals NUM log').exec(line))) target = d.metals = { log: Number(m[1]) };
    else if ((m = rx(`grains (${GRAIN_TYPES.join('|')})`).exec(line))) d.grains = m[1]!.toLowerCase();
    else if ((m = rx('radius NUM(?: NUM)?').exec(line)))
      d.radius = m[2] === undefined ? { logInner: Number(m[1]) } : { logInner: Number(m[1]), logOuter: Number(m[2]) };
    else if (/^sphere$/i.test(line)) d.sphere = true;
    else if ((m = rx('covering factor NUM').exec(line))) d.coveringFactor = Number(m[1]);
    else if ((m = rx('stop column density NUM').exec(line))) {
      target = { kind: 'column density', log: Number(m[1]) };
      d.stops.push(target);
    } else if ((m = rx('stop temperature NUM').exec(line))) d.stops.push({ kind: 'temperature', kelvin: Number(m[1]) });
    else if ((m = rx('stop zone (\\d+)').exec(line))) d.stops.push({ kind: 'zone', zones: Number(m[1]) });
    else if (/^iterate to convergence$/i.test(line)) d.iterate = 'convergence';
    else if ((m = rx('iterate (\\d+)').exec(line))) d.iterate = Number(m[1]);
    else if (
      (m = rx(
        'save (overview|grid|lines, array|lines, emissivity|continuum|line list) "([^"]+)"(?: "([^"]+)")?((?: last| no hash| units \\w+)*)',
      ).exec(line))
    ) {
      const kind = m[1]!.toLowerCase().replace('lines, array', 'lines array').replace('lines, emissivity', 'lines emissivity');
      const options = m[4]!.toLowerCase();
      const s: Record<string, unknown> = { kind, file: m[2]!, last: / last/.test(options), noHash: / no hash/.test(options) };
      if (kind === 'line list') s.list = m[3];
      const units = / units (\w+)/.exec(options)?.[1];
      if (units !== undefined) s.units = units;
      if (kind === 'lines emissivity') {
        const labels: string[] = [];
        for (k++; k < lines.length && !/^end of lines$/i.test(lines[k]!.trim()); k++)
          if (lines[k]!.trim() !== '') labels.push(lines[k]!.trim());
        if (k === lines.length) throw new CloudyError('save lines, emissivity: no "end of lines" after its line labels', where(k));
        s.lines = labels;
      }
      d.saves.push(s);
    } else {
      d.extra.push(raw);
      extraVaried = varied !== null;
    }
    if (pendingShape && pendingShape !== shapeBefore) {
      if (shapeBefore)
        throw new CloudyError(`continuum shape ${String(shapeBefore.kind)} has no intensity command after it`, where(pendingShapeLine));
      pendingShapeLine = k + 1;
    }
    if (varied && !target && !extraVaried) throw new CloudyError(`"vary" on a command skybook cannot vary: ${raw}`, where(k + 1));
    lastVaryTarget = target;
    lastVaried = varied !== null;
    if (varied && !(k + 1 < lines.length && /^grid\s/i.test(lines[k + 1]!.trim())))
      throw new CloudyError(`"vary" with no grid line after it: ${raw}`, where(k + 1));
  }
  if (pendingShape)
    throw new CloudyError(`continuum shape ${String(pendingShape.kind)} has no intensity command after it`, where(pendingShapeLine));
  return parseDeckSpec(d, file);
}

/** A deck line without its trailing comment (`//` or `#` after a space, outside quotes), trimmed. */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && i > 0 && (c === '#' || (c === '/' && line[i + 1] === '/')) && /\s/.test(line[i - 1]!))
      return line.slice(0, i).trim();
  }
  return line.trim();
}
