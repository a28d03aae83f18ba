/**
 * A path glob as a RegExp over whole `/`-separated paths: `**` any number of folders (none too), `*` any run of
 * characters within one name, `?` one such character, `[abc]` and `[!abc]` one of (or none of) a set, `{a,b}` one of
 * the alternatives; any other character stands for itself. A leading `./` is dropped. Node's own `path.matchesGlob` is
 * still experimental on Node 20 (it warns on every use), hence this small one.
 *
 * @example
 * globRegExp('data/dr1/**\/*.fits').test('data/dr1/healpix/main/dark/zpix.fits'); // true
 * globRegExp('out/{a,b}.parquet').test('out/c.parquet'); // false
 */
export function globRegExp(pattern: string): RegExp {
  const p = pattern.replace(/^\.\//, '');
  let re = '';
  let braces = 0;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*' && p[i + 1] === '*') {
      const whole = (i === 0 || p[i - 1] === '/') && (i + 2 === p.length || p[i + 2] === '/');
      if (whole && p[i + 2] === '/') {
        re += '(?:[^/]*/)*'; // `**/`: zero or more folders
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = p.slice(i + 1, end);
        const negate = body.startsWith('!') || body.startsWith('^');
        const set = (negate ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
        re += negate ? `[^/${set}]` : `[${set}]`;
        i = end;
      }
    } else if (ch === '{') {
      braces++;
      re += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (ch === ',' && braces > 0) re += '|';
    else re += ch.replace(/[.+^$()|\\{}]/g, '\\$&');
  }
  re += ')'.repeat(braces);
  return new RegExp(`^${re}$`);
}
