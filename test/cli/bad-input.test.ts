/**
 * Bad input to every command: an unknown option, a missing argument, a missing or unreadable input, a malformed value.
 * Each is exit code 2 and exactly one line on stderr, `skybook COMMAND: ...`, naming the bad thing; nothing on stdout.
 * Commands that need PostgreSQL or Jupyter fail on bad input before touching them (ingest is pointed at a port where
 * nothing listens: reaching for it would say so). Runs in-process, like the store's CLI tests, except where marked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../lib/cli/run-cli.js';
import { sha256, toRoCrate, type RunRecord } from '../../lib/provenance/index.js';
import { ROOT, skybook, skybookInProcess } from '../helpers/cli.js';
import { tinyTable } from '../helpers/tiny-fits.js';
import { writeVoidFiles } from '../helpers/voids-files.js';
import { galaxyFits } from '../voids/galaxy-fits.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-bad-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string, bytes: Uint8Array | string): string => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};

const tiny = at('tiny.fits', tinyTable()); // good FITS, but no DESI product
const garbage = at(
  'garbage.fits',
  Uint8Array.from({ length: 5760 }, (_, i) => (i * 7919 + 13) % 251),
);
const empty = at('empty.fits', new Uint8Array(0));
const gz = gzipSync(tinyTable());
const cutGz = at('cut.fits.gz', gz.subarray(0, gz.length >> 1));
const missing = join(dir, 'missing.fits');
const folder = join(dir, 'folder');
mkdirSync(folder);
const blocker = at('blocker', 'a file where a folder is expected'); // blocker/out.csv cannot be written
const notJson = at('not-json.ipynb', '{"cells": [ this is not');
const ragged = at('ragged.ovr', '#depth\tTe\n1e13\t8000\n2e13\t7900\t1\t2\n');
const notCloudy = at('not-cloudy.out', 'Hello, world\n');
const deckSpec = at(
  'deck.json',
  JSON.stringify({ continua: [{ shape: { kind: 'table agn' }, intensity: { kind: 'phi(h)', log: 18 } }], density: { log: 4 } }),
);
const badSpec = at(
  'bad-deck.json',
  JSON.stringify({
    continua: [{ shape: { kind: 'blackbody', temperature: 5 }, intensity: { kind: 'phi(h)', log: 18 } }],
    density: { log: 4 },
  }),
);
const deckIn = at('model.in', 'title x\ntable agn\nphi(h) 18\nhden 4\n');
const notNotebook = at('three.ipynb', '{"cells": 3}');
const notManifest = at('x.provenance.json', '{}');
const noZ = at('noz.fits', galaxyFits({ ra: [10, 11], dec: [1, 2], weight: [1, 1] }));
const nanZ = at('nanz.fits', galaxyFits({ RA: [10, 11, 12], DEC: [1, 2, 3], Z: [0.01, 0.02, Number.NaN] }));
const negZ = at('negz.fits', galaxyFits({ ra: [10, 11, 12], dec: [1, 2, 3], redshift: [0.01, -0.02, 0.03] }));
const noRows = at('norows.fits', galaxyFits({ ra: [], dec: [], z: [] }));
/** A run's manifest over small files written here (no kernel): `gone` leaves its source notebook out. */
const runManifest = (name: string, gone = false): string => {
  const folder = join(dir, name);
  mkdirSync(folder);
  const file = (f: string, text: string, write = true) => {
    if (write) writeFileSync(join(folder, f), text);
    return { path: join(folder, f), sha256: sha256(text), size: text.length };
  };
  const rec: RunRecord = {
    notebook: file('source.ipynb', '{"cells": []}', !gone),
    executed: file('run.ipynb', '{"cells": [], "executed": true}'),
    kernel: { name: 'python3', language: 'python' },
    parameters: {},
    redacted: [],
    inputs: [],
    outputs: [],
    software: { skybook: '0.1.0', node: process.version },
    cells: [],
    startTime: '2026-01-01T00:00:00.000Z',
    endTime: '2026-01-01T00:00:01.000Z',
    status: 'completed',
    cwd: folder,
    cacheKey: 'k',
  };
  writeFileSync(join(folder, 'run.provenance.json'), JSON.stringify(toRoCrate(rec, folder)));
  return join(folder, 'run.provenance.json');
};
const publishable = runManifest('publishable');
const notebookGone = runManifest('notebook-gone', true);
const PARAMS = join(ROOT, 'test/notebook/fixtures/params.ipynb'); // python3, parameters zmax = 1.5, spectype, ...
const NOWHERE = 'postgres://skybook@127.0.0.1:1/none'; // nothing listens on port 1
const V = await writeVoidFiles(dir, 40);
const flags = join(dir, 'flags.parquet');

/**
 * `built`: run the built binary instead (kernel install needs dist/kernel/main.js beside the module that runs);
 * `tty`: in-process with stdout standing in for a terminal.
 */
type Case = [what: string, args: string[], names: RegExp, how?: 'built' | 'tty'];

