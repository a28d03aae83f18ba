/**
 * What a new user hit in the first hour (issue 12, items 6-13), one row per case: the command, its exit code and the
 * line it prints. Runs the CLI in-process; a row may stand a terminal in for stdout (`tty`), point Jupyter's path at a
 * folder of its own (`env`), and check one more thing afterwards (`check`: nothing created, bytes that read back).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeVector, Table, tableFromIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '../../lib/fits/writer/index.js';
import { ROOT, skybookInProcess } from '../helpers/cli.js';
import { tinyTable } from '../helpers/tiny-fits.js';

const PG = process.env.SKYBOOK_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = mkdtempSync(join(tmpdir(), 'skybook-new-user-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (...parts: string[]) => join(dir, ...parts);
const TS = join(ROOT, 'test/notebook/fixtures/typescript.ipynb'); // skybook kernel, 3 code cells
const NODE = process.execPath;
const ENTRY = join(ROOT, 'dist/kernel/main.js');
const BIG = 39089837499744649n; // a real DESI TARGETID, beyond 2^53

/** A stand-in terminal for progress bars: what is drawn on it, with `isTTY` set. */
function terminal(): PassThrough & { isTTY: true; columns: number; text(): string } {
  const chunks: Buffer[] = [];
  const s = Object.assign(new PassThrough(), { isTTY: true as const, columns: 200, text: () => Buffer.concat(chunks).toString('utf8') });
  s.on('data', (c: Buffer) => chunks.push(c));
  return s;
}

/** A kernelspec folder on its own Jupyter path, its kernel.json running `argv`. */
function kernelspec(name: string, argv: string[]): string {
  const data = at('jupyter', name);
  mkdirSync(join(data, 'kernels', 'skybook'), { recursive: true });
  writeFileSync(join(data, 'kernels', 'skybook', 'kernel.json'), JSON.stringify({ argv, display_name: 'x', language: 'typescript' }));
  return data;
}

beforeAll(async () => {
  mkdirSync(at('survey', 'sub'), { recursive: true });
  mkdirSync(at('empty'));
  mkdirSync(at('folder'));
  writeFileSync(at('tiny.fits'), tinyTable());
  writeFileSync(at('survey', 'README.txt'), 'not FITS');
  writeFileSync(at('survey', 'sub', 'objects.fits'), tinyTable()); // FITS, but no DESI product
  const n = 5;
  await writeFits(at('survey', 'zpix-main-dark.fits'), [
    { kind: 'image' },
    {
      kind: 'table',
      name: 'ZCATALOG',
      table: new Table({
        TARGETID: makeVector(BigInt64Array.from({ length: n }, (_, i) => BIG + BigInt(i))),
        SURVEY: vectorFromArray(['main', 'sv3', 'main', 'sv3', 'main'], new Utf8()),
        PROGRAM: vectorFromArray(['dark', 'dark', 'bright', 'dark', 'dark'], new Utf8()),
        HEALPIX: makeVector(Int32Array.from([27247, 100, 5000, 27247, 9000])),
        Z: makeVector(new Float64Array(n)),
        ZERR: makeVector(new Float64Array(n)),
        ZWARN: makeVector(BigInt64Array.from([0n, 4n, 0n, 1n, 0n])),
        SPECTYPE: vectorFromArray(Array(n).fill('GALAXY'), new Utf8()),
        DELTACHI2: makeVector(new Float64Array(n).fill(100)),
      }),
    },
  ]);
  // int64 at and around 2^53, as NDJSON writes them
  await writeFits(at('ids.fits'), [
    { kind: 'image' },
    {
      kind: 'table',
      name: 'IDS',
      table: new Table({
        TARGETID: makeVector(BigInt64Array.from([BIG, 9007199254740991n, 9007199254740992n, -9007199254740992n])),
        ZWARN: makeVector(BigInt64Array.from([4n, 0n, 1n, 2n])),
      }),
    },
  ]);
  // a run of a small skybook-kernel notebook, for verify
  const run = await skybookInProcess(['run', TS, '-o', at('runs', 'ts.ipynb')]);
  expect(run.code, run.stderr).toBe(0);
  // an ingest makes its DuckDB file: a writing command may
  const ingest = await skybookInProcess(['ingest', at('tiny.fits'), '--into', `duckdb:${at('made.duckdb')}`, '--table', 'objects']);
  expect(ingest.code, ingest.stderr).toBe(0);
});

