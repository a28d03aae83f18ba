/**
 * Loaded with `node --import` in front of the `skybook` CLI by the benchmark driver: at exit, writes the process's peak
 * RSS to stderr as `SKYBOOK_BENCH_MAXRSS=<bytes>`, so the CLI is measured exactly as a user runs it, without changing it.
 *
 * @example
 * node --import ./dist/bench/fits-read/rss-hook.js dist/lib/cli/main.js fits stats FILE --json
 */
process.on('exit', () => {
  process.stderr.write(`SKYBOOK_BENCH_MAXRSS=${process.resourceUsage().maxRSS * 1024}\n`);
});

export {};
