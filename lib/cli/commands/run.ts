import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { Redactor, skybookVersion } from '../../core/index.js';
import type { Output } from '../../notebook/index.js';
import { loadNotebookForRun, recordRun } from '../../provenance/index.js';
import { UsageError } from '../../errors/index.js';
import { parseArgs } from '../args.js';
import { textTable, toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import { useBuiltinKernel } from './kernel-spec.js';
import { ledgerFiles, withLedgerRun } from '../ledger-hook.js';
import type { Command, CommandIO } from './command.js';
import { resolveParameters, takeParamPairs } from './run-params.js';

/** A positive number of seconds from an option, or a usage error naming it. @example seconds('timeout', '2.5') // 2.5 */
export function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number of seconds, got '${v}'`, { option: name, value: v });
  return n;
}

/**
 * A size in bytes from an option: a number and a binary unit, `K`, `M`, `G` or `T` (any case, `B`/`iB` optional:
 * `512M`, `2G`, `1.5GiB`); a bare number is bytes. A usage error naming the option otherwise.
 *
 * @example byteSize('memory-limit', '512M') // 536870912
 */
export function byteSize(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(v.trim());
  const bytes = m ? Math.round(Number(m[1]) * 1024 ** ' kmgt'.indexOf(m[2]!.toLowerCase() || ' ')) : NaN;
  if (!(bytes > 0)) throw UsageError.invalid(name, v, 'a size such as 512M or 2G');
  return bytes;
}

function logOutput(io: CommandIO, cell: number, o: Output): void {
  if (o.output_type === 'stream') io.stderr(o.text ?? '');
  else if (o.output_type === 'error') io.stderr(`[cell ${cell}] ${o.ename}: ${o.evalue}\n`);
  else {
    const text = o.data?.['text/plain'];
    io.stderr(typeof text === 'string' ? text + '\n' : `[cell ${cell}] ${Object.keys(o.data ?? {}).join(', ')}\n`);
  }
}

/**
 * Runs SIGINT as "interrupt the kernel and save what ran": the first Ctrl-C aborts the run gracefully, a second
 * one quits at once (the notebook as of the last finished cell is already on disk). SIGTERM and SIGHUP terminate:
 * the running cell is interrupted, the kernel killed if it has not stopped 2 s later, and the partial notebook and
 * the manifest (status `terminated`) are written; a second one quits at once. Quitting at once still stops the
 * kernel and removes its connection file (KernelProcess's exit hook).
 */
function stopOnSignals(io: CommandIO): { signal: AbortSignal; terminate: AbortSignal; dispose(): void } {
  const interrupt = new AbortController();
  const terminate = new AbortController();
  const onInt = () => {
    if (interrupt.signal.aborted || terminate.signal.aborted) process.exit(1);
    io.stderr('\nskybook run: interrupting the kernel; saving what ran (Ctrl-C again to quit now)\n');
    interrupt.abort();
  };
  const onTerm = (name: NodeJS.Signals) => {
    if (terminate.signal.aborted) process.exit(1);
    io.stderr(`\nskybook run: ${name}: stopping the kernel; saving the partial notebook and manifest\n`);
    terminate.abort(name);
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  return {
    signal: interrupt.signal,
    terminate: terminate.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onTerm);
    },
  };
}

/** The run itself; `run` below adds the redaction of its errors. */
const runUnredacted: Command = {
  name: 'run',
  usage:
    'skybook run NOTEBOOK [-p NAME VALUE]... [-f params.json|yaml] [-o OUT.ipynb] [--kernel NAME] [--timeout S] [--startup-timeout S] [--memory-limit SIZE] [--cwd DIR] [--input PATH]... [--cache] [--log-output] [--prepare-only] [--help-notebook] [--json]',
  summary: 'executes a notebook headless with typed parameters; writes OUT.ipynb and OUT.provenance.json; exit 1 on a cell error',
  flags: [
    { flag: 'NOTEBOOK', help: 'the .ipynb to execute' },
    {
      flag: '-p, --parameters NAME VALUE',
      help: 'set a parameter (repeatable); VALUE is converted to the type of its default in the cell tagged parameters',
    },
    { flag: '-f, --file params.json|yaml', help: 'parameters from a file (an object of NAME: VALUE); -p wins over it' },
    { flag: '-o, --out OUT.ipynb', help: 'the executed notebook (default runs/NAME.ipynb); OUT.provenance.json goes beside it' },
    { flag: '-k, --kernel NAME', help: "run on this kernel (default: the notebook's kernelspec; skybook works without kernel install)" },
    { flag: '--timeout S', help: 'seconds a cell may run before it is interrupted and the run fails (default: no limit)' },
    { flag: '--startup-timeout S', help: 'seconds to wait for the kernel to start (default 60)' },
    { flag: '--cwd DIR', help: "the kernel's working folder (default: the current folder)" },
    {
      flag: '--memory-limit SIZE',
      help: "stop the kernel when its process group's resident memory passes SIZE (512M, 2G; powers of 1024): exit 1 naming the cell",
    },
    { flag: '--input PATH', help: 'a file the run reads (repeatable): hashed into the manifest and the cache key' },
    { flag: '--cache', help: 'skip the run when notebook, parameters, inputs, lockfile and kernel match the last manifest' },
    { flag: '--log-output', help: 'print cell outputs on stderr as they come, instead of the progress bar' },
    { flag: '--prepare-only', help: 'write OUT.ipynb with the parameters injected, without executing it' },
    { flag: '--help-notebook', help: "list the notebook's parameters (name, type, default) and exit" },
    { flag: '--json', help: 'print { status, notebook, out, manifest, cells, failedCell, error, cached, seconds } as JSON' },
  ],
  async run(argv, io) {
    useBuiltinKernel(skybookVersion());
    const { argv: rest, pairs } = takeParamPairs(argv);
    const args = parseArgs(rest, {
      positionals: ['notebook'],
      values: ['out', 'kernel', 'timeout', 'startup-timeout', 'memory-limit', 'cwd', 'file'],
      repeatable: ['input'],
      switches: ['cache', 'log-output', 'prepare-only', 'help-notebook', 'json'],
      aliases: { o: 'out', f: 'file', k: 'kernel' },
    });
    const file = args.positionals.notebook!;
    const json = args.switches.has('json');
    const loaded = await loadNotebookForRun(file, args.values.kernel);
    if (args.switches.has('help-notebook')) {
      const rows = loaded.parameters.map((p) => ({ name: p.name, type: p.type, default: p.defaultSource }));
      if (json) io.stdout(toJson({ notebook: file, kernel: loaded.spec.name, language: loaded.language, parameters: rows }) + '\n');
      else {
        io.stdout(`Parameters of ${file} (kernel ${loaded.spec.name}, ${loaded.language}):\n`);
        io.stdout(
          rows.length
            ? textTable(
                ['name', 'type', 'default'],
                rows.map((r) => [r.name, r.type, r.default]),
              ) + '\n'
            : '  (none: no cell tagged parameters)\n',
        );
      }
      return 0;
    }
    const parameters = resolveParameters(loaded.parameters, pairs, args.values.file, file);
    const timeout = seconds('timeout', args.values.timeout);
    const startupTimeout = seconds('startup-timeout', args.values['startup-timeout']);
    const memoryLimit = byteSize('memory-limit', args.values['memory-limit']);
    const cwd = args.values.cwd;
    if (cwd !== undefined && !(existsSync(cwd) && statSync(cwd).isDirectory()))
      throw new UsageError(`--cwd ${cwd}: no such folder`, { option: 'cwd', value: cwd });
    const out = resolve(args.values.out ?? `runs/${basename(file).replace(/\.ipynb$/i, '')}.ipynb`);
    if (resolve(file) === out)
      throw new UsageError(`-o ${args.values.out} would overwrite the notebook itself`, { option: 'out', value: args.values.out });
    try {
      mkdirSync(dirname(out), { recursive: true });
    } catch (e) {
      throw new UsageError(`-o ${out}: cannot make its folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
        option: 'out',
        value: out,
      });
    }
    const logging = args.switches.has('log-output');
    const progress = progressFor(io, !logging && !json);
    const sig = stopOnSignals(io);
    const t0 = Date.now();
    let r;
    try {
      r = await withLedgerRun(
        { kind: 'notebook', name: basename(file).replace(/\.ipynb$/i, ''), params: parameters },
        () =>
          recordRun({
            notebook: file,
            out,
            parameters,
            inputs: args.lists.input,
            kernel: args.values.kernel,
            cwd: args.values.cwd,
            timeout,
            startupTimeout,
            cache: args.switches.has('cache'),
            prepareOnly: args.switches.has('prepare-only'),
            signal: sig.signal,
            terminate: sig.terminate,
            memoryLimit,
            progress,
            onOutput: logging ? (cell, o) => logOutput(io, cell, o) : undefined,
          }),
        (done) => ({
          status:
            done.status === 'completed' || done.status === 'cached' || done.status === 'prepared'
              ? 'completed'
              : done.status === 'interrupted' || done.status === 'terminated'
                ? 'interrupted'
                : 'failed',
          inputs: done.record ? ledgerFiles([done.record.notebook, ...done.record.inputs]) : undefined,
          outputs: done.record ? ledgerFiles([done.record.executed, ...done.record.outputs]) : [],
          manifest: done.status === 'prepared' ? undefined : relative(process.cwd(), done.manifestPath),
          error: done.status === 'cached' ? undefined : done.record?.error,
        }),
      );
    } finally {
      progress.finish();
      sig.dispose();
    }
    const ok = r.status === 'completed' || r.status === 'cached' || r.status === 'prepared';
    const error = r.status === 'cached' ? undefined : r.record?.error;
    if (json) {
      io.stdout(
        toJson({
          status: r.status,
          notebook: file,
          out: r.out,
          manifest: r.status === 'prepared' ? null : r.manifestPath,
          cells: r.record?.cells.length ?? null,
          failedCell: r.record?.failedCell ?? null,
          error: error ?? null,
          cached: r.status === 'cached',
          seconds: (Date.now() - t0) / 1000,
        }) + '\n',
      );
    } else if (r.status === 'cached') {
      io.stderr(
        `skybook run: cached: notebook, parameters, inputs and lockfile unchanged since ${r.record!.endTime}; skipped the run (${r.out})\n`,
      );
    } else if (r.status === 'prepared') {
      io.stderr(`skybook run: prepared ${r.out} (parameters injected, not executed)\n`);
    } else if (ok) {
      io.stderr(`skybook run: ${file}: ${r.record!.cells.length} cells ok in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${r.out}\n`);
    } else {
      io.stderr(`skybook run: ${file}: ${r.status}: ${error}; partial notebook saved to ${r.out}\n`);
    }
    return ok ? 0 : 1;
  },
};

/**
 * `skybook run`: a notebook headless with typed parameters, provenance and cache. An error it raises quotes no `-p`
 * secret (a secret-named value, a URL's password: lib/core's one rule), wherever in the run it was raised.
 *
 * @example
 * await run.run(['a.ipynb', '-p', 'zmax', '2'], io)
 */
export const run: Command = {
  ...runUnredacted,
  async run(argv, io) {
    const secrets = new Redactor({ values: Object.fromEntries(takeParamPairs(argv).pairs), env: process.env });
    try {
      return await runUnredacted.run(argv, io);
    } catch (e) {
      if (e instanceof Error) e.message = secrets.text(e.message);
      throw e;
    }
  },
};
