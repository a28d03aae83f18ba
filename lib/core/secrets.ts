/**
 * What skybook treats as secret, decided in one place: the manifest, the saved notebook (its injected-parameters cell
 * and outputs), the HTML export, log lines and error messages all redact by this rule, so what one of them hides no
 * other shows. Three things are secret:
 * - the value of anything whose name looks secret ({@link isSecretName}: password, passwd, passphrase, secret, token,
 *   credential, api/access/private key, and the words pass, pwd, key, auth);
 * - the password of a URL (`scheme://user:PASSWORD@host`), also when it makes the URL malformed (`pa/ss`, `p@ss`),
 *   and the value of a secret-named query parameter (`?password=...`, `&token=...`);
 * - those values wherever else they appear as text, and the values of secret-named environment variables.
 */

/** What a secret-named value becomes. @example REDACTED // '[redacted]' */
export const REDACTED = '[redacted]';

/** What a URL password (or a secret query parameter's value) becomes. @example redactUrls('s3://k:pw@b/x') // 's3://k:***@b/x' */
export const REDACTED_PASSWORD = '***';

/** A literal secret found in values or the environment: the text and what it is replaced by. */
export interface SecretValue {
  value: string;
  /** `[redacted]`, or `[redacted:$NAME]` for an environment variable's value. */
  label: string;
}

const SECRET_PART = /pass(word|wd|phrase)|secret|token|credential|api_?key|access_?key|private_?key/i;
const SECRET_WORD = /^(pass|pwd|key|auth|authorization|apikey|creds?)$/;
/** The shell's working folders: `pwd` is a word of secret names (db_pwd), but $PWD is a path, hidden nowhere. */
const NOT_SECRET_ENV: ReadonlySet<string> = new Set(['PWD', 'OLDPWD']);
/** Shorter literals are not hunted for in free text (a 2-letter password would blank every word holding it). */
const MIN_LITERAL = 4;
/** Environment values must be longer still: `true` or `1` under an `*_AUTH` name are not worth hiding everywhere. */
const MIN_ENV_LITERAL = 6;

/**
 * Whether a parameter, key, query parameter or environment variable name looks secret: it contains password, passwd,
 * passphrase, secret, token, credential, api_key, access_key or private_key, or one of its words (snake, kebab or
 * camel case) is pass, pwd, key, auth, authorization, apikey, cred or creds. `passband`, `author` and `keyword` are not.
 *
 * @example
 * isSecretName('db_password') // true
 * isSecretName('apiKey') // true
 * isSecretName('passband') // false
 */
export function isSecretName(name: string): boolean {
  if (SECRET_PART.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_WORD.test(w));
}

