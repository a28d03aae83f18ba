/** The error classes: one location formatter, each class's exit code and location, and how the CLI reports them. */
import { describe, expect, it } from 'vitest';
import { reportFailure } from '../../lib/cli/run-cli.js';
import { dr1Location, spectrumAt, ZWARN, type Spectra } from '../../lib/desi/index.js';
import {
  ArgumentError,
  CellExecutionError,
  CosmoError,
  DatasetError,
  DesiError,
  FitsError,
  formatLocation,
  InternalError,
  KernelError,
  NotebookError,
  QuasarError,
  VoidsError,
  SkybookError,
  SourceError,
  StoreError,
  UsageError,
  type Location,
} from '../../lib/errors/index.js';

describe('formatLocation', () => {
  it.each<[Location, string]>([
    [{}, ''],
    // the three formatters it replaces, byte for byte: FITS, notebook, store
    [{ file: 'tb.fits', hdu: 1, keyword: 'TFORM3', column: 'SPEC', row: 2 }, 'tb.fits: HDU 1: TFORM3: column SPEC: row 2: '],
    [{ file: 'a.ipynb', kernel: 'python3', cell: 4, parameter: 'zmax' }, 'a.ipynb: kernel python3: cell 4: parameter zmax: '],
    [{ file: 'z.fits', hdu: 'ZCATALOG', table: 'zcat', column: 'Z', row: 17 }, 'z.fits: HDU ZCATALOG: table zcat: column Z: row 17: '],
    // the fields new with this family
    [{ scope: 'dr1Location' }, 'dr1Location: '],
    [{ engine: 'duckdb', table: 'zcat' }, 'duckdb: table zcat: '],
    [{ scope: 'convolveWithResolution', arm: 'B' }, 'convolveWithResolution: arm B: '],
    [{ pixel: 27247 }, 'pixel 27247: '],
    // 0 is a value, not an absent field
    [{ hdu: 0, row: 0, cell: 0 }, 'HDU 0: cell 0: row 0: '],
  ])('%j -> %j', (loc, want) => {
    expect(formatLocation(loc)).toBe(want);
  });
});

