import { Redactor } from '../core/index.js';
import type { ParamValue } from '../notebook/index.js';

/**
 * Free text with URL passwords (`postgres://user:pw@host` -> `postgres://user:***@host`, malformed URLs too) and the
 * values of secret-looking environment variables (TOKEN, SECRET, PASSWORD, API_KEY...) removed: lib/core's one rule
 * (`core.Redactor`), which the saved notebook, the HTML export and the CLI's messages use as well.
 *
 * @example
 * redactText('postgres://me:hunter2@db/x') // 'postgres://me:***@db/x'
 */
export function redactText(s: string, env: NodeJS.ProcessEnv = process.env): string {
  return new Redactor({ env }).text(s);
}

/**
 * Parameters fit for a manifest, by lib/core's one rule: values of secret-named parameters replaced by `[redacted]`,
 * URL passwords, secret-named keys and secret env values removed from the others. Returns the clean values and the
 * names that were redacted.
 *
 * @example
 * redactParameters({ db_password: 'x', url: 'https://u:p@h/' }) // { values: { db_password: '[redacted]', url: 'https://u:***@h/' }, redacted: ['db_password', 'url'] }
 */
export function redactParameters(
  params: Record<string, ParamValue>,
  env: NodeJS.ProcessEnv = process.env,
): { values: Record<string, ParamValue>; redacted: string[] } {
  return new Redactor({ values: params, env }).named(params);
}
