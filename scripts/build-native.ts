#!/usr/bin/env node
/**
 * Part of `npm run build`: compiles skybook's one native addon (lib/fits/source/mapped/mapped-file.cc: memory-mapped
 * reads of local FITS files) with the system's C++ compiler against Node's own headers, into dist/native/. Node-API only,
 * so one build serves every Node version from 20 on. Where there is no compiler or no headers it says so and succeeds:
 * lib/fits then reads local files with positional reads (slower for a few columns of a wide table, same results).
 * Skips the compile when the source and flags are unchanged since the last build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE = join(ROOT, 'lib/fits/source/mapped/mapped-file.cc');
const OUT_DIR = join(ROOT, 'dist/native');
const OUT = join(OUT_DIR, 'skybook-mapped.node');
const STAMP = join(OUT_DIR, 'skybook-mapped.stamp');

/** Directories that may hold `node_api.h`: beside this Node's binary, then the system's. */
export function nodeIncludeDirs(): string[] {
  return [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
}

export function findNodeHeaders(): string | undefined {
  return nodeIncludeDirs().find((d) => existsSync(join(d, 'node_api.h')));
}

function main(): void {
  const include = findNodeHeaders();
  const cxx = process.env.CXX ?? 'g++';
  if (!include) {
    console.warn(`native: not built (no node_api.h in ${nodeIncludeDirs().join(', ')}); local files are read with positional reads`);
    return;
  }
  const flags = [
    '-O3',
    '-std=c++17',
    '-shared',
    '-fPIC',
    '-pthread',
    '-Wall',
    '-Wextra',
    '-DNODE_GYP_MODULE_NAME=skybook_mapped',
    `-I${include}`,
  ];
  const stamp = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(JSON.stringify([cxx, flags]))
    .digest('hex');
  if (existsSync(OUT) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) return;
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `${OUT}.${process.pid}.tmp`;
  try {
    execFileSync(cxx, [...flags, SOURCE, '-o', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    rmSync(tmp, { force: true });
    console.warn(`native: not built (${cxx} failed: ${(e as Error).message.split('\n')[0]}); local files are read with positional reads`);
    return;
  }
  // a rename, so a process that has the old addon loaded keeps its file
  renameSync(tmp, OUT);
  writeFileSync(STAMP, stamp);
  console.log(`native: built ${OUT.slice(ROOT.length + 1)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
