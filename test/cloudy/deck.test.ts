import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CloudyDeckInput, deckGridAxes, parseDeckSpec, parseDeckText, renderDeck } from '../../lib/cloudy/index.js';
import { CloudyError } from '../../lib/errors/index.js';
import { FIXTURES, HAVE_FIXTURES } from '../helpers/fixtures.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const golden = (name: string) => readFileSync(join(GOLDEN, name), 'utf8');

/** The golden decks as data: each must render to its file byte for byte and parse back to itself. */
const DECKS: Record<string, CloudyDeckInput> = {
  // The BAL grid of ../shared/docs/DOMAIN.md.
  'bal-grid.in': {
    title: 'BAL outflow grid',
    continua: [
      { shape: { kind: 'table agn' }, intensity: { kind: 'ionization parameter', log: -1, vary: { from: -2, to: 0, step: 0.5 } } },
    ],
    density: { log: 10 },
    stops: [{ kind: 'column density', log: 19 }],
    iterate: 'convergence',
    saves: [
      { kind: 'grid', file: 'x.grd', last: true, noHash: true },
      { kind: 'line list', file: 'x.lin', list: 'LineList_BLR.dat', last: true, noHash: true },
    ],
  },
  'hii-sphere.in': {
    title: 'HII region, full depth, spherical shell',
    continua: [{ shape: { kind: 'blackbody', temperature: 4e4 }, intensity: { kind: 'ionization parameter', log: -2 } }],
    density: { log: 2 },
    abundances: 'hii region',
    metals: { log: -0.3 },
    grains: 'orion',
    radius: { logInner: 17 },
    sphere: true,
    stops: [{ kind: 'temperature', kelvin: 1000 }],
    saves: [
      { kind: 'overview', file: 'hii_sphere.ovr', last: true, noHash: false },
      { kind: 'continuum', file: 'hii_sphere.con', last: true, noHash: false, units: 'angstroms' },
      { kind: 'lines emissivity', file: 'hii_sphere.ems', last: true, noHash: false, lines: ['H  1 4861.33A', 'O  3 5006.84A'] },
    ],
  },
  'agn-sed.in': {
    title: 'two continua',
    continua: [
      { shape: { kind: 'agn', temperature: 1.5e5, aox: -1.4, auv: -0.5, ax: -1 }, intensity: { kind: 'luminosity', log: 45.5 } },
      { shape: { kind: 'table sed', file: 'outflow.sed' }, intensity: { kind: 'q(h)', log: 55, vary: { from: 54, to: 56, step: 1 } } },
    ],
    density: { log: 5, powerIndex: -2 },
    coveringFactor: 0.3,
    stops: [
      { kind: 'column density', log: 22 },
      { kind: 'zone', zones: 200 },
    ],
    iterate: 3,
    saves: [{ kind: 'overview', file: 'two.ovr', last: false, noHash: true }],
    extra: ['cmb'],
  },
};

