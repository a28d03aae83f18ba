import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashFile, type FileDigest } from './hash.js';

/** The skybook package root (where package.json and package-lock.json sit), from this compiled file's place. @example packageRoot() // '/work/skybook/' */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../../', import.meta.url));
}

/**
 * The versions a run depends on: skybook (package.json), Node.js, and the sha256 of package-lock.json (which pins
 * every npm dependency).
 *
 * @example
 * const s = await softwareInfo(); s.lockfile?.sha256
 */
export async function softwareInfo(): Promise<{ skybook: string; node: string; lockfile?: FileDigest }> {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
  const lock = `${root}package-lock.json`;
  return { skybook: pkg.version, node: process.version, lockfile: existsSync(lock) ? await hashFile(lock) : undefined };
}
