import { describe, expect, it } from 'vitest';
import { Redactor, isSecretName, redactUrl, redactUrls } from '../../lib/core/index.js';

// The one rule of what is secret (lib/core/secrets.ts), as tables of input -> expected.
describe('isSecretName', () => {
  it.each([
    'password',
    'db_password',
    'DB_PASSWORD',
    'dbPassword',
    'PGPASSWORD',
    'passwd',
    'passphrase',
    'db_pass',
    'dbPass',
    'pwd',
    'secret',
    'client_secret',
    'AWS_SECRET_ACCESS_KEY',
    'token',
    'GITHUB_TOKEN',
    'accessToken',
    'api_key',
    'apiKey',
    'APIKEY',
    'key',
    'private_key',
    'ssh-key',
    'credentials',
    'auth',
    'HTTP_AUTHORIZATION',
  ])('%s is secret', (name) => expect(isSecretName(name)).toBe(true));

  it.each(['zmax', 'passband', 'n_passes', 'author', 'keyword', 'monkey', 'spectype', 'db_url', 'catalog', 'bypass'])('%s is not', (name) =>
    expect(isSecretName(name)).toBe(false),
  );
});

describe('URL passwords', () => {
  it.each([
    ['postgres://me:hunter2@db:5432/x', 'postgres://me:***@db:5432/x'],
    ['postgres://postgres:pa/ssW0rd@127.0.0.1:5432/test', 'postgres://postgres:***@127.0.0.1:5432/test'],
    ['postgres://u:p@ss@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:p?a#s@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:pw@h/db?x=a@b', 'postgres://u:***@h/db?x=a@b'],
    ['s3://key:secret@bucket/k', 's3://key:***@bucket/k'],
    ['https://:tok@host/x', 'https://:***@host/x'],
    ['postgres://u@h/db?password=pw&sslmode=off', 'postgres://u@h/db?password=***&sslmode=off'],
    ['https://h/x?api_key=abc#frag', 'https://h/x?api_key=***#frag'],
    ['postgres://u:***@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h:5432/db', 'postgres://u@h:5432/db'],
    ['ssh://git@github.com:22/x', 'ssh://git@github.com:22/x'],
    ['https://data.desi.lbl.gov/public/dr1/x.fits', 'https://data.desi.lbl.gov/public/dr1/x.fits'],
    ['duckdb:/tmp/a@b.duckdb', 'duckdb:/tmp/a@b.duckdb'],
  ])('redactUrl(%s) = %s', (url, want) => expect(redactUrl(url)).toBe(want));

  it('reads URLs in free text up to whitespace, quotes and brackets; a URL value up to whitespace', () => {
    expect(redactUrls('cannot open postgres://postgres:pa/ssW0rd@127.0.0.1:5432/test: Invalid URL')).toBe(
      'cannot open postgres://postgres:***@127.0.0.1:5432/test: Invalid URL',
    );
    expect(redactUrls(`url = 'postgres://u:pw@h/db'\nother = 'x@y'`)).toBe(`url = 'postgres://u:***@h/db'\nother = 'x@y'`);
    expect(redactUrls('<a href="https://u:pw@h/">https://u:pw@h/</a>')).toBe('<a href="https://u:***@h/">https://u:***@h/</a>');
    expect(redactUrl('postgres://u:it\'s"q@h/db')).toBe('postgres://u:***@h/db');
    expect(redactUrl('u:pw@host/db')).toBe('u:***@host/db');
    expect(redactUrl('postgress:/u:pw@host')).toBe('postgress:/u:***@host');
  });
});

describe('Redactor', () => {
  it("does not take the shell's working folders ($PWD, $OLDPWD) for passwords, though db_pwd is one", () => {
    const r = new Redactor({ env: { PWD: '/work/project', OLDPWD: '/home/someone', DB_PWD: 'hunter2-value' } });
    expect(r.text('/work/project/runs/x: no such file; cd /home/someone; hunter2-value')).toBe(
      '/work/project/runs/x: no such file; cd /home/someone; [redacted:$DB_PWD]',
    );
  });

  it('knows the literal secrets of a run: secret-named values, URL passwords, secret env values', () => {
    const r = new Redactor({
      values: { db_password: 'S3kr1t-value', url: 'postgres://u:pa/ssW0rd@h/db', nested: { token: 'tok-123456' }, zmax: 2 },
      env: { GITHUB_TOKEN: 'ghp_abcdef123456', HOME: '/home/me', SHORT_TOKEN: 'abc' },
    });
    expect(r.secrets.map((s) => s.value).sort()).toEqual(['S3kr1t-value', 'ghp_abcdef123456', 'pa/ssW0rd', 'tok-123456']);
    expect(r.text('pw S3kr1t-value, ghp_abcdef123456 and pa/ssW0rd; /home/me')).toBe(
      'pw [redacted], [redacted:$GITHUB_TOKEN] and [redacted]; /home/me',
    );
  });

  it('redacts values deeply and names what it changed', () => {
    const r = new Redactor({ env: {} });
    expect(r.named({ db_password: 'pw', url: 'https://u:p@h/x', zmax: 2, list: ['s3://a:b@bucket/k'], o: { api_key: 1 } })).toEqual({
      values: { db_password: '[redacted]', url: 'https://u:***@h/x', zmax: 2, list: ['s3://a:***@bucket/k'], o: { api_key: '[redacted]' } },
      redacted: ['db_password', 'url', 'list', 'o'],
    });
  });

  it('leaves short literals alone in free text (a 2-letter password would blank every word holding it)', () => {
    const r = new Redactor({ values: { db_password: 'pw' }, env: {} });
    expect(r.secrets).toEqual([]);
    expect(r.text('pwd is a word')).toBe('pwd is a word');
  });
});