describe('Cloudy decks', () => {
  it.each(Object.keys(DECKS))('%s: renders to the golden file exactly and parses back to the same deck', (name) => {
    const text = renderDeck(DECKS[name]!);
    expect(text).toBe(golden(name));
    expect(parseDeckText(text, name)).toEqual(parseDeckSpec(DECKS[name]));
  });

  it("lists a deck's grid axes (the vary commands) in deck order", () => {
    expect(deckGridAxes(parseDeckSpec(DECKS['agn-sed.in']))).toEqual([{ command: 'q(h)', from: 54, to: 56, step: 1 }]);
    expect(deckGridAxes(parseDeckSpec(DECKS['bal-grid.in']))).toEqual([{ command: 'ionization parameter', from: -2, to: 0, step: 0.5 }]);
  });

  it('any valid deck renders and parses back to itself (property test, 300 random decks)', () => {
    const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    const vary = fc.option(
      fc
        .record({ from: finite(-5, 5), width: finite(0, 3), step: finite(0.01, 2) })
        .map((v) => ({ from: v.from, to: v.from + v.width, step: v.step })),
      { nil: undefined },
    );
    const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
    const label = fc.stringMatching(/^[A-Z][a-z]? {1,2}[0-9] [0-9]{3,4}(\.[0-9]{2})?A$/);
    const shape = fc.oneof(
      fc.constant({ kind: 'table agn' as const }),
      fc.constant({ kind: 'table power law' as const }),
      fc.record({
        kind: fc.constant('agn' as const),
        temperature: finite(11, 1e7),
        aox: finite(-3, 0),
        auv: finite(-2, 0),
        ax: finite(-2, 0),
      }),
      fc.record({ kind: fc.constant('blackbody' as const), temperature: finite(11, 1e6), vary }),
      fc.record({ kind: fc.constant('table sed' as const), file: name }),
    );
    const intensity = fc.record({
      kind: fc.constantFrom('ionization parameter' as const, 'phi(h)' as const, 'q(h)' as const, 'luminosity' as const),
      log: finite(-5, 60),
      vary,
    });
    const stop = fc.oneof(
      fc.record({ kind: fc.constant('column density' as const), log: finite(15, 25), vary }),
      fc.record({ kind: fc.constant('temperature' as const), kelvin: finite(11, 1e5) }),
      fc.record({ kind: fc.constant('zone' as const), zones: fc.integer({ min: 1, max: 1000 }) }),
    );
    const flags = { file: name, last: fc.boolean(), noHash: fc.boolean() };
    const save = fc.oneof(
      fc.record({ kind: fc.constantFrom('overview' as const, 'grid' as const, 'lines array' as const), ...flags }),
      fc.record(
        {
          kind: fc.constant('continuum' as const),
          ...flags,
          units: fc.constantFrom('microns' as const, 'angstroms' as const, 'rydberg' as const, 'kev' as const),
        },
        { requiredKeys: ['kind', 'file', 'last', 'noHash'] },
      ),
      fc.record({ kind: fc.constant('lines emissivity' as const), ...flags, lines: fc.array(label, { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('line list' as const), ...flags, list: name }),
    );
    const deck = fc.record(
      {
        title: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.()=+-]{0,30}[A-Za-z0-9)]$/),
        continua: fc.array(fc.record({ shape, intensity }), { minLength: 1, maxLength: 3 }),
        density: fc.oneof(fc.record({ log: finite(-5, 15), vary }), fc.record({ log: finite(-5, 15), powerIndex: finite(-3, 3) })),
        abundances: fc.constantFrom('gass' as const, 'ism' as const, 'hii region' as const, 'planetary nebula' as const),
        metals: fc.record({ log: finite(-3, 1), vary }),
        grains: fc.constantFrom('ism' as const, 'orion' as const, 'pah' as const),
        radius: fc.oneof(
          fc.record({ logInner: finite(10, 22) }),
          fc
            .record({ logInner: finite(10, 20), width: finite(0.01, 3) })
            .map((r) => ({ logInner: r.logInner, logOuter: r.logInner + r.width })),
        ),
        sphere: fc.constant(true),
        coveringFactor: finite(0.001, 1),
        stops: fc.array(stop, { maxLength: 3 }),
        iterate: fc.oneof(fc.constant('convergence' as const), fc.integer({ min: 2, max: 10 })),
        saves: fc.array(save, { maxLength: 4 }),
        extra: fc.array(fc.constantFrom('cmb', 'print last iteration', 'set dr -10', 'no molecules'), { maxLength: 2 }),
      },
      { requiredKeys: ['continua', 'density'] },
    );
    fc.assert(
      fc.property(deck, (d) => {
        // Optional fields drawn as undefined are absent in the deck a user writes.
        const clean = JSON.parse(JSON.stringify(d)) as CloudyDeckInput;
        const valid = parseDeckSpec(clean);
        expect(parseDeckText(renderDeck(valid))).toEqual(valid);
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it('refuses values that would break a deck, naming the field', () => {
    const base = DECKS['bal-grid.in']!;
    const refuse = (patch: Partial<CloudyDeckInput>, message: RegExp) => {
      expect(() => parseDeckSpec({ ...base, ...patch })).toThrow(CloudyError);
      expect(() => parseDeckSpec({ ...base, ...patch })).toThrow(message);
    };
    refuse({ title: 'two\nlines' }, /title: the title must be one line without double quotes/);
    refuse({ title: 'say "hi"' }, /title: the title must be one line/);
    refuse({ saves: [{ kind: 'grid', file: 'a"b.grd', last: true, noHash: true }] }, /saves\.0\.file: a file name must be one line/);
    refuse({ saves: [{ kind: 'grid', file: 'a b.grd', last: true, noHash: true }] }, /saves\.0\.file: a file name must not contain spaces/);
    refuse(
      { saves: [{ kind: 'continuum', file: 'a.con', last: true, noHash: true, units: 'parsecs' as never }] },
      /saves\.0\.units: Invalid option/,
    );
    refuse(
      { continua: [{ shape: { kind: 'blackbody', temperature: 5 }, intensity: { kind: 'phi(h)', log: 18 } }] },
      /continua\.0\.shape\.temperature/,
    );
    refuse({ coveringFactor: 1.5 }, /coveringFactor/);
    refuse({ continua: [] }, /continua: a deck needs at least one continuum/);
    refuse({ extra: ['cmb\nhden 3'] }, /extra\.0: an extra command must be one line/);
    expect(() => renderDeck({ ...base, title: 'x\ny' })).toThrow(CloudyError);
  });

  it('reads hand-written decks: comments, options in any order, commands it does not model kept verbatim', () => {
    const d = parseDeckText(
      [
        'title hand written',
        '# a comment line',
        'table power law  // a built-in power-law continuum',
        'phi(H) 18.5      // the log of the flux of H-ionizing photons',
        'hden 10',
        'energy density 6 vary',
        'grid 0 6 0.25',
        'save continuum "blr.con" units microns last',
        'print last iteration',
      ].join('\n'),
    );
    expect(d.continua).toEqual([{ shape: { kind: 'table power law' }, intensity: { kind: 'phi(h)', log: 18.5 } }]);
    expect(d.saves).toEqual([{ kind: 'continuum', file: 'blr.con', last: true, noHash: false, units: 'microns' }]);
    expect(d.extra).toEqual(['energy density 6 vary', 'grid 0 6 0.25', 'print last iteration']);
    expect(() => parseDeckText('table agn\nhden 4\n', 'x.in')).toThrow(
      'parseDeckText: x.in: line 1: continuum shape table agn has no intensity command after it',
    );
    expect(() => parseDeckText('table agn\nionization parameter -2\nhden 4 vary\n', 'x.in')).toThrow(
      /line 3: "vary" with no grid line after it/,
    );
    expect(() => parseDeckText('grid 1 2 3\n', 'x.in')).toThrow(/line 1: a grid line must follow a command with "vary"/);
  });

  it.runIf(HAVE_FIXTURES)('parses the real decks of ../shared/fixtures/cloudy that fit the model', () => {
    const hii = parseDeckText(readFileSync(join(FIXTURES, 'cloudy/c10.00/hii_sphere/hii_sphere.in'), 'utf8'));
    expect(hii.continua).toEqual([
      { shape: { kind: 'blackbody', temperature: 4e4 }, intensity: { kind: 'ionization parameter', log: -2 } },
    ]);
    expect(hii.saves.map((s) => s.kind)).toEqual(['overview', 'continuum', 'lines emissivity']);
    expect(hii.saves[2]).toMatchObject({
      lines: ['H  1  4861', 'H  1  6563', 'O  3  5007', 'N  2  6584', 'TOTL  3727', 'S II  6731', 'S II  6716', 'He 1  5876', 'Ne 3  3869'],
    });
    const blr = parseDeckText(readFileSync(join(FIXTURES, 'cloudy/quickstart/BLR_spectrum.in'), 'utf8'));
    expect(blr).toMatchObject({
      density: { log: 10 },
      stops: [{ kind: 'column density', log: 22 }],
      iterate: 'convergence',
      extra: ['print last iteration'],
    });
  });
});
