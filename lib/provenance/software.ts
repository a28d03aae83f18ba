import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, skybookVersion } from '../core/index.js';
import { hashFile, type FileDigest } from './hash.js';

/**
 * The versions a run depends on: skybook (package.json), Node.js, and the sha256 of package-lock.json (which pins
 * every npm dependency).
 *
 * @example
 * const s = await softwareInfo(); s.lockfile?.sha256
 */
export async function softwareInfo(): Promise<{ skybook: string; node: string; lockfile?: FileDigest }> {
  const lock = join(packageRoot(), 'package-lock.json');
  return { skybook: skybookVersion(), node: process.version, lockfile: existsSync(lock) ? await hashFile(lock) : undefined };
}
