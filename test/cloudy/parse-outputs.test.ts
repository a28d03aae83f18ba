import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ionColumn, parseOutText, parseSaveText, readOutFile, readSaveFile } from '../../lib/cloudy/index.js';
import { CloudyError } from '../../lib/errors/index.js';
import { FIXTURES, HAVE_FIXTURES, NO_FIXTURES_MESSAGE } from '../helpers/fixtures.js';

// Real output of Cloudy 10.00 and a 2019 trunk, and of the Quick Start Guide's models (../shared/fixtures/cloudy).
// Every value asserted below was read off the file's text by eye.
const DIR = join(FIXTURES, 'cloudy');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

/** The line-table row with this label and printed wavelength, of a kind (the first in table order). */
function line(t: Table, label: string, wave: string, kind = 'intrinsic') {
  for (const r of t) if (r.LABEL === label && r.WAVELENGTH === wave && r.KIND === kind) return r.toJSON();
  throw new Error(`no ${kind} line ${label} ${wave}`);
}

const column = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<number>);

describe.skipIf(!HAVE_FIXTURES)('Cloudy outputs in ../shared/fixtures/cloudy', () => {
  it('parses every file (decks excepted) without an error, each to rows', async () => {
    const parsed: string[] = [];
    for (const f of files(DIR)) {
      if (f.endsWith('.in')) continue;
      if (f.endsWith('.out')) {
        const o = await readOutFile(f);
        expect(o.lines.numRows, f).toBeGreaterThan(100);
        expect(o.exitedOk, f).toBe(true);
      } else {
        const s = await readSaveFile(f);
        expect(s.table.numRows, f).toBeGreaterThan(0);
      }
      parsed.push(relative(DIR, f));
    }
    expect(parsed.length).toBe(23);
  });

  it('C10 hii_sphere.out: banner, commands, stop, caution, the Cloudy ends line and named line intensities', async () => {
    const o = await readOutFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.out'));
    expect(o.version).toBe('10.00');
    expect(o.title).toBe('HII region, full depth, spherical shell');
    expect(o.commands.slice(0, 6)).toEqual([
      'title HII region, full depth, spherical shell',
      'hden 2',
      'blackbody 4e4',
      'ionization parameter -2',
      'radius 17',
      'sphere',
    ]);
    expect(o.commands).toHaveLength(19); // the deck's 19 lines, the save lines list and 'end of lines' included
    expect(o.commands.at(-1)).toBe('end of lines');
    expect(o.stops).toEqual([{ iteration: 1, of: 1, reason: 'lowest Te reached' }]);
    expect(o.cautions).toEqual(['I must iterate when save continuum output is done.']);
    expect(o.warnings).toEqual([]);
    expect(o.surprises[0]).toBe('Test code is in place.');
    expect({ zones: o.zones, iterations: o.iterations, cautions: o.cautionCount, seconds: o.execSeconds }).toEqual({
      zones: 82,
      iterations: 1,
      cautions: 1,
      seconds: 7.17,
    });
    expect(o.ended && o.exitedOk && o.failure === undefined).toBe(true);
    expect(line(o.lines, 'TOTL', '4861A')).toMatchObject({ WAVELENGTH_A: 4861, LOG_INTENSITY: -1.853, RELATIVE: 1, ITERATION: 1 });
    expect(line(o.lines, 'O  3', '5007A')).toMatchObject({ LOG_INTENSITY: -2.893, RELATIVE: 0.0911 });
    expect(line(o.lines, 'S II', '6716A')).toMatchObject({ LOG_INTENSITY: -2.417, RELATIVE: 0.2725 });
    expect(line(o.lines, 'Q(H)', '4861A')).toMatchObject({ LOG_INTENSITY: -1.836, RELATIVE: 1.0386 });
    // microns: "H  1 2.625m" is 26250 A
    expect(line(o.lines, 'H  1', '2.625m')).toMatchObject({ WAVELENGTH_A: 26250, LOG_INTENSITY: -3.105, RELATIVE: 0.0559 });
    expect(line(o.lines, 'TOTL', '4861A', 'emergent')).toMatchObject({ LOG_INTENSITY: -1.853, RELATIVE: 1 });
    expect(line(o.lines, 'TOTL', '1216A', 'emergent')).toMatchObject({ LOG_INTENSITY: -0.447, RELATIVE: 25.4484 });
  });

  it('C10 and trunk line tables: every entry the text holds (counted independently of the parser)', async () => {
    for (const name of ['c10.00/hii_sphere/hii_sphere.out', 'trunk-2019/hii_sphere/hii_sphere.out', 'c10.00/hii_smoke/hii_smoke.out']) {
      const text = readFileSync(join(DIR, name), 'latin1');
      const o = parseOutText(text, name);
      // An independent count: "log-intensity relative" pairs as C10 and this trunk print them (3 and 4 decimals),
      // between each table's heading and its first blank line.
      const count = { intrinsic: 0, emergent: 0 };
      const values: number[] = []; // log intensity and relative, as JavaScript's own Number() reads the text
      let kind: keyof typeof count | undefined;
      for (const l of text.split('\n')) {
        if (kind) {
          if (l.trim() === '') {
            if (count[kind] > 0) kind = undefined;
            continue;
          }
          const pairs = [...` ${l}`.matchAll(/\s(-?\d+\.\d{3})\s+(-?\d+\.\d{4})(?=\s|$)/g)];
          count[kind] += pairs.length;
          for (const p of pairs) values.push(Number(p[1]), Number(p[2]));
        } else if (l.trim() === 'Intrinsic line intensities') kind = 'intrinsic';
        else if (l.trim() === 'Emergent line intensities') kind = 'emergent';
      }
      const kinds = o.lines.getChild('KIND')!.toArray() as string[];
      expect(
        {
          intrinsic: kinds.filter((k) => k === 'intrinsic').length,
          emergent: kinds.filter((k) => k === 'emergent').length,
        },
        name,
      ).toEqual(count);
      // Every number bit for bit as Number() reads it (the parser reads plain decimals without a string parse).
      const log = column(o.lines, 'LOG_INTENSITY');
      const rel = column(o.lines, 'RELATIVE');
      expect(
        log.flatMap((v, i) => [v, rel[i]!]),
        name,
      ).toEqual(values);
    }
  });

  it('trunk hii_sphere.out: the C17+ layout (three entries a line, six-figure wavelengths)', async () => {
    const o = await readOutFile(join(DIR, 'trunk-2019/hii_sphere/hii_sphere.out'));
    expect(o.version).toBe('(trunk, exported, experimental)');
    expect(o.commands[1]).toBe('set UTA Kisielius off');
    expect(o.stops).toEqual([{ iteration: 1, of: 1, reason: 'lowest Te reached' }]);
    expect(o.cautions).toEqual(['Continuum zero at some energies.', 'I must iterate when save continuum output is done.']);
    expect({ zones: o.zones, iterations: o.iterations, cautions: o.cautionCount, seconds: o.execSeconds }).toEqual({
      zones: 105,
      iterations: 1,
      cautions: 2,
      seconds: 10.76,
    });
    expect(line(o.lines, 'O  3', '5006.84A')).toMatchObject({ WAVELENGTH_A: 5006.84, LOG_INTENSITY: -2.595, RELATIVE: 0.1767 });
    expect(line(o.lines, 'Blnd', '3727.00A')).toMatchObject({ LOG_INTENSITY: -2.1, RELATIVE: 0.5519 });
    expect(line(o.lines, 'Inci', '0')).toMatchObject({ WAVELENGTH_A: 0, LOG_INTENSITY: 0.336, RELATIVE: 150.642 });
    expect(line(o.lines, 'Ca A', '4.05113m')).toMatchObject({ WAVELENGTH_A: 40511.3, LOG_INTENSITY: -2.867, RELATIVE: 0.0943 });
  });

  it('ionic column densities: C10 and trunk, continuation lines, hydrogen without H2, read as the text prints them', async () => {
    const c10 = await readOutFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.out'));
    const count = (o: typeof c10, el: string) => o.columns.toArray().filter((r) => r.ELEMENT === el).length;
    expect([ionColumn(c10.columns, 'Hydrogen', 1), ionColumn(c10.columns, 'Hydrogen', 2)]).toEqual([18.326, 19.683]);
    expect(count(c10, 'Hydrogen')).toBe(2); // the third value is H2, not an ion
    expect([ionColumn(c10.columns, 'Carbon', 4), ionColumn(c10.columns, 'Carbon', 5), ionColumn(c10.columns, 'Carbon', 7)]).toEqual([
      12.708, 6.386, -30,
    ]);
    // One stage per electron plus the bare nucleus; Chlorine (Z = 17) and Zinc (Z = 30) run over continuation lines.
    expect([count(c10, 'Carbon'), count(c10, 'Chlorine'), count(c10, 'Zinc')]).toEqual([7, 18, 31]);
    expect(
      c10.columns
        .toArray()
        .map((r) => r.ELEMENT)
        .filter((e, i, a) => a.indexOf(e) === i),
    ).toHaveLength(30);
    const smoke = await readOutFile(join(DIR, 'c10.00/hii_smoke/hii_smoke.out'));
    expect([ionColumn(smoke.columns, 'Carbon', 4), ionColumn(smoke.columns, 'Silicon', 4), ionColumn(smoke.columns, 'Zinc', 6)]).toEqual([
      10.832, 10.894, 3.228,
    ]);
    const trunk = await readOutFile(join(DIR, 'trunk-2019/hii_sphere/hii_sphere.out'));
    expect([
      ionColumn(trunk.columns, 'Hydrogen', 2),
      ionColumn(trunk.columns, 'Carbon', 5),
      ionColumn(trunk.columns, 'Phosphorus', 2),
    ]).toEqual([19.697, 8.002, 13.042]);
    expect(() => ionColumn(trunk.columns, 'Unobtainium', 1, trunk.file)).toThrow(/hii_sphere\.out: no column density of Unobtainium 1 /);
  });

  it('trunk hii_smoke.out: one zone, NZONE reached, four cautions, relative intensities with any number of decimals', async () => {
    const o = await readOutFile(join(DIR, 'trunk-2019/hii_smoke/hii_smoke.out'));
    expect(o.stops).toEqual([{ iteration: 1, of: 1, reason: 'NZONE reached' }]);
    expect([o.zones, o.iterations, o.cautionCount, o.execSeconds]).toEqual([1, 1, 4, 2.73]);
    expect(line(o.lines, 'Bcon', '3640.00A')).toMatchObject({ LOG_INTENSITY: -0.159, RELATIVE: 3914087.5 });
  });

  it('save overview: C10 wrote log10, the trunk linear; both read as kelvin and cm^-3 unless asked as written', async () => {
    const c10 = await readSaveFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.ovr'));
    expect(c10.layout).toBe('log10');
    expect(c10.table.numRows).toBe(82);
    expect(column(c10.table, 'depth')[0]).toBe(4.72908e13);
    expect(column(c10.table, 'Te')[0]).toBeCloseTo(10 ** 3.7503, 9);
    expect(column(c10.table, 'hden')[0]).toBeCloseTo(100, 9);
    expect(column(c10.table, 'AV(extend)')[0]).toBe(0);
    expect(column(c10.table, 'Te').at(-1)).toBeCloseTo(10 ** 3.5992, 9);
    const asWritten = await readSaveFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.ovr'), { overview: 'as-written' });
    expect(column(asWritten.table, 'Te')[0]).toBe(3.7503);
    const trunk = await readSaveFile(join(DIR, 'trunk-2019/hii_sphere/hii_sphere.ovr'));
    expect(trunk.layout).toBe('linear');
    expect(trunk.table.numRows).toBe(105);
    expect(column(trunk.table, 'Te')[0]).toBe(6446.9);
    expect(column(trunk.table, 'hden')[0]).toBe(100);
    expect(trunk.columns).toContain('H2O/O');
    // The Quick Start grid: one single-zone model per row, log10 as C10-era output.
    const grid = await readSaveFile(join(DIR, 'quickstart/grid_extreme.ovr'));
    expect(grid.layout).toBe('log10');
    expect(grid.table.numRows).toBe(162);
    expect(column(grid.table, 'hden')[1]).toBeCloseTo(1e-7, 20);
  });

  it('save grid: index, abort and warning flags, the varied parameters and their string; the newer layout too', async () => {
    const g = await readSaveFile(join(DIR, 'quickstart/grid_extreme.grd'));
    expect(g.kind).toBe('grd');
    expect(g.table.numRows).toBe(162);
    expect(g.table.get(1)!.toJSON()).toMatchObject({
      Index: 1,
      'Abort?': false,
      'Warnings?': false,
      'ENERGY DE': 1,
      'HDEN=%f L': -7,
      'grid parameter string': '1.000000, -7.000000',
    });
    const fine = await readSaveFile(join(DIR, 'quickstart/grid_extreme_fine.grd'));
    expect(fine.columns).toEqual([
      'Index',
      'Failure?',
      'Warnings?',
      'Exit code',
      '#rank',
      '#seq',
      'ENERGY DE',
      'HDEN=%f L',
      'grid parameter string',
    ]);
    expect(fine.table.get(674)!.toJSON()).toMatchObject({
      Index: 674,
      'Failure?': false,
      'Exit code': 'ok',
      '#rank': 2,
      '#seq': 14,
      'ENERGY DE': 6,
      'HDEN=%f L': 18,
    });
  });

  it('save lines emissivity, lines array, continuum and H2 columns', async () => {
    const ems = await readSaveFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.ems'));
    expect(ems.columns.slice(0, 3)).toEqual(['depth', 'H  1  4861A', 'H  1  6563A']);
    expect(column(ems.table, 'H  1  4861A')[0]).toBe(-20.6456);
    expect(column(ems.table, 'Ne 3  3869A')[0]).toBe(-22.0991);
    expect(ems.table.numRows).toBe(82);
    const lin = await readSaveFile(join(DIR, 'c10.00/hii_smoke/hii_smoke.lin'));
    expect(lin.table.get(1)!.toJSON()).toMatchObject({
      enr: 911.267,
      ID: 'UntD 1.000A',
      'I(intrinsic)': 4.012,
      'I(emergent)': -35.93,
      type: 'i',
    });
    const con = await readSaveFile(join(DIR, 'c10.00/hii_sphere/hii_sphere.con'));
    expect(con.columns[0]).toBe('Cont  nu');
    expect(column(con.table, 'incident')[0]).toBe(2.069e-23);
    expect(column(con.table, 'total')[1]).toBe(1.974e-9);
    const h2 = await readSaveFile(join(DIR, 'quickstart/h2.h2col'));
    expect(h2.extra!.toArray().map((r) => r.toJSON())).toEqual([
      { label: 'ortho', colden: 3.94e21 },
      { label: 'para', colden: 1.313e21 },
      { label: 'total', colden: 5.253e21 },
    ]);
    expect(h2.table.get(1)!.toJSON()).toMatchObject({ vib: 0, rot: 1, 'Ener(K)': 170.5, colden: 1.73e21 });
  });
});

