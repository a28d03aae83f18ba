#!/usr/bin/env node
/**
 * The kernel's entry point, what kernel.json's argv runs: `node dist/kernel/main.js CONNECTION_FILE`.
 * SIGINT (Jupyter's default interrupt) stops the running cell; the kernel itself keeps running. With JPY_PARENT_PID set
 * (Jupyter clients and skybook's runner set it) the kernel dies with the process that started it (parent-watch.ts).
 *
 * @example
 * // kernel.json: { "argv": ["/usr/bin/node", "/…/skybook/dist/kernel/main.js", "{connection_file}"], … }
 */
import { readFileSync } from 'node:fs';
import { packageRoot } from '../lib/core/index.js';
import { KernelError, SkybookError } from '../lib/errors/index.js';
import { Compiler } from './compiler.js';
import type { ConnectionInfo } from './kernel.js';
import { dieWithParent } from './parent-watch.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/kernel/main.js CONNECTION_FILE\n');
  process.exit(2);
}
if (process.env.JPY_PARENT_PID) dieWithParent();
const root = packageRoot();
// The compiler thread's first TypeScript program is the longest part of a start: it begins before anything else loads.
const compiler = new Compiler(process.cwd(), root);
const { Kernel } = await import('./kernel.js');
/** The connection file Jupyter wrote, or a KernelError naming it. */
function readConnection(path: string): ConnectionInfo {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ConnectionInfo;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KernelError(
      `cannot read the connection file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`,
      { file: path, kernel: 'skybook' },
      2,
    );
  }
}
let kernel: InstanceType<typeof Kernel>;
try {
  kernel = new Kernel(readConnection(file), { root, cwd: process.cwd(), compiler });
} catch (e) {
  if (!(e instanceof SkybookError)) throw e;
  process.stderr.write(`skybook kernel: ${e.message}\n`); // bad input: one line, the exit code says which kind
  process.exit(e.exitCode);
}
process.on('SIGINT', () => {
  void kernel.engine?.then((e) => e.executor.interrupt());
});
// A stray rejection or exception from cell code (a timer, an unawaited promise) is reported, not fatal.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`Unhandled promise rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`Uncaught exception: ${err.stack ?? String(err)}\n`);
});
await kernel.start();
