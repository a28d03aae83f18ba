/**
 * An argument list as one shell command line, each word quoted only when a POSIX shell would otherwise read it
 * differently (a job's entrypoint and a fan-out's command run through a shell on the cluster).
 *
 * @example
 * shellLine(['python', 'x.py', 'a b']); // "python x.py 'a b'"
 */
export function shellLine(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./{}-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
