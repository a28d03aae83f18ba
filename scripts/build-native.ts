#!/usr/bin/env node
/**
 * Part of `npm run build`: compiles skybook's native addons with the system's C++ compiler against Node's own headers,
 * into dist/native/: lib/fits/source/mapped/mapped-file.cc (memory-mapped reads of local FITS files) and
 * lib/quasar/fit/normal-equations.cc (the quasar line fits' inner loop). Node-API only, so one build serves every Node
 * version from 20 on. Where there is no compiler or no headers it says so and succeeds: lib/fits then reads local
 * files with positional reads (slower for a few columns of a wide table, same results) and the line fits use their
 * JavaScript loop (slower, same bits). Skips a compile when its source and flags are unchanged since the last build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, 'dist/native');

/** The addons: source, file built, and what the project does without it. */
const ADDONS = [
  {
    source: join(ROOT, 'lib/fits/source/mapped/mapped-file.cc'),
    file: 'skybook-mapped.node',
    name: 'skybook_mapped',
    flags: [] as string[],
    without: 'local files are read with positional reads',
  },
  {
    // Fused multiply-adds off: the addon must give the same bits as least-squares.ts's JavaScript loop.
    source: join(ROOT, 'lib/quasar/fit/normal-equations.cc'),
    file: 'skybook-fit.node',
    name: 'skybook_fit',
    flags: ['-ffp-contract=off'],
    without: 'quasar line fits form their normal equations in JavaScript (same values, slower)',
  },
];

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
  for (const addon of ADDONS) {
    if (!include) {
      console.warn(`native: ${addon.file} not built (no node_api.h in ${nodeIncludeDirs().join(', ')}); ${addon.without}`);
      continue;
    }
    build(addon, include, cxx);
  }
}

function build(addon: (typeof ADDONS)[number], include: string, cxx: string): void {
  const out = join(OUT_DIR, addon.file);
  const stampFile = out.replace(/\.node$/, '.stamp');
  const flags = [
    '-O3',
    '-std=c++17',
    '-shared',
    '-fPIC',
    '-pthread',
    '-Wall',
    '-Wextra',
    ...addon.flags,
    `-DNODE_GYP_MODULE_NAME=${addon.name}`,
    `-I${include}`,
  ];
  const stamp = createHash('sha256')
    .update(readFileSync(addon.source))
    .update(JSON.stringify([cxx, flags]))
    .digest('hex');
  if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execFileSync(cxx, [...flags, addon.source, '-o', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    rmSync(tmp, { force: true });
    console.warn(`native: ${addon.file} not built (${cxx} failed: ${(e as Error).message.split('\n')[0]}); ${addon.without}`);
    return;
  }
  // a rename, so a process that has the old addon loaded keeps its file
  renameSync(tmp, out);
  writeFileSync(stampFile, stamp);
  console.log(`native: built ${out.slice(ROOT.length + 1)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
