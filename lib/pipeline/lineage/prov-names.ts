import { pathToFileURL } from 'node:url';

/**
 * The namespaces of skybook's PROV documents: its own terms and agents, files inside the project folder (`proj:`, the
 * folder's `file:` URL), files elsewhere (`fs:`, `file:///`) and runs (`run:`, by their UUID).
 *
 * @example
 * provPrefixes('/work/proj').proj; // 'file:///work/proj/'
 */
export function provPrefixes(projectDir: string): Record<string, string> {
  const proj = pathToFileURL(projectDir).href;
  return {
    skybook: 'https://skybook.dev/terms#',
    proj: proj.endsWith('/') ? proj : `${proj}/`,
    fs: 'file:///',
    run: 'urn:uuid:',
  };
}

/** Characters a local part keeps as they are; every other one is percent-encoded (its UTF-8 bytes). */
const PLAIN = /^[A-Za-z0-9_~./-]$/;

/**
 * Text as the local part of a QName that PROV-N, PROV-JSON and PROV-XML all accept: letters, digits and `_ ~ . / -`
 * kept, everything else percent-encoded as in a URL (so a `proj:` name is also the file's URL), and a leading `.` or
 * `-` or a trailing `.` (which PN_LOCAL does not allow there) encoded too.
 *
 * @example
 * localPart('.skybook/my file.fits'); // '%2Eskybook/my%20file.fits'
 */
export function localPart(text: string): string {
  let out = '';
  for (const ch of text) {
    out += PLAIN.test(ch) ? ch : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (out.startsWith('.') || out.startsWith('-')) out = `%${out.charCodeAt(0).toString(16).toUpperCase()}${out.slice(1)}`;
  if (out.endsWith('.')) out = `${out.slice(0, -1)}%2E`;
  return out || '_';
}

/**
 * A file version's QName: its path (relative under `proj:` when inside the project folder, else absolute under `fs:`)
 * and `@` the first 12 hex digits of its sha256, so two versions of one path are two entities.
 *
 * @example
 * fileQName('out/a.parquet', 'ab12cd34ef56aa', true); // 'proj:out/a.parquet@ab12cd34ef56'
 */
export function fileQName(path: string, sha256: string, inProject: boolean): string {
  const name = inProject ? `proj:${localPart(path)}` : `fs:${localPart(path.replace(/^\/+/, ''))}`;
  return sha256 ? `${name}@${localPart(sha256.slice(0, 12))}` : name;
}
