import type { ParamValue } from '../notebook/index.js';

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|credential|auth)/i;
const REDACTED = '[redacted]';

/**
 * Removes the password from URLs (`postgres://user:pw@host` -> `postgres://user:***@host`) and the values of
 * secret-looking environment variables (TOKEN, SECRET, PASSWORD, API_KEY...) wherever they appear.
 *
 * @example
 * redactText('postgres://me:hunter2@db/x') // 'postgres://me:***@db/x'
 */
export function redactText(s: string, env: NodeJS.ProcessEnv = process.env): string {
  let t = s.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]*)@/gi, '$1:***@');
  for (const [k, v] of Object.entries(env)) {
    if (v && v.length >= 6 && SECRET_NAME.test(k) && t.includes(v)) t = t.split(v).join(`[redacted:$${k}]`);
  }
  return t;
}

/**
 * Parameters fit for a manifest: values of secret-named parameters replaced by `[redacted]`, URL passwords and
 * secret env values removed from strings. Returns the clean values and the names that were redacted.
 *
 * @example
 * redactParameters({ db_password: 'x', url: 'https://u:p@h/' }) // { values: { db_password: '[redacted]', url: 'https://u:***@h/' }, redacted: ['db_password'] }
 */
export function redactParameters(
  params: Record<string, ParamValue>,
  env: NodeJS.ProcessEnv = process.env,
): { values: Record<string, ParamValue>; redacted: string[] } {
  const redacted: string[] = [];
  const clean = (v: ParamValue): ParamValue =>
    typeof v === 'string'
      ? redactText(v, env)
      : Array.isArray(v)
        ? v.map(clean)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
          : v;
  const values: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(params)) {
    if (SECRET_NAME.test(k)) {
      values[k] = REDACTED;
      redacted.push(k);
    } else {
      const c = clean(v);
      if (JSON.stringify(c) !== JSON.stringify(v)) redacted.push(k);
      values[k] = c;
    }
  }
  return { values, redacted };
}
