import { NotebookError } from '../errors/index.js';
import type { ParamValue } from './translators.js';

/**
 * Parses the literal on the right of a parameter default, in Python or JavaScript/TypeScript syntax: numbers,
 * quoted strings, booleans, None/null, lists, tuples and dicts/objects of those. Throws on anything else (an
 * expression such as `np.arange(3)`), which leaves that parameter's type unknown.
 *
 * @example
 * parseLiteral("{'a': [1, 2.5], 'b': None}") // { a: [1, 2.5], b: null }
 */
export function parseLiteral(src: string): ParamValue {
  let i = 0;
  const s = src.trim().replace(/\s+as\s+const\s*$/, '');
  const fail = (why: string): never => {
    throw new NotebookError(`not a literal (${why} at ${i}): ${s}`);
  };
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const str = (): string => {
    if (/[rR]/.test(s[i]!)) {
      const q = s[++i]!;
      const end = s.indexOf(q, i + 1);
      if (end < 0) fail('unterminated string');
      const v = s.slice(i + 1, end);
      i = end + 1;
      return v;
    }
    const q = s[i++]!;
    let v = '';
    while (i < s.length && s[i] !== q) {
      if (s[i] === '\\') {
        const e = s[++i]!;
        i++;
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', v: '\v' };
        if (e === 'x') {
          v += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
          i += 2;
        } else if (e === 'u') {
          v += String.fromCharCode(parseInt(s.slice(i, i + 4), 16));
          i += 4;
        } else v += map[e] ?? e;
      } else v += s[i++];
    }
    if (s[i] !== q) fail('unterminated string');
    i++;
    return v;
  };
  const value = (): ParamValue => {
    ws();
    const c = s[i];
    if (c === undefined) return fail('unexpected end');
    if (c === '"' || c === "'" || c === '`' || (/[rR]/.test(c) && /["']/.test(s[i + 1] ?? ''))) return str();
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: ParamValue[] = [];
      for (ws(); s[i] !== close; ws()) {
        out.push(value());
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== close) fail(`expected , or ${close}`);
      }
      i++;
      return out;
    }
    if (c === '{') {
      i++;
      const out: Record<string, ParamValue> = {};
      for (ws(); s[i] !== '}'; ws()) {
        let key: string;
        if (/["']/.test(s[i]!)) key = str();
        else {
          const m = /^[A-Za-z_$][\w$]*/.exec(s.slice(i));
          if (!m) return fail('expected a key');
          key = m[0];
          i += key.length;
        }
        ws();
        if (s[i++] !== ':') fail('expected :');
        out[key] = value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] !== '}') fail('expected , or }');
      }
      i++;
      return out;
    }
    const rest = s.slice(i);
    const word = /^(True|False|None|true|false|null|undefined|NaN|Infinity|-Infinity|float\((['"])(-?inf|nan)\2\))/.exec(rest);
    if (word) {
      i += word[0].length;
      const w = word[0];
      if (w === 'True' || w === 'true') return true;
      if (w === 'False' || w === 'false') return false;
      if (w === 'None' || w === 'null' || w === 'undefined') return null;
      if (w === 'NaN' || /nan/.test(w)) return NaN;
      return w.includes('-') ? -Infinity : Infinity;
    }
    const num = /^[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?/.exec(rest);
    if (num) {
      i += num[0].length;
      return Number(num[0].replace(/_/g, ''));
    }
    return fail('unexpected token');
  };
  const v = value();
  ws();
  if (s[i] === ';') i++;
  ws();
  if (i < s.length) fail('trailing text');
  return v;
}