interface Row {
  /** The item and the case. */
  what: string;
  argv: () => string[];
  code: 0 | 1 | 2;
  /** The line printed (on stderr when the code is not 0, else on stdout, unless `on` says otherwise). */
  line: RegExp;
  on?: 'stdout' | 'stderr';
  /** The whole of stderr, exactly, where it is more than one line (a statement's LINE and caret lines). */
  stderr?: RegExp;
  tty?: boolean;
  env?: () => Record<string, string>;
  check?: (r: Awaited<ReturnType<typeof skybookInProcess>>, terminal: string) => void;
}

const ROWS: Row[] = [
  // 6: a wrong statement is bad input, with the engine's LINE and caret lines
  {
    what: '6 duckdb: bad SQL',
    argv: () => ['query', '--db', 'duckdb::memory:', 'selec * from t'],
    code: 2,
    line: /^skybook query: duckdb: Parser Error: syntax error at or near "selec"$/m,
    stderr: /^skybook query: duckdb: Parser Error: syntax error at or near "selec"\nLINE 1: selec \* from t\n {8}\^\n$/,
  },
  {
    what: '6 duckdb: unknown table',
    argv: () => ['query', '--db', `duckdb:${at('made.duckdb')}`, 'select * from nosuch'],
    code: 2,
    line: /^skybook query: duckdb: Catalog Error: Table with name nosuch does not exist!/m,
    stderr: /^skybook query: duckdb: Catalog Error: [^\n]+\nLINE 1: select \* from nosuch\n {22}\^\n$/,
  },
  {
    what: '6 duckdb: unknown column',
    argv: () => ['query', '--db', `duckdb:${at('made.duckdb')}`, 'select id, nope\nfrom objects'],
    code: 2,
    line: /^skybook query: duckdb: Binder Error: Referenced column "nope" not found in FROM clause!/m,
    stderr: /^skybook query: duckdb: Binder Error: [^\n]+\nLINE 1: select id, nope\n {19}\^\n$/,
  },
  {
    what: '6 postgres: bad SQL',
    argv: () => ['query', '--db', PG, 'selec 1'],
    code: 2,
    line: /^skybook query: postgres: syntax error at or near "selec"$/m,
    stderr: /^skybook query: postgres: syntax error at or near "selec"\nLINE 1: selec 1\n {8}\^\n$/,
  },
  {
    what: '6 postgres: unknown table, on the second line of the statement',
    argv: () => ['query', '--db', PG, 'select *\n  from skybook_nosuch_table'],
    code: 2,
    line: /^skybook query: postgres: relation "skybook_nosuch_table" does not exist$/m,
    stderr: /^skybook query: postgres: [^\n]+\nLINE 2: {3}from skybook_nosuch_table\n {15}\^\n$/,
  },
  {
    what: '6 postgres: unknown column',
    argv: () => ['query', '--db', PG, 'select nope from (select 1 as a) s'],
    code: 2,
    line: /^skybook query: postgres: column "nope" does not exist$/m,
    stderr: /^skybook query: postgres: [^\n]+\nLINE 1: select nope from \(select 1 as a\) s\n {15}\^\n$/,
  },
  // 7: reading commands never make a database
  {
    what: '7 query on a missing DuckDB file: refused, nothing made',
    argv: () => ['query', '--db', `duckdb:${at('typo.duckdb')}`, 'select 1'],
    code: 2,
    line: /^skybook query: duckdb: \/.*\/typo\.duckdb: no such file; a DuckDB database is made only by writing to it \(skybook ingest\)$/m,
    check: () => expect(readdirSync(dir).filter((f) => f.startsWith('typo'))).toEqual([]),
  },
  {
    what: '7 query on a folder',
    argv: () => ['query', '--db', `duckdb:${at('folder')}`, 'select 1'],
    code: 2,
    line: /^skybook query: duckdb: \/.*\/folder: is a directory, not a file$/m,
  },
  {
    what: '7 the database ingest made is there to query',
    argv: () => ['query', '--db', `duckdb:${at('made.duckdb')}`, 'select count(*) as n from objects', '--format', 'csv'],
    code: 0,
    line: /^n\n3\n$/,
  },
  // 8: command groups list their commands; every command's --help describes its options
  { what: '8 fits --help', argv: () => ['fits', '--help'], code: 0, line: /^ {2}skybook fits export {2}a table HDU as NDJSON/m },
  { what: '8 desi --help', argv: () => ['desi', '--help'], code: 0, line: /^ {2}skybook desi info {2}what DESI product/m },
  { what: '8 datasets --help', argv: () => ['datasets', '-h'], code: 0, line: /^ {2}skybook datasets make {2}deterministic mock/m },
  { what: '8 kernel --help', argv: () => ['kernel', '--help'], code: 0, line: /^ {2}skybook kernel doctor {3}checks that/m },
  { what: '8 fits alone', argv: () => ['fits'], code: 2, line: /^skybook fits: missing COMMAND\n[\s\S]*skybook fits stats/ },
  { what: '8 desi alone', argv: () => ['desi'], code: 2, line: /^skybook desi: missing COMMAND\n/ },
  { what: '8 datasets alone', argv: () => ['datasets'], code: 2, line: /^skybook datasets: missing COMMAND\n/ },
  { what: '8 kernel alone', argv: () => ['kernel'], code: 2, line: /^skybook kernel: missing COMMAND\n[\s\S]*skybook kernel install/ },
  {
    what: '8 fits nosuch',
    argv: () => ['fits', 'nosuch'],
    code: 2,
    line: /^skybook: unknown command 'fits nosuch'; see skybook fits --help$/m,
  },
  {
    what: '8 run --help describes every flag',
    argv: () => ['run', '--help'],
    code: 0,
    line: /^ {2}--startup-timeout S +seconds to wait for the kernel to start \(default 60\)$/m,
    check: (r) => {
      for (const f of ['-p, --parameters', '-f, --file', '-o, --out', '-k, --kernel', '--timeout', '--cwd', '--input', '--cache', '--json'])
        expect(r.stdout).toContain(`  ${f}`);
    },
  },
  // 9: binary formats are refused on a terminal, and go to a pipe
  {
    what: '9 query --format arrow to a terminal',
    argv: () => ['query', '--db', 'duckdb::memory:', 'select 1 as a', '--format', 'arrow'],
    tty: true,
    code: 2,
    line: /^skybook query: --format arrow writes binary and stdout is a terminal: give -o OUT, or redirect stdout \(> FILE, \| program\)$/m,
  },
  {
    what: '9 fits export --format arrow to a terminal',
    argv: () => ['fits', 'export', at('tiny.fits'), '--hdu', '1', '--format', 'arrow'],
    tty: true,
    code: 2,
    line: /^skybook fits export: --format arrow writes binary and stdout is a terminal/m,
  },
  {
    what: '9 fits export --format parquet to a terminal',
    argv: () => ['fits', 'export', at('tiny.fits'), '--hdu', '1', '--format', 'parquet'],
    tty: true,
    code: 2,
    line: /^skybook fits export: --format parquet writes binary and stdout is a terminal/m,
  },
  {
    what: '9 query --format arrow to a pipe: an Arrow stream',
    argv: () => ['query', '--db', 'duckdb::memory:', 'select 42 as answer', '--format', 'arrow'],
    code: 0,
    line: /^$/,
    check: (r) => expect(tableFromIPC(r.bytes).getChild('answer')!.get(0)).toBe(42),
  },
  {
    what: '9 fits export --format arrow to a pipe: an Arrow file',
    argv: () => ['fits', 'export', at('tiny.fits'), '--hdu', '1', '--format', 'arrow'],
    code: 0,
    line: /^$/,
    check: (r) => expect([...tableFromIPC(r.bytes).getChild('ID')!]).toEqual([1, 2, 3]),
  },
  {
    what: '9 fits export --format parquet to a pipe',
    argv: () => ['fits', 'export', at('tiny.fits'), '--hdu', '1', '--format', 'parquet', '--columns', 'ID,FLUX'],
    code: 0,
    line: /^$/,
    check: (r) => expect(r.bytes.subarray(0, 4).toString()).toBe('PAR1'),
  },
  // 10: verify shows progress per cell, kernel start included, as run does
  {
    what: '10 verify draws its progress on a terminal',
    argv: () => ['verify', at('runs', 'ts.provenance.json')],
    tty: true,
    code: 0,
    line: /^\/.*\/ts\.provenance\.json: identical \(4 cells, status completed\)$/m,
    check: (_r, drawn) => {
      expect(drawn).toContain('verify typescript.ipynb  0% 0/3 cells  (starting kernel skybook)');
      // Per cell: the line names the cell it is at. Which frames appear depends on timing (cli-progress redraws at most
      // every 100 ms, so cells that finish within one frame share it): any frame naming a cell will do.
      expect(drawn).toMatch(/verify typescript\.ipynb {2}\d+% \d\/3 cells .*\(cell \d\)/);
      expect(drawn).toMatch(/verify typescript\.ipynb {2}100% 3\/3 cells/);
    },
  },
  // 11: desi info on a folder, and what a zcatalog holds
  {
    what: '11 desi info DIR: one line per DESI file, skipped files counted',
    argv: () => ['desi', 'info', at('survey')],
    code: 0,
    line: /^zpix-main-dark\.fits: zcatalog, 5 rows; surveys main 3, sv3 2; programs bright 1, dark 4; healpix 100-27247$/m,
    check: (r) =>
      expect(r.stdout.split('\n').at(-2)).toBe(`${at('survey')}: 1 DESI file; skipped 1 non-FITS, 1 FITS of no DESI product, 0 unreadable`),
  },
  {
    what: '11 desi info DIR --json: an array',
    argv: () => ['desi', 'info', at('survey'), '--json'],
    code: 0,
    line: /^\[\{"file":"zpix-main-dark\.fits","product":"zcatalog",/,
    check: (r) =>
      expect(JSON.parse(r.stdout)[0].catalog).toEqual({
        rows: 5,
        surveys: { main: 3, sv3: 2 },
        programs: { bright: 1, dark: 4 },
        healpix: { min: 100, max: 27247 },
      }),
  },
  {
    what: '11 desi info on a zcatalog: rows, surveys, programs, healpix range',
    argv: () => ['desi', 'info', at('survey', 'zpix-main-dark.fits')],
    code: 0,
    line: /^ {2}5 rows; surveys main 3, sv3 2; programs bright 1, dark 4; healpix 100-27247$/m,
  },
  {
    what: '11 desi info on a folder with no DESI file',
    argv: () => ['desi', 'info', at('empty')],
    code: 2,
    line: /^skybook desi info: \/.*\/empty: no DESI file in this folder \(skipped 0 non-FITS files, 0 FITS files of no DESI product, 0 unreadable\)$/m,
  },
  // 12: help that matches behaviour; one wording for inputs that cannot be had
  {
    what: '12 fits stats prints the header cards',
    argv: () => ['fits', 'stats', at('tiny.fits')],
    code: 0,
    line: /^ {2}XTENSION= 'BINTABLE'/m,
  },
  {
    what: '12 fits export --help: --format is optional, NDJSON by default',
    argv: () => ['fits', 'export', '--help'],
    code: 0,
    line: /^Usage: skybook fits export FILE --hdu NAME\|N \[--format ndjson\|csv\|arrow\|parquet\]/m,
  },
  {
    what: '12 fits export without --format: NDJSON',
    argv: () => ['fits', 'export', at('tiny.fits'), '--hdu', '1', '--columns', 'ID'],
    code: 0,
    line: /^\{"ID":1\}$/m,
  },
  {
    what: '12 run: a missing notebook',
    argv: () => ['run', at('nope.ipynb')],
    code: 2,
    line: /^skybook run: \/.*\/nope\.ipynb: no such file$/m,
  },
  {
    what: '12 run: a folder',
    argv: () => ['run', at('folder')],
    code: 2,
    line: /^skybook run: \/.*\/folder: is a directory, not a file$/m,
  },
  {
    what: '12 fits info: a missing file',
    argv: () => ['fits', 'info', at('nope.fits')],
    code: 2,
    line: /^skybook fits info: \/.*\/nope\.fits: no such file$/m,
  },
  {
    what: '12 fits info: a folder',
    argv: () => ['fits', 'info', at('folder')],
    code: 2,
    line: /^skybook fits info: \/.*\/folder: is a directory, not a file$/m,
  },
  {
    what: '12 ingest: a folder',
    argv: () => ['ingest', at('folder'), '--into', 'duckdb::memory:', '--table', 't'],
    code: 2,
    line: /^skybook ingest: \/.*\/folder: is a directory, not a file$/m,
  },
  {
    what: '12 verify: a missing manifest',
    argv: () => ['verify', at('nope.provenance.json')],
    code: 2,
    line: /^skybook verify: \/.*\/nope\.provenance\.json: no such file$/m,
  },
  {
    what: '12 run -f: a missing params file',
    argv: () => ['run', TS, '-f', at('nope.yaml')],
    code: 2,
    line: /^skybook run: \/.*\/nope\.yaml: no such file$/m,
  },
  {
    what: '12 export: a missing notebook',
    argv: () => ['export', at('nope.ipynb'), '--html', at('x.html')],
    code: 2,
    line: /^skybook export: \/.*\/nope\.ipynb: no such file$/m,
  },
  // 13a: NDJSON keeps strings only beyond 2^53
  {
    what: '13a fits export NDJSON: int64 as numbers, strings beyond 2^53',
    argv: () => ['fits', 'export', at('ids.fits'), '--hdu', 'IDS'],
    code: 0,
    line: /^\{"TARGETID":"39089837499744649","ZWARN":4\}\n\{"TARGETID":9007199254740991,"ZWARN":0\}\n\{"TARGETID":"9007199254740992","ZWARN":1\}\n\{"TARGETID":"-9007199254740992","ZWARN":2\}\n$/,
  },
  {
    what: '13a fits export CSV: int64 in full',
    argv: () => ['fits', 'export', at('ids.fits'), '--hdu', 'IDS', '--format', 'csv'],
    code: 0,
    line: /^TARGETID,ZWARN\n39089837499744649,4\n9007199254740991,0\n9007199254740992,1\n-9007199254740992,2\n$/,
  },
  {
    what: '13a query NDJSON: the same rule',
    argv: () => ['query', '--db', 'duckdb::memory:', `select 4::bigint as zwarn, ${BIG}::bigint as targetid`, '--format', 'ndjson'],
    code: 0,
    line: /^\{"zwarn":4,"targetid":"39089837499744649"\}\n$/,
  },
  {
    what: '13a --json summaries keep every int64 a string (a field never changes type)',
    argv: () => ['desi', 'info', at('survey', 'zpix-main-dark.fits'), '--json'],
    code: 0,
    line: /"targetids":\["39089837499744649","39089837499744650",/,
  },
  // 13b: kernel install says it writes absolute paths; kernel doctor finds a stale kernelspec
  {
    what: '13b kernel install says its paths are absolute',
    argv: () => ['kernel', 'install', '--prefix', at('prefix')],
    code: 0,
    line: new RegExp(
      `^It runs ${NODE} ${ENTRY}: absolute paths, so after moving or deleting this clone \\(or changing Node\\) run skybook kernel install again; skybook kernel doctor checks it\\.$`,
      'm',
    ),
  },
  {
    what: '13b kernel doctor: the kernelspec kernel install wrote works',
    argv: () => ['kernel', 'doctor'],
    env: () => ({ JUPYTER_PATH: at('prefix', 'share', 'jupyter') }),
    code: 0,
    line: new RegExp(`^ok {5}${at('prefix')}/share/jupyter/kernels/skybook/kernel\\.json: runs ${NODE} ${ENTRY}$`, 'm'),
  },
  {
    what: '13b kernel doctor: a moved clone',
    argv: () => ['kernel', 'doctor'],
    env: () => ({ JUPYTER_PATH: kernelspec('moved', [NODE, '/nowhere/skybook/dist/kernel/main.js', '{connection_file}']) }),
    code: 1,
    line: /^skybook kernel doctor: \/.*\/moved\/kernels\/skybook\/kernel\.json: stale: its kernel \/nowhere\/skybook\/dist\/kernel\/main\.js does not exist \(was the clone moved or deleted\?\); run skybook kernel install again \(--user or --prefix as before\)$/m,
  },
  {
    what: '13b kernel doctor: a node that is gone',
    argv: () => ['kernel', 'doctor'],
    env: () => ({ JUPYTER_PATH: kernelspec('no-node', ['/nowhere/bin/node', ENTRY, '{connection_file}']) }),
    code: 1,
    line: /^skybook kernel doctor: \/.*\/no-node\/kernels\/skybook\/kernel\.json: stale: its node \/nowhere\/bin\/node does not exist or cannot run;/m,
  },
  {
    what: "13b kernel doctor: another installation's kernel",
    argv: () => ['kernel', 'doctor', '--json'],
    env: () => ({ JUPYTER_PATH: kernelspec('other', [NODE, at('tiny.fits'), '{connection_file}']) }),
    code: 1,
    line: /"problems": \[\n\s+"it runs another installation's kernel, \/.*\/tiny\.fits, not this one's \(\/.*\/dist\/kernel\/main\.js\)"/,
    on: 'stdout',
  },
  {
    what: '13b kernel doctor: nothing installed',
    argv: () => ['kernel', 'doctor'],
    env: () => ({}),
    code: 1,
    line: /^skybook kernel doctor: no skybook kernelspec on the Jupyter path \(.*\); run skybook kernel install$/m,
  },
];

describe('issue 12: what a new user hit, one row per case', () => {
  it.each(ROWS.map((r) => [r.what, r] as const))('%s', async (_what, row) => {
    // Jupyter's path: the row's own folders only (an empty per-user folder, no JUPYTER_PATH unless the row sets one)
    const saved = { JUPYTER_PATH: process.env.JUPYTER_PATH, JUPYTER_DATA_DIR: process.env.JUPYTER_DATA_DIR };
    if (row.env) {
      delete process.env.JUPYTER_PATH;
      process.env.JUPYTER_DATA_DIR = at('no-user-kernels');
      Object.assign(process.env, row.env());
    }
    const term = terminal();
    try {
      const r = await skybookInProcess(row.argv(), { stdoutIsTTY: row.tty, terminal: row.tty ? term : undefined });
      expect(r.code, r.stderr).toBe(row.code);
      const where = row.on ?? (row.code === 0 ? 'stdout' : 'stderr');
      expect(r[where]).toMatch(row.line);
      if (row.stderr) expect(r.stderr).toMatch(row.stderr);
      if (row.code === 2 && !row.stderr) expect(r.stdout).toBe('');
      await new Promise((resolve) => setImmediate(resolve)); // the bar's last writes reach the stand-in terminal
      row.check?.(r, term.text());
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('covers items 6 to 13 of the issue', () => {
    const items = new Set(ROWS.map((r) => r.what.split(' ')[0]));
    expect([...items].sort()).toEqual(['10', '11', '12', '13a', '13b', '6', '7', '8', '9']);
    expect(existsSync(at('made.duckdb'))).toBe(true); // the ingest in beforeAll made it: writing commands still do
  });
});
