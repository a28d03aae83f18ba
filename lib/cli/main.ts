#!/usr/bin/env node
import { runCli } from './run-cli.js';

// A warning is one line, as an error is: `skybook: warning: MESSAGE` instead of Node's `(node:PID) ...` and its
// `--trace-warnings` hint. Where Node prints none (--no-warnings, NODE_NO_WARNINGS=1) it has no listener: none here either.
if (process.listenerCount('warning') > 0) {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name === 'DeprecationWarning' && process.noDeprecation) return;
    const kind = w.name === 'Warning' || w.name === 'SkybookWarning' ? '' : `${w.name}: `;
    process.stderr.write(`skybook: warning: ${kind}${w.message}\n`);
  });
}
// a reader that stops early (`skybook fits stats x.fits | head`) closes the pipe: stop quietly, as Unix tools do
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutBytes: (b) => new Promise<void>((resolve, reject) => process.stdout.write(b, (e) => (e ? reject(e) : resolve()))),
  stdoutText: (t) => new Promise<void>((resolve, reject) => process.stdout.write(t, (e) => (e ? reject(e) : resolve()))),
  stdoutIsTTY: process.stdout.isTTY === true,
  terminal: process.stderr,
});