describe.skipIf(HAVE_FIXTURES)('Cloudy outputs in ../shared/fixtures/cloudy', () => {
  it.skip(NO_FIXTURES_MESSAGE, () => {});
});

describe('Cloudy parsers on bad input', () => {
  it('refuses a text without the Cloudy banner, and a save file whose row does not fit its header, naming file and line', () => {
    expect(() => parseOutText('hello\n', 'x.out')).toThrow(CloudyError);
    expect(() => parseOutText('hello\n', 'x.out')).toThrow(/^parseOutText: x\.out: no Cloudy banner/);
    expect(() => parseSaveText('#a\tb\n1\t2\n1\t2\t3\t4\n', { file: 'x.ovr' })).toThrow(
      'parseSaveFile: x.ovr: line 3: 4 fields where the header has 2 (a, b)',
    );
    expect(() => parseSaveText('1\t2\n', { file: 'x.ovr' })).toThrow(/line 1: a data line before the header/);
    expect(() => parseSaveText('', { file: 'x.ovr' })).toThrow(/no header line/);
  });

  it('a repeated header or a line of # starts a new BLOCK (iterations, grid models); nan and inf are numbers', () => {
    const s = parseSaveText('#depth\tTe\n1\t2\n2\tnan\n#depth\tTe\n1\tinf\n########\n5\t6\n', { kind: 'save' });
    expect(s.blocks).toBe(3);
    expect(Array.from(s.table.getChild('BLOCK')!.toArray() as Int32Array)).toEqual([0, 0, 1, 2]);
    expect(column(s.table, 'Te')).toEqual([2, Number.NaN, Number.POSITIVE_INFINITY, 6]);
  });

  it('a missing file is a CloudyError naming it', async () => {
    await expect(readSaveFile('/nonexistent/x.ovr')).rejects.toThrow(/\/nonexistent\/x\.ovr: cannot read it/);
    await expect(readOutFile('/nonexistent/x.out')).rejects.toThrow(CloudyError);
  });
});