describe('the classes', () => {
  it.each<[string, SkybookError, 1 | 2, string, object]>([
    [
      'FitsError',
      new FitsError('truncated data', { file: 'x.fits', hdu: 1 }),
      2,
      'x.fits: HDU 1: truncated data',
      { file: 'x.fits', hdu: 1 },
    ],
    [
      'SourceError',
      new SourceError('https://h/z.fits', 'not found (HTTP 404)'),
      2,
      'https://h/z.fits: not found (HTTP 404)',
      { file: 'https://h/z.fits' },
    ],
    [
      'DesiError',
      new DesiError("survey 'mian' is not one of main", { scope: 'dr1Location' }),
      2,
      "dr1Location: survey 'mian' is not one of main",
      { scope: 'dr1Location' },
    ],
    [
      'CosmoError',
      new CosmoError('invalid omegaM: 1.5 (0 < omegaM <= 1)', { scope: 'FlatLambdaCDM' }),
      2,
      'FlatLambdaCDM: invalid omegaM: 1.5 (0 < omegaM <= 1)',
      { scope: 'FlatLambdaCDM' },
    ],
    ['QuasarError', new QuasarError('lengths differ', { scope: 'balIndex' }), 2, 'balIndex: lengths differ', { scope: 'balIndex' }],
    [
      'VoidsError',
      new VoidsError('redshift is NaN', { file: 'g.fits', hdu: 1, column: 'z', row: 4 }),
      2,
      'g.fits: HDU 1: column z: row 4: redshift is NaN',
      { file: 'g.fits', hdu: 1, column: 'z', row: 4 },
    ],
    ['ArgumentError', new ArgumentError('invalid radiusDeg: -1', { scope: 'cone' }), 2, 'cone: invalid radiusDeg: -1', { scope: 'cone' }],
    ['DatasetError', new DatasetError('galaxy acceptance too low', { pixel: 7 }), 2, 'pixel 7: galaxy acceptance too low', { pixel: 7 }],
    ['StoreError', new StoreError('connection lost', { engine: 'postgres' }, 1), 1, 'postgres: connection lost', { engine: 'postgres' }],
    ['NotebookError', new NotebookError('not JSON', { file: 'a.ipynb' }), 2, 'a.ipynb: not JSON', { file: 'a.ipynb' }],
    [
      'KernelError',
      new KernelError('died with signal SIGKILL', { kernel: 'python3', cell: 3 }),
      1,
      'kernel python3: cell 3: died with signal SIGKILL',
      { kernel: 'python3', cell: 3 },
    ],
    ['CellExecutionError', new CellExecutionError(3, 'ValueError', 'bad z'), 1, 'cell 3 raised ValueError: bad z', { cell: 3 }],
    [
      'UsageError',
      UsageError.invalid('format', 'xml', 'one of csv, ndjson'),
      2,
      'invalid --format: xml (one of csv, ndjson)',
      { option: 'format', value: 'xml' },
    ],
    [
      'InternalError',
      new InternalError('dither table: self-check failed'),
      1,
      'internal error: dither table: self-check failed (a bug in skybook: please report it, with the command that ran into it)',
      {},
    ],
  ])('%s: exit code, message, location, name', (name, e, exitCode, message, location) => {
    expect(e).toBeInstanceOf(SkybookError);
    expect(e.name).toBe(name);
    expect(e.exitCode).toBe(exitCode);
    expect(e.message).toBe(message);
    expect((e as SkybookError & { location: object }).location).toEqual(location);
  });

  it('a SourceError keeps the problem apart from the source and carries a network code', () => {
    const e = new SourceError('https://h/z.fits', 'timed out', { code: 'ETIMEDOUT' });
    expect([e.source, e.problem, e.code]).toEqual(['https://h/z.fits', 'timed out', 'ETIMEDOUT']);
    expect(new SourceError('x.fits', 'no such file').code).toBeUndefined();
  });

  it('desi functions raise DesiError with the refusing function as scope', () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('did not throw');
    };
    const survey = bad(() => dr1Location({ survey: 'mian', program: 'dark', healpix: 1, product: 'coadd' }));
    expect(survey).toBeInstanceOf(DesiError);
    expect((survey as DesiError).location).toEqual({ scope: 'dr1Location' });
    expect((bad(() => ZWARN.mask('NOPE')) as DesiError).location).toEqual({ scope: 'ZWARN' });
    const s = {
      nspec: 2,
      bands: ['B'],
      arms: {
        B: {
          nwave: 1,
          wavelength: new Float64Array(1),
          flux: new Float32Array(2),
          ivar: new Float32Array(2),
          mask: new Uint32Array(2),
          ndiag: 0,
        },
      },
    } as unknown as Spectra;
    const arm = bad(() => spectrumAt(s, 'Q', 0));
    expect(arm).toBeInstanceOf(DesiError);
    expect((arm as Error).message).toBe("spectrumAt: no arm 'Q'; the spectra have B");
    expect((bad(() => spectrumAt(s, 'B', 2)) as Error).message).toBe('spectrumAt: spectrum 2 is outside 0..1');
  });
});

describe('the CLI reports by class only', () => {
  const report = (e: unknown) => {
    let err = '';
    const code = reportFailure('fits info', e, { stdout: () => {}, stderr: (t) => void (err += t) });
    return { code, err };
  };

  it('a SkybookError: its message on one line, its exit code', () => {
    expect(report(new FitsError('truncated data', { file: 'x.fits', hdu: 1 }))).toEqual({
      code: 2,
      err: 'skybook fits info: x.fits: HDU 1: truncated data\n',
    });
    expect(report(new KernelError('died\n  with signal 9', { kernel: 'k' }))).toEqual({
      code: 1,
      err: 'skybook fits info: kernel k: died with signal 9\n',
    });
  });

  it('anything else is an internal error, exit 1, even from a fits command', () => {
    const r = report(new RangeError('Offset is outside the bounds of the DataView'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'skybook fits info: internal error: Offset is outside the bounds of the DataView (a bug in skybook: please report it, with the command that ran into it)\n',
    );
    expect(report('a string').err).toMatch(/^skybook fits info: internal error: a string /);
  });
});