/** `scheme://` where a URL starts; the rest of it runs to a delimiter that depends on where it is read (see tokenEnd). */
const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\//gi;
/** Where a URL ends in free text (whitespace, quotes, angle brackets, backticks) or inside a value (whitespace). */
const TEXT_END = /[\s"'<>`]/;
const VALUE_END = /\s/;

/**
 * The password span of the URL text after `scheme://` (`rest`), as [start, end) in `rest`, or undefined when it has
 * none. Well-formed: userinfo ends at the last `@` before the authority ends (`/`, `?`, `#`). Malformed (no `@` in the
 * authority but one later: a password holding `/`, `?` or `#`, which `new URL` refuses): userinfo runs to the last `@`.
 */
function passwordSpan(rest: string): [number, number] | undefined {
  const last = rest.lastIndexOf('@');
  if (last < 0) return undefined;
  const m = /[/?#]/.exec(rest);
  const authEnd = m ? m.index : rest.length;
  const inAuthority = rest.lastIndexOf('@', authEnd - 1);
  const userinfoEnd = inAuthority >= 0 && inAuthority < authEnd ? inAuthority : last;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon >= userinfoEnd - 1) return undefined; // no password, or an empty one (`user:@host`)
  return [colon + 1, userinfoEnd];
}

/** Secret query parameters (`?password=x`, `&api_key=y`): the value up to the next `&`, `#` or the end of the URL. */
const QUERY_PARAM = /([?&])([^=&#?]+)=([^&#]+)/g;

function redactQuery(url: string, found?: string[]): string {
  return url.replace(QUERY_PARAM, (all, sep: string, name: string, value: string) => {
    if (!isSecretName(decodeURIComponentSafe(name)) || value === REDACTED_PASSWORD) return all;
    found?.push(value);
    return `${sep}${name}=${REDACTED_PASSWORD}`;
  });
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Redacts every URL in `text`, URLs ending where `end` says; collects the passwords and secret values removed. */
function redactUrlsIn(text: string, end: RegExp, found?: string[]): string {
  if (!text.includes('://')) return text;
  let out = '';
  let pos = 0;
  for (const m of text.matchAll(SCHEME)) {
    const start = m.index + m[0].length;
    if (start < pos) continue; // inside a URL already handled
    const e = end.exec(text.slice(start));
    const stop = e ? start + e.index : text.length;
    let rest = text.slice(start, stop);
    const span = passwordSpan(rest);
    if (span) {
      const pw = rest.slice(span[0], span[1]);
      if (pw !== REDACTED_PASSWORD) {
        found?.push(pw);
        rest = rest.slice(0, span[0]) + REDACTED_PASSWORD + rest.slice(span[1]);
      }
    }
    rest = redactQuery(rest, found);
    out += text.slice(pos, start) + rest;
    pos = stop;
  }
  return out + text.slice(pos);
}

/**
 * Free text with URL passwords and secret query parameters replaced by `***`. A URL ends at whitespace, a quote, `<`,
 * `>` or a backtick, so URLs quoted in messages, code or HTML are read whole; the password runs to the URL's last `@`
 * when it holds characters a URL cannot (`postgres://u:pa/ss@h` -> `postgres://u:***@h`).
 *
 * @example
 * redactUrls('cannot open postgres://me:pa/ssW0rd@db:5432/x: Invalid URL') // 'cannot open postgres://me:***@db:5432/x: Invalid URL'
 */
export function redactUrls(text: string): string {
  return redactUrlsIn(text, TEXT_END);
}

/**
 * One URL (a store URL, a source, a `-p` value) with its password and secret query parameters replaced by `***`;
 * the URL runs to whitespace, so a password holding quotes is caught whole. Without `scheme://` (`user:pw@host`,
 * `postgress:/user:pw@host`), the text before the last `@` is read as userinfo.
 *
 * @example
 * redactUrl('postgres://me:secret@db/x') // 'postgres://me:***@db/x'
 * redactUrl("postgres://me:it's@db/x?sslpassword=k") // 'postgres://me:***@db/x?sslpassword=***'
 */
export function redactUrl(url: string): string {
  if (url.includes('://')) return redactUrlsIn(url, VALUE_END);
  const scheme = /^[a-z][a-z0-9+.-]*:\/+/i.exec(url)?.[0] ?? ''; // `postgress:/u:pw@h`; `u:pw@h` has none
  const rest = url.slice(scheme.length);
  const span = /\s/.test(rest) ? undefined : passwordSpan(rest);
  return span ? scheme + rest.slice(0, span[0]) + REDACTED_PASSWORD + rest.slice(span[1]) : url;
}

/** Every string (and number) under `v`, for literal secrets held by a secret-named key. */
function leaves(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
}

/** The literal secrets in a value: everything under a secret-named key, URL passwords and secret query values. */
function secretsOf(v: unknown, out: string[], underSecret: boolean): void {
  if (underSecret) leaves(v, out);
  else if (typeof v === 'string') redactUrlsIn(v, VALUE_END, out);
  else if (Array.isArray(v)) for (const x of v) secretsOf(x, out, false);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) secretsOf(x, out, isSecretName(k));
}

/**
 * Redacts by the one rule, knowing the literal secrets of one run: the values of secret-named parameters, the URL
 * passwords inside any parameter, and the values of secret-named environment variables. `text` is for free text (a
 * cell's source or output, a log line, an error message), `value` for JSON-like values (parameters, outputs),
 * `named` for a set of named values (the parameters a manifest records).
 *
 * @example
 * const r = new Redactor({ values: { db_password: 'hunter22' }, env: {} });
 * r.text('login failed for hunter22') // 'login failed for [redacted]'
 * r.named({ db_password: 'hunter22', zmax: 2 }) // { values: { db_password: '[redacted]', zmax: 2 }, redacted: ['db_password'] }
 */
export class Redactor {
  /** The literal secrets, longest first (so a secret holding another is replaced whole). */
  readonly secrets: readonly SecretValue[];

  constructor(opts: { values?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}) {
    const found = new Map<string, string>();
    const fromValues: string[] = [];
    secretsOf(opts.values ?? {}, fromValues, false);
    for (const s of fromValues) if (s.length >= MIN_LITERAL && s !== REDACTED) found.set(s, REDACTED);
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (!v) continue;
      if (isSecretName(k) && !NOT_SECRET_ENV.has(k) && v.length >= MIN_ENV_LITERAL && !found.has(v)) found.set(v, `[redacted:$${k}]`);
      const urlSecrets: string[] = [];
      redactUrlsIn(v, VALUE_END, urlSecrets);
      for (const s of urlSecrets) if (s.length >= MIN_LITERAL && !found.has(s)) found.set(s, REDACTED);
    }
    this.secrets = [...found]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => b.value.length - a.value.length || (a.value < b.value ? -1 : 1));
  }

  private literals(s: string): string {
    let t = s;
    for (const { value, label } of this.secrets) if (t.includes(value)) t = t.split(value).join(label);
    return t;
  }

  /**
   * Free text with URL passwords, secret query values and the known literal secrets removed.
   *
   * @example
   * new Redactor({ env: {} }).text('postgres://u:pw@h/db') // 'postgres://u:***@h/db'
   */
  text(s: string): string {
    return this.literals(redactUrls(s));
  }

  /**
   * A JSON-like value with every string redacted and everything under a secret-named key replaced by `[redacted]`;
   * other values kept as they are. Strings are read as values (a URL runs to whitespace: parameters) or, with
   * `strings: 'text'`, as free text (a URL ends at a quote or bracket too: outputs, HTML).
   *
   * @example
   * new Redactor({ env: {} }).value({ db: { password: 'x' }, n: 1 }) // { db: { password: '[redacted]' }, n: 1 }
   */
  value<T>(v: T, strings: 'value' | 'text' = 'value'): T {
    if (typeof v === 'string') return this.literals(redactUrlsIn(v, strings === 'text' ? TEXT_END : VALUE_END)) as T;
    if (Array.isArray(v)) return v.map((x: unknown) => this.value(x, strings)) as T;
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) ? REDACTED : this.value(x, strings)])) as T;
    }
    return v;
  }

  /**
   * Named values fit to record: secret-named ones replaced by `[redacted]`, the others redacted as values. Returns
   * them with the names whose values changed (those a re-run must be given again).
   *
   * @example
   * new Redactor({ env: {} }).named({ url: 'https://u:p@h/', zmax: 2 }) // { values: { url: 'https://u:***@h/', zmax: 2 }, redacted: ['url'] }
   */
  named<T>(values: Record<string, T>): { values: Record<string, T>; redacted: string[] } {
    const redacted: string[] = [];
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(values)) {
      const c = isSecretName(k) ? (REDACTED as T) : this.value(v);
      if (isSecretName(k) || JSON.stringify(c) !== JSON.stringify(v)) redacted.push(k);
      out[k] = c;
    }
    return { values: out, redacted };
  }
}
