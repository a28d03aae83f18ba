#!/usr/bin/env node
import { runCli } from './run-cli.js';

// a reader that stops early (`skybook fits stats x.fits | head`) closes the pipe: stop quietly, as Unix tools do
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutBytes: (b) => new Promise<void>((resolve, reject) => process.stdout.write(b, (e) => (e ? reject(e) : resolve()))),
  stdoutIsTTY: process.stdout.isTTY === true,
  terminal: process.stderr,
});