const typoPipeline = at('typo.pipeline.yaml', 'stages:\n  a:\n    cmd: echo\n    dep: [x]\n');
const cyclePipeline = at(
  'cycle.pipeline.yaml',
  'stages:\n  a:\n    cmd: cp b a\n    deps: [b]\n    outs: [a]\n  b:\n    cmd: cp a b\n    deps: [a]\n    outs: [b]\n',
);
const missingDepPipeline = at('missing.pipeline.yaml', 'stages:\n  a:\n    cmd: cp x a\n    deps: [x-nowhere]\n    outs: [a]\n');
const okPipeline = at('ok.pipeline.yaml', 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n');
const typoChecks = at('typo-checks.yaml', 'checks:\n  - table: zcat\n    rowz: { min: 1 }\n');
const typoDatasets = at('typo-datasets.yaml', 'datasets:\n  - name: dr1\n    licence: CC-BY\n    pathz: [x]\n');

const CASES: Record<string, Case[]> = {
  'pipeline run': [
    ['unknown option', ['-f', okPipeline, '--bogus'], /unknown option --bogus/],
    ['an unknown key, with its line and column', ['-f', typoPipeline], /typo\.pipeline\.yaml: line 4: col 5: stages\.a: unknown key 'dep'/],
    ['a cycle', ['-f', cyclePipeline], /cycle\.pipeline\.yaml: a cycle: a -> b -> a/],
    ['a missing dep', ['-f', missingDepPipeline], /missing\.pipeline\.yaml: stage a: missing dep x-nowhere: no such file/],
    ['an unknown stage', ['-f', okPipeline, 'nosuch'], /ok\.pipeline\.yaml: no stage nosuch \(stages: a\)/],
    ['--jobs not a number', ['-f', okPipeline, '--jobs', 'x'], /invalid --jobs: x/],
  ],
  'pipeline status': [
    ['unknown option', ['-f', okPipeline, '--bogus'], /unknown option --bogus/],
    ['no such pipeline file', ['-f', join(dir, 'nope.yaml')], /nope\.yaml: no such file/],
    ['an unknown key, with its line and column', ['-f', typoPipeline], /typo\.pipeline\.yaml: line 4: col 5: /],
    ['a cycle', ['-f', cyclePipeline], /a cycle: a -> b -> a/],
  ],
  'pipeline dag': [
    ['unknown option', ['-f', okPipeline, '--bogus'], /unknown option --bogus/],
    ['no such pipeline file', ['-f', join(dir, 'nope.yaml')], /nope\.yaml: no such file/],
    ['an unknown key, with its line and column', ['-f', typoPipeline], /typo\.pipeline\.yaml: line 4: col 5: /],
    ['an unexpected argument', ['-f', okPipeline, 'extra'], /unexpected argument 'extra'/],
  ],
  'pipeline watch': [
    ['unknown option', ['-f', okPipeline, '--bogus'], /unknown option --bogus/],
    ['--interval 0', ['-f', okPipeline, '--interval', '0'], /invalid --interval: 0 \(seconds > 0\)/],
    ['--interval not a number', ['-f', okPipeline, '--interval', 'soon'], /invalid --interval: soon/],
    ['--max-runs negative', ['-f', okPipeline, '--max-runs', '-1'], /invalid --max-runs: -1/],
  ],
  qa: [
    ['unknown option', [typoChecks, '--db', 'duckdb::memory:', '--bogus'], /unknown option --bogus/],
    ['missing CHECKS', [], /missing CHECKS/],
    ['no such checks file', [join(dir, 'nope.yaml'), '--db', 'duckdb::memory:'], /nope\.yaml: no such file/],
    ['an unknown key, with its line and column', [typoChecks, '--db', 'duckdb::memory:'], /typo-checks\.yaml: line 3: col 5: /],
  ],
  lineage: [
    ['unknown option', ['x.fits', '--bogus'], /unknown option --bogus/],
    ['missing FILE', [], /missing FILE/],
    [
      'a file no run read or wrote',
      [missing, '--ledger', `duckdb:${join(dir, 'empty-ledger.duckdb')}`],
      /no run in the ledger read or wrote this file/,
    ],
    ['--ledger of an unknown kind', ['x.fits', '--ledger', 'mysql://db/x'], /invalid store URL: "mysql:\/\/db\/x"/],
  ],
  'report governance': [
    ['unknown option', ['--since', '2026-01-01', '--bogus'], /unknown option --bogus/],
    ['missing --since', [], /missing --since DATE/],
    ['--since not a date', ['--since', 'yesterday'], /invalid --since: yesterday/],
    [
      'an unknown key in datasets.yaml, with its line and column',
      ['--since', '2026-01-01', '--datasets', typoDatasets],
      /typo-datasets\.yaml: line \d+: col \d+: /,
    ],
  ],
  'fits info': [
    ['unknown option', [tiny, '--bogus'], /unknown option --bogus/],
    ['missing FILE', [], /missing FILE/],
    ['missing file', [missing], /missing\.fits: no such file/],
    ['a folder', [folder], /folder: is a directory/],
    ['empty file', [empty], /empty\.fits: empty file/],
    ['not FITS', [garbage], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['cut gzip', [cutGz], /cut\.fits\.gz: corrupt gzip data/],
  ],
  'fits stats': [
    ['unknown option', [tiny, '--bogus'], /unknown option --bogus/],
    ['missing FILE', ['--json'], /missing FILE/],
    ['missing file', [missing], /missing\.fits: no such file/],
    ['not FITS', [garbage, '--json'], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['cut gzip', [cutGz], /cut\.fits\.gz: corrupt gzip data/],
    ['--hdu out of range', [tiny, '--hdu', '99'], /tiny\.fits: no HDU 99; the file has 2/],
    ['--hdu unknown name', [tiny, '--hdu', 'NOPE'], /tiny\.fits: no HDU named 'NOPE'; the file has: PRIMARY, OBJECTS/],
    ['--hdu without a value', [tiny, '--hdu'], /option --hdu needs a value/],
  ],
  'fits export': [
    ['unknown option', [tiny, '--hdu', '1', '--bogus'], /unknown option --bogus/],
    ['missing FILE', ['--hdu', '1'], /missing FILE/],
    ['missing --hdu', [tiny], /missing --hdu/],
    ['missing file', [missing, '--hdu', '1'], /missing\.fits: no such file/],
    ['not FITS', [garbage, '--hdu', '1'], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['--format xml', [tiny, '--hdu', '1', '--format', 'xml'], /invalid --format: xml \(one of ndjson, csv, arrow, parquet\)/],
    ['--hdu out of range', [tiny, '--hdu', '99'], /tiny\.fits: no HDU 99/],
    ['--hdu an image', [tiny, '--hdu', '0'], /tiny\.fits: HDU 0: is a IMAGE HDU, not a table/],
    [
      '--columns unknown',
      [tiny, '--hdu', '1', '--columns', 'ID,NOPE'],
      /column NOPE: no column 'NOPE'; the table has: ID, NAME, FLUX, SPEC/,
    ],
    ['arrow to a terminal', [tiny, '--hdu', '1', '--format', 'arrow'], /--format arrow writes binary and stdout is a terminal/, 'tty'],
    [
      '-o not writable',
      [tiny, '--hdu', '1', '--format', 'csv', '-o', join(blocker, 'out.csv')],
      /-o .*blocker\/out\.csv: cannot write it \(ENOTDIR\)/,
    ],
  ],
  'fits verify': [
    ['unknown option', [tiny, '--bogus'], /unknown option --bogus/],
    ['missing FILE', [], /missing FILE/],
    ['missing file', [missing], /missing\.fits: no such file/],
    ['not FITS', [garbage], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['extra argument', [tiny, tiny], /unexpected argument '.*tiny\.fits'/],
  ],
  'desi info': [
    ['unknown option', [tiny, '--bogus'], /unknown option --bogus/],
    ['missing PATH', ['--json'], /missing PATH/],
    ['missing file', [missing], /missing\.fits: no such file/],
    ['not FITS', [garbage], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['not a DESI product', [tiny], /tiny\.fits: not a DESI product: .*the file has: PRIMARY \(IMAGE\), OBJECTS \(BINTABLE\)/],
  ],
  'datasets make': [
    ['unknown option', ['--out', join(dir, 'mock'), '--bogus'], /unknown option --bogus/],
    ['missing --out', ['--preset', 'small'], /missing --out DIR/],
    ['extra argument', ['small', '--out', join(dir, 'mock')], /unexpected argument 'small'/],
    ['--out not a folder', ['--out', blocker, '--spectra', 'none'], /blocker: not a folder/],
    [
      '--preset huge',
      ['--out', join(dir, 'mock'), '--preset', 'huge'],
      /invalid --preset: huge \(one of small, medium, large, voids, quasars\)/,
    ],
    ['--seed x', ['--out', join(dir, 'mock'), '--seed', 'x'], /invalid --seed: x/],
    ['--spectra q', ['--out', join(dir, 'mock'), '--spectra', 'q'], /invalid --spectra: q/],
  ],
  'voids find': [
    ['unknown option', [noZ, '--out', join(dir, 'v.fits'), '--bogus'], /unknown option --bogus/],
    ['missing GALAXIES', ['--out', join(dir, 'v.fits')], /missing GALAXIES/],
    ['missing --out', [noZ], /missing --out VOIDS\.fits/],
    ['missing file', [missing, '--out', join(dir, 'v.fits')], /missing\.fits: no such file/],
    ['not FITS', [garbage, '--out', join(dir, 'v.fits')], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    [
      'no z column',
      [noZ, '--out', join(dir, 'v.fits')],
      /noz\.fits: HDU GALAXIES: column z: no z or redshift column \(the table has ra, dec, weight\)/,
    ],
    ['a NaN redshift', [nanZ, '--out', join(dir, 'v.fits')], /nanz\.fits: HDU GALAXIES: column Z: row 2: redshift is NaN/],
    [
      'a negative redshift',
      [negZ, '--out', join(dir, 'v.fits'), '--z-column', 'redshift'],
      /negz\.fits: HDU GALAXIES: column redshift: row 1: redshift is -0\.02/,
    ],
    ['an empty table', [noRows, '--out', join(dir, 'v.fits')], /norows\.fits: HDU GALAXIES: no galaxies \(an empty table\)/],
    ['--out not writable', [noZ, '--out', join(blocker, 'v.fits')], /--out .*blocker\/v\.fits: cannot write it/],
    ['--omega-m 2', [noZ, '--out', join(dir, 'v.fits'), '--omega-m', '2'], /invalid --omega-m: 2 \(a number in \(0, 1\]\)/],
    ['--threads 0', [noZ, '--out', join(dir, 'v.fits'), '--threads', '0'], /invalid --threads: 0/],
    ['--zmax below --zmin', [noZ, '--out', join(dir, 'v.fits'), '--zmin', '0.1', '--zmax', '0.05'], /invalid --zmax: 0\.05/],
    ['--cell 0', [V.noTargetid, '--out', join(dir, 'v.fits'), '--cell', '0'], /invalid --cell: 0/],
  ],
  ingest: [
    ['unknown option', [tiny, '--into', NOWHERE, '--table', 't', '--bogus'], /unknown option --bogus/],
    ['missing SOURCE', ['--into', NOWHERE, '--table', 't'], /missing SOURCE/],
    ['missing --into', [tiny, '--table', 't'], /missing --into/],
    ['missing --table', [tiny, '--into', NOWHERE], /missing --table/],
    ['missing file', [missing, '--into', NOWHERE, '--table', 't'], /missing\.fits: no such file/],
    ['a folder', [folder, '--into', NOWHERE, '--table', 't'], /folder: is a directory, not a file/],
    ['not FITS', [garbage, '--into', NOWHERE, '--table', 't'], /garbage\.fits: HDU 0: SIMPLE: not a FITS file/],
    ['a bad file after a good one', [tiny, empty, '--into', NOWHERE, '--table', 't'], /empty\.fits: empty file/],
    ['--hdu out of range', [tiny, '--into', NOWHERE, '--table', 't', '--hdu', '99'], /tiny\.fits: no HDU 99/],
    ['--hdu an image', [tiny, '--into', NOWHERE, '--table', 't', '--hdu', '0'], /tiny\.fits: HDU 0: HDU is a IMAGE, not a table/],
    ['--schema spectra', [tiny, '--into', NOWHERE, '--table', 't', '--schema', 'spectra'], /invalid --schema: spectra/],
    ['--into mysql', [tiny, '--into', 'mysql://x', '--table', 't'], /invalid store URL: "mysql:\/\/x"/],
    ['--table with a space', [tiny, '--into', NOWHERE, '--table', 'a b'], /invalid --table: "a b"/],
    [
      '--connections 0',
      [tiny, '--into', NOWHERE, '--table', 't', '--connections', '0'],
      /invalid --connections: 0 \(an integer from 1 to 64\)/,
    ],
    ['--connections many', [tiny, '--into', NOWHERE, '--table', 't', '--connections', 'many'], /invalid --connections: many/],
    [
      '--partition-by a-b',
      [tiny, '--into', NOWHERE, '--table', 't', '--partition-by', 'a-b'],
      /invalid --partition-by: a-b \(a column name\)/,
    ],
    [
      'a glob matching nothing',
      [join(dir, 'nothing-*.fits'), '--into', NOWHERE, '--table', 't'],
      /nothing-\*\.fits: no file matches this pattern/,
    ],
    [
      'a glob matching nothing after a file',
      [tiny, join(dir, '**/redrock-*.fits'), '--into', NOWHERE, '--table', 't'],
      /\*\*\/redrock-\*\.fits: no file matches/,
    ],
    ['--jobs 0', [tiny, '--into', NOWHERE, '--table', 't', '--jobs', '0'], /invalid --jobs: 0 \(an integer 1\.\.64\)/],
    ['--jobs not a number', [tiny, '--into', NOWHERE, '--table', 't', '--jobs', 'many'], /invalid --jobs: many/],
    ['--jobs 65', [tiny, '--into', NOWHERE, '--table', 't', '--jobs', '65'], /invalid --jobs: 65/],
    ['--jobs 2.5', [tiny, '--into', NOWHERE, '--table', 't', '--jobs', '2.5'], /invalid --jobs: 2\.5/],
  ],
  inventory: [
    ['unknown option', [folder, '--into', NOWHERE, '--bogus'], /unknown option --bogus/],
    ['missing DIR', ['--into', NOWHERE], /missing INPUT/],
    ['missing --into', [folder], /missing --into/],
    ['a missing folder', [join(dir, 'no-such-dir'), '--into', NOWHERE], /no-such-dir: no such file/],
    ['a folder without FITS files', [folder, '--into', NOWHERE], /folder: no FITS files in this folder/],
    ['an empty list', [at('empty-list.txt', '# nothing yet\n\n'), '--into', NOWHERE], /empty-list\.txt: the list names no files/],
    ['a FITS file for a list', [tiny, '--into', NOWHERE], /tiny\.fits: is a FITS file, not a folder or a list of files/],
    ['--jobs 0', [folder, '--into', NOWHERE, '--jobs', '0'], /invalid --jobs: 0 \(a whole number from 1 to 256\)/],
    ['--jobs many', [folder, '--into', NOWHERE, '--jobs', 'many'], /invalid --jobs: many/],
    ['--into mysql', [folder, '--into', 'mysql://x'], /invalid store URL: "mysql:\/\/x"/],
    ['--table with a space', [folder, '--into', NOWHERE, '--table', 'a b'], /invalid --table: "a b"/],
  ],
  query: [
    ['unknown option', ['--db', 'duckdb::memory:', 'select 1', '--bogus'], /unknown option --bogus/],
    ['missing SQL', ['--db', 'duckdb::memory:'], /missing SQL/],
    ['missing --db', ['select 1'], /missing --db/],
    ['--db not a database', ['--db', `duckdb:${garbage}`, 'select 1'], /cannot open DuckDB database .*garbage\.fits/],
    [
      '--db in a missing folder',
      ['--db', `duckdb:${join(missing, 'x.duckdb')}`, 'select 1'],
      /duckdb: .*missing\.fits\/x\.duckdb: no such file/,
    ],
    ['--format xml', ['--db', 'duckdb::memory:', 'select 1', '--format', 'xml'], /invalid --format: xml/],
    ['arrow to a terminal', ['--db', 'duckdb::memory:', 'select 1', '--format', 'arrow'], /--format arrow writes binary and stdout/, 'tty'],
    // bad SQL and unknown tables print the engine's LINE and caret lines too: test/cli/new-user.test.ts holds them
    ['--db a missing file', ['--db', `duckdb:${join(dir, 'typo.duckdb')}`, 'select 1'], /duckdb: .*typo\.duckdb: no such file/],
    [
      '-o not writable',
      ['--db', 'duckdb::memory:', 'select 1', '--format', 'arrow', '-o', join(blocker, 'q.arrow')],
      /-o .*blocker\/q\.arrow: cannot write it/,
    ],
  ],
  // nothing listens at NOWHERE: every case is refused before a connection is tried
  'store roles': [
    ['unknown option', ['--db', NOWHERE, '--bogus'], /unknown option --bogus/],
    ['missing --db', ['--schema', 'dr1'], /missing --db/],
    ['--db DuckDB', ['--db', 'duckdb:survey.duckdb'], /DuckDB has no roles .*--db must be postgres:\/\//],
    ['--db mysql', ['--db', 'mysql://x'], /invalid store URL: "mysql:\/\/x"/],
    ['--analyst with a quote', ['--db', NOWHERE, '--analyst', 'a"b'], /invalid --analyst: "a\\"b"/],
    ['--loader pg_', ['--db', NOWHERE, '--loader', 'pg_load'], /invalid --loader: "pg_load"/],
    ['--schema upper case', ['--db', NOWHERE, '--schema', 'DR1'], /invalid --schema: "DR1"/],
    ['one name for both', ['--db', NOWHERE, '--analyst', 'x', '--loader', 'x'], /invalid --loader: x is also the analyst/],
  ],
  'kernel install': [
    ['unknown option', ['--bogus'], /unknown option --bogus/],
    ['extra argument', ['python3'], /unexpected argument 'python3'/],
    ['--prefix without a value', ['--prefix'], /option --prefix needs a value/],
    ['--user and --prefix', ['--user', '--prefix', dir], /--user and --prefix exclude each other/],
    [
      '--prefix not writable',
      ['--prefix', blocker],
      /blocker\/share\/jupyter\/kernels\/skybook: cannot write the kernelspec here \(ENOTDIR\)/,
      'built',
    ],
  ],
  lab: [
    ['unknown option', ['--no-browser', '--bogus'], /unknown option --bogus/],
    ['--port out of range', ['--port', '70000'], /invalid --port: 70000 \(a TCP port, 0 to 65535/],
    ['--port not a number', ['--port', 'http'], /invalid --port: http/],
    ['--token that is empty', ['--token', ''], /invalid --token: {2}\(letters, digits/],
    ['--token with a space', ['--token', 'a b'], /invalid --token: a b \(letters, digits/],
    ['--dir that does not exist', ['--dir', join(dir, 'nowhere')], /--dir .*nowhere: no such folder/],
    ['--dir that is a file', ['--dir', blocker], /--dir .*blocker: no such folder/],
    ['an unexpected argument', ['notebooks'], /unexpected argument 'notebooks'/],
  ],
  'kernel doctor': [
    ['unknown option', ['--bogus'], /unknown option --bogus/],
    ['an install option', ['--user'], /unknown option --user/],
    ['a short unknown option', ['-x'], /unknown option -x/],
    ['extra argument', ['skybook'], /unexpected argument 'skybook'/],
  ],
  run: [
    ['unknown option', [PARAMS, '--bogus'], /unknown option --bogus/],
    ['missing NOTEBOOK', ['-o', join(dir, 'o.ipynb')], /missing NOTEBOOK/],
    ['missing notebook', [join(dir, 'missing.ipynb')], /missing\.ipynb: no such file$/m],
    ['not JSON', [notJson], /not-json\.ipynb: not JSON/],
    ['not a notebook', [notNotebook], /three\.ipynb: not an nbformat v4 notebook/],
    ['-p without a value', [PARAMS, '-p', 'zmax'], /option -p needs NAME and VALUE/],
    ['-p unknown name', [PARAMS, '-p', 'zmx', '2'], /parameter zmx: unknown parameter 'zmx'; known: zmax, spectype/],
    ['-p wrong type', [PARAMS, '-p', 'zmax', 'abc'], /parameter zmax: "abc" is not a number/],
    ['-f missing', [PARAMS, '-f', join(dir, 'missing.yaml')], /missing\.yaml: no such file$/m],
    ['--timeout 0', [PARAMS, '--timeout', '0'], /--timeout must be a positive number of seconds, got '0'/],
    ['--memory-limit lots', [PARAMS, '--memory-limit', 'lots'], /invalid --memory-limit: lots \(a size such as 512M or 2G\)/],
    ['--cwd missing', [PARAMS, '--cwd', missing], /--cwd .*missing\.fits: no such folder/],
    ['--kernel unknown', [PARAMS, '--kernel', 'nosuch'], /kernel nosuch: no such kernel/],
    ['-o not writable', [PARAMS, '-o', join(blocker, 'o.ipynb')], /-o .*blocker\/o\.ipynb: cannot make its folder/],
  ],
  verify: [
    ['unknown option', [notManifest, '--bogus'], /unknown option --bogus/],
    ['missing MANIFEST', ['--json'], /missing MANIFEST/],
    ['missing manifest', [join(dir, 'missing.provenance.json')], /missing\.provenance\.json: no such file$/m],
    ['not JSON', [notJson], /not-json\.ipynb: not a readable provenance manifest/],
    ['not a manifest', [notManifest], /x\.provenance\.json: no CreateAction #run in @graph: not a skybook provenance manifest/],
    ['-p without a value', [notManifest, '-p', 'zmax'], /option -p needs NAME and VALUE/],
    ['a folder that is not a bundle', [folder], /folder: no ro-crate-metadata\.json: not a bundle/],
    [
      'a zip that is not a bundle',
      [at('not-a.zip', 'not a zip at all')],
      /not-a\.zip: not a readable bundle zip \(no end of central directory\)/,
    ],
  ],
  'quasar features': [
    ['unknown option', [tiny, '-o', join(dir, 'q.parquet'), '--bogus'], /unknown option --bogus/],
    ['missing SPECTRA', ['-o', join(dir, 'q.parquet')], /missing SPECTRA/],
    ['missing --out', [tiny], /missing --out FEATURES\.parquet/],
    ['no such file', [missing, '-o', join(dir, 'q.parquet')], /missing\.fits: no such file/],
    ['a folder', [folder, '-o', join(dir, 'q.parquet')], /folder: is a directory; give the spectra files in it/],
    ['not a spectra file', [tiny, '-o', join(dir, 'q.parquet')], /tiny\.fits: is not a DESI or SDSS spectra file/],
    ['not FITS', [garbage, '-o', join(dir, 'q.parquet')], /garbage/],
    ['--threads 0', [tiny, '-o', join(dir, 'q.parquet'), '--threads', '0'], /invalid --threads: 0/],
    ['--out not writable', [tiny, '-o', join(blocker, 'q.parquet')], /blocker\/q\.parquet/],
    [
      '--templates missing',
      [tiny, '-o', join(dir, 'q.parquet'), '--templates', join(dir, 'no-templates')],
      /no-templates does not exist \(npm run setup:python makes one\)/,
    ],
    [
      '--templates without the eigenspectra',
      [tiny, '-o', join(dir, 'q.parquet'), '--templates', folder],
      /folder\/gal_eigenspec_Yip2004\.fits: eigenspectra file is missing/,
    ],
  ],
  'quasar anomalies': [
    ['unknown option', [tiny, '-o', join(dir, 's.parquet'), '--bogus'], /unknown option --bogus/],
    ['missing MATRIX', ['-o', join(dir, 's.parquet')], /missing MATRIX/],
    ['missing --out', [tiny], /missing --out SCORES\.parquet/],
    ['no such file', [missing, '-o', join(dir, 's.parquet')], /missing\.fits: no such file/],
    ['--method svm', [tiny, '-o', join(dir, 's.parquet'), '--method', 'svm'], /invalid --method: svm \(pca or onnx\)/],
    ['onnx without --model', [tiny, '-o', join(dir, 's.parquet'), '--method', 'onnx'], /--method onnx needs --model MODEL\.onnx/],
    ['--components 0', [tiny, '-o', join(dir, 's.parquet'), '--components', '0'], /invalid --components: 0/],
    ['not a matrix', [tiny, '-o', join(dir, 's.parquet')], /tiny\.fits: /],
  ],
  'cloudy deck': [
    ['unknown option', [deckSpec, '--bogus'], /unknown option --bogus/],
    ['missing SPEC', [], /missing SPEC/],
    ['no such file', [join(dir, 'missing.json')], /missing\.json: cannot read it: no such file/],
    ['not JSON', [notJson], /not-json\.ipynb: not JSON/],
    ['a temperature Cloudy reads as a log', [badSpec], /bad-deck\.json: invalid deck: continua\.0\.shape\.temperature/],
    ['-o not writable', [deckSpec, '-o', join(blocker, 'd.in')], /blocker\/d\.in/],
  ],
  'cloudy run': [
    ['unknown option', [deckIn, '--out', join(dir, 'runs'), '--bogus'], /unknown option --bogus/],
    ['missing DECKS', ['--out', join(dir, 'runs')], /missing DECKS/],
    ['missing --out', [deckIn], /missing --out DIR/],
    ['--jobs 0', [deckIn, '--out', join(dir, 'runs'), '--jobs', '0'], /invalid --jobs: 0/],
    ['--timeout -1', [deckIn, '--out', join(dir, 'runs'), '--timeout', '-1'], /invalid --timeout: -1/],
    ['no such deck', [join(dir, 'missing.in'), '--out', join(dir, 'runs')], /missing\.in: cannot read it: no such file/],
    ['no Cloudy', [deckIn, '--out', join(dir, 'runs'), '--cloudy', join(dir, 'no-cloudy.exe')], /Cloudy executable not found/],
  ],
  'cloudy parse': [
    ['unknown option', [ragged, '--bogus'], /unknown option --bogus/],
    ['missing FILE', [], /missing FILE/],
    ['no such file', [join(dir, 'missing.out')], /missing\.out: cannot read it: no such file/],
    ['a row that does not fit the header', [ragged], /ragged\.ovr: line 3: 4 fields where the header has 2 \(depth, Te\)/],
    ['not a Cloudy output', [notCloudy], /not-cloudy\.out: no Cloudy banner/],
    ['--kind xyz', [ragged, '--kind', 'xyz'], /invalid --kind: xyz/],
    ['--format without -o', [ragged, '--format', 'parquet'], /--format parquet needs -o OUT/],
    ['--out not writable', [ragged, '--format', 'parquet', '-o', join(blocker, 'c.parquet')], /blocker\/c\.parquet/],
  ],
  'ray submit': [
    ['unknown option', ['--bogus', '--', 'python', 'x.py'], /unknown option --bogus/],
    ['missing ENTRYPOINT', [], /missing ENTRYPOINT/],
    ['--env without =', ['--env', 'NOEQUALS', '--', 'true'], /invalid --env: NOEQUALS \(K=V\)/],
    ['--num-cpus -1', ['--num-cpus', '-1', '--', 'true'], /invalid --num-cpus: -1/],
    ['a bad submission id', ['--submission-id', 'has space', '--', 'true'], /submissionId: submission id: 1-128 letters/],
    [
      'a ray:// address',
      ['--address', 'ray://10.0.0.1:10001', '--', 'true'],
      /ray:\/\/10\.0\.0\.1:10001 \(from --address\) is a Ray Client address/,
    ],
    [
      'no such working_dir',
      ['--address', 'http://127.0.0.1:9', '--working-dir', join(dir, 'no-such-dir'), '--', 'true'],
      /working_dir .*no-such-dir is not a directory/,
    ],
  ],
  'ray status': [
    ['unknown option', ['raysubmit_x', '--bogus'], /unknown option --bogus/],
    ['missing ID', [], /missing ID/],
    ['a ray:// address', ['raysubmit_x', '--address', 'ray://h:10001'], /is a Ray Client address/],
    ['not an address', ['raysubmit_x', '--address', 'http://[bad'], /http:\/\/\[bad \(from --address\) is not an address/],
  ],
  'ray logs': [
    ['unknown option', ['raysubmit_x', '--bogus'], /unknown option --bogus/],
    ['missing ID', [], /missing ID/],
    ['a ray:// address', ['raysubmit_x', '--address', 'ray://h:10001'], /is a Ray Client address/],
    ['ftp address', ['raysubmit_x', '--address', 'ftp://h:21'], /the dashboard speaks http or https, not ftp:/],
  ],
  'ray stop': [
    ['unknown option', ['raysubmit_x', '--bogus'], /unknown option --bogus/],
    ['missing ID', [], /missing ID/],
    ['a ray:// address', ['raysubmit_x', '--address', 'ray://h:10001'], /is a Ray Client address/],
    ['an extra argument', ['raysubmit_x', 'raysubmit_y'], /unexpected argument 'raysubmit_y'/],
  ],
  'ray delete': [
    ['unknown option', ['raysubmit_x', '--bogus'], /unknown option --bogus/],
    ['missing ID', [], /missing ID/],
    ['a ray:// address', ['raysubmit_x', '--address', 'ray://h:10001'], /is a Ray Client address/],
    ['an extra argument', ['raysubmit_x', 'raysubmit_y'], /unexpected argument 'raysubmit_y'/],
  ],
  'ray list': [
    ['unknown option', ['--bogus'], /unknown option --bogus/],
    ['an argument', ['raysubmit_x'], /unexpected argument 'raysubmit_x'/],
    ['a ray:// address', ['--address', 'ray://h:10001'], /is a Ray Client address/],
    ['not an address', ['--address', 'http://[bad'], /is not an address/],
  ],
  'ray fanout': [
    ['unknown option', ['--shards', 'a.fits', '--bogus', '--', 'true', '{shard}'], /unknown option --bogus/],
    ['missing COMMAND', ['--shards', 'a.fits'], /missing COMMAND/],
    ['COMMAND without {shard}', ['--shards', 'a.fits', '--', 'true'], /COMMAND never names \{shard\}/],
    ['missing --shards', ['--', 'true', '{shard}'], /missing --shards FILE\|GLOB/],
    [
      'a glob matching nothing',
      ['--shards', join(dir, 'none-*.fits'), '--', 'true', '{shard}'],
      /--shards .*none-\*\.fits matches no file/,
    ],
    ['--retries -1', ['--shards', 'a.fits', '--retries', '-1', '--', 'true', '{shard}'], /invalid --retries: -1/],
  ],
  'ray manifest': [
    ['unknown option', ['--kind', 'rayjob', '--name', 'x', '--image', 'i', '--bogus', '--', 'true'], /unknown option --bogus/],
    ['missing --kind', ['--name', 'x', '--image', 'i', '--', 'true'], /missing --kind/],
    ['--kind pod', ['--kind', 'pod', '--name', 'x', '--image', 'i', '--', 'true'], /invalid --kind: pod \(rayjob or job\)/],
    [
      'a name Kubernetes refuses',
      ['--kind', 'rayjob', '--name', 'Bad_Name', '--image', 'i', '--', 'true'],
      /name "Bad_Name": Kubernetes wants lowercase/,
    ],
    [
      'a local working_dir',
      ['--kind', 'rayjob', '--name', 'x', '--image', 'i', '--working-dir', 'jobs', '--', 'true'],
      /working_dir jobs is a local folder/,
    ],
    ['job without --shards', ['--kind', 'job', '--name', 'x', '--image', 'i', '--', 'true', '{shard}'], /--kind job needs --shards/],
  ],
  'voids classify': [
    ['unknown option', [V.galaxies, '--voids', V.voids, '--out', flags, '--bogus'], /unknown option --bogus/],
    ['missing GALAXIES', ['--voids', V.voids, '--out', flags], /missing GALAXIES/],
    ['missing --voids', [V.galaxies, '--out', flags], /missing --voids VOIDS\.fits/],
    ['missing --out', [V.galaxies, '--voids', V.voids], /missing --out FLAGS\.parquet/],
    [
      '--out a .csv',
      [V.galaxies, '--voids', V.voids, '--out', join(dir, 'f.csv')],
      /invalid --out: .*f\.csv \(a \.parquet or \.arrow file\)/,
    ],
    ['--omega-m 2', [V.galaxies, '--voids', V.voids, '--out', flags, '--omega-m', '2'], /invalid --omega-m: 2 \(0 < Omega_M <= 1\)/],
    ['--store mysql', [V.galaxies, '--voids', V.voids, '--out', flags, '--store', 'mysql://x'], /invalid --store: mysql:\/\/x/],
    ['missing voids file', [V.galaxies, '--voids', missing, '--out', flags], /missing\.fits: no such file/],
    [
      'voids file without MAXIMALS',
      [V.galaxies, '--voids', tiny, '--out', flags],
      /tiny\.fits: no MAXIMALS HDU: not a VoidFinder catalogue/,
    ],
    [
      'no z column',
      [V.noZ, '--voids', V.voids, '--out', flags],
      /no-z\.fits: HDU GALAXIES: column z: no z or redshift column \(the table has ra, dec\); name the z column with --z-column/,
    ],
    [
      '--z-column unknown',
      [V.galaxies, '--voids', V.voids, '--out', flags, '--z-column', 'ZZ'],
      /galaxies\.fits: HDU GALAXIES: column ZZ: no ZZ column/,
    ],
    ['an empty table', [V.noRows, '--voids', V.voids, '--out', flags], /no-rows\.fits: HDU GALAXIES: no galaxies \(an empty table\)/],
    [
      'a dec out of range',
      [V.badDec, '--voids', V.voids, '--out', flags],
      /bad-dec\.fits: HDU GALAXIES: column dec: row 2: dec 95 is outside \[-90, 90\]/,
    ],
    [
      '--store without TARGETID',
      [V.noTargetid, '--voids', V.voids, '--out', flags, '--store', 'duckdb::memory:'],
      /no-targetid\.fits: HDU GALAXIES: column TARGETID: --store needs a TARGETID column/,
    ],
    [
      '--out not writable',
      [V.galaxies, '--voids', V.voids, '--out', join(blocker, 'f.parquet')],
      /--out .*blocker\/f\.parquet: cannot write it \(ENOTDIR\)/,
    ],
  ],
  publish: [
    ['unknown option', [publishable, '--out', join(dir, 'b'), '--bogus'], /unknown option --bogus/],
    ['missing MANIFEST', ['--out', join(dir, 'b')], /missing MANIFEST/],
    ['missing --out', [publishable], /missing --out BUNDLE\//],
    ['missing manifest', [join(dir, 'missing.provenance.json'), '--out', join(dir, 'b')], /missing\.provenance\.json: no such file$/m],
    ['not a manifest', [notManifest, '--out', join(dir, 'b')], /x\.provenance\.json: no CreateAction #run in @graph/],
    [
      '--out inside the bundle source',
      [publishable, '--out', join(dir, 'publishable')],
      /--out .*publishable: holds the run's own file .*publishable\/run\.provenance\.json/,
    ],
    [
      'the notebook is gone',
      [notebookGone, '--out', join(dir, 'b')],
      /notebook-gone\/run\.provenance\.json: the run's notebook .*notebook-gone\/source\.ipynb: no such file$/m,
    ],
    ['--max-input-size not a size', [publishable, '--out', join(dir, 'b'), '--max-input-size', 'big'], /invalid --max-input-size: big/],
    ['--out a file', [publishable, '--out', blocker], /--out .*blocker: is a file, not a folder/],
  ],
  export: [
    ['unknown option', [PARAMS, '--html', join(dir, 'a.html'), '--bogus'], /unknown option --bogus/],
    ['missing NOTEBOOK', ['--html', join(dir, 'a.html')], /missing NOTEBOOK/],
    ['missing --html', [PARAMS], /missing --html OUT\.html/],
    ['missing notebook', [join(dir, 'missing.ipynb'), '--html', join(dir, 'a.html')], /missing\.ipynb: no such file$/m],
    ['not JSON', [notJson, '--html', join(dir, 'a.html')], /not-json\.ipynb: not JSON/],
    [
      '--manifest missing',
      [PARAMS, '--html', join(dir, 'a.html'), '--manifest', join(dir, 'nope.json')],
      /--manifest .*nope\.json: no such file/,
    ],
    ['--html not writable', [PARAMS, '--html', join(blocker, 'a.html')], /blocker\/a\.html: cannot write it \(ENOTDIR\)/],
  ],
  metrics: [
    ['unknown option', ['--out', join(dir, 'm.prom'), '--bogus'], /unknown option --bogus/],
    ['missing --out', ['--ledger', `duckdb:${join(dir, 'ledger.duckdb')}`], /missing --out FILE/],
    ['an unexpected argument', ['extra', '--out', join(dir, 'm.prom')], /unexpected argument 'extra'/],
    [
      '--out folder missing',
      ['--ledger', `duckdb:${join(dir, 'ledger.duckdb')}`, '--out', join(dir, 'nodir', 'm.prom')],
      /nodir\/m\.prom: cannot write it: its folder .*nodir does not exist/,
    ],
    [
      '--out under a file',
      ['--ledger', `duckdb:${join(dir, 'ledger.duckdb')}`, '--out', join(blocker, 'm.prom')],
      /blocker\/m\.prom: cannot write it: .*blocker is not a folder/,
    ],
    ['--ledger of an unknown kind', ['--ledger', 'mysql://db/x', '--out', join(dir, 'm.prom')], /invalid store URL: "mysql:\/\/db\/x"/],
  ],
  'metrics serve': [
    ['unknown option', ['--port', '0', '--bogus'], /unknown option --bogus/],
    ['missing --port', [], /missing --port P/],
    ['--port out of range', ['--port', '70000'], /invalid --port 70000: a TCP port, 0 to 65535/],
    ['--port not a number', ['--port', 'http'], /invalid --port http/],
    ['an unexpected argument', ['9464'], /unexpected argument '9464'/],
  ],
  dashboard: [
    ['unknown option', ['--out', join(dir, 'site'), '--bogus'], /unknown option --bogus/],
    ['missing --out', ['--ledger', `duckdb:${join(dir, 'ledger.duckdb')}`], /missing --out DIR/],
    ['an unexpected argument', ['extra', '--out', join(dir, 'site')], /unexpected argument 'extra'/],
    [
      '--out under a file',
      ['--ledger', `duckdb:${join(dir, 'ledger.duckdb')}`, '--out', join(blocker, 'site')],
      /blocker\/site: cannot make the site folder: a file stands where a folder is needed/,
    ],
    ['--ledger of an unknown kind', ['--ledger', 'mysql://db/x', '--out', join(dir, 'site')], /invalid store URL: "mysql:\/\/db\/x"/],
  ],
};

describe('bad input to every command: exit 2, one line naming the bad thing', () => {
  it('covers every registered command with an unknown option and at least three other mistakes', () => {
    expect(Object.keys(CASES).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const [name, cases] of Object.entries(CASES)) {
      expect(
        cases.some(([what]) => what === 'unknown option'),
        name,
      ).toBe(true);
      expect(cases.length, name).toBeGreaterThanOrEqual(4);
    }
  });

  for (const [name, cases] of Object.entries(CASES)) {
    it.each(cases)(`${name}: %s`, async (_what, args, names, how) => {
      const argv = [...name.split(' '), ...args];
      const r = how === 'built' ? skybook(argv) : await skybookInProcess(argv, { stdoutIsTTY: how === 'tty' });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^skybook ${name}: [^\\n]+\\n$`));
      expect(r.stderr).toMatch(names);
    });
  }
});
