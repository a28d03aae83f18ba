import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { skybookVersion } from '../../core/index.js';
import { jupyterDataDirs } from '../../notebook/index.js';
import { parseArgs } from '../args.js';
import { toJson } from '../output.js';
import type { Command } from './command.js';
import { KERNEL_NAME, kernelSpec } from './kernel-spec.js';

/** One installed kernelspec of skybook's and what is wrong with it (nothing: it works). */
export interface SpecCheck {
  name: string;
  file: string;
  argv: string[] | null;
  /** False when a kernelspec of the same name earlier on the Jupyter path hides it (Jupyter never runs it). */
  inUse: boolean;
  problems: string[];
}

/** A path with its links resolved, to compare installations; the path itself when it does not exist. */
const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** Whether a kernelspec's argv[0] names a program that exists and runs: an absolute path, or a name on PATH. */
function runnable(program: string, env: NodeJS.ProcessEnv): boolean {
  const candidates = isAbsolute(program) ? [program] : (env.PATH ?? '').split(delimiter).map((d) => join(d, program));
  return candidates.some((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Every skybook kernelspec on the Jupyter path (named `skybook`, or any name whose kernel.json carries
 * `metadata.skybook`), checked: kernel.json readable, its node runnable, its kernel entry an existing file, and that
 * entry this installation's dist/kernel/main.js. The first folder holding a name is the one Jupyter runs; later ones
 * are reported as hidden and never fail the check.
 *
 * @example
 * checkKernelSpecs().filter((s) => s.inUse && s.problems.length); // the stale ones
 */
export function checkKernelSpecs(env: NodeJS.ProcessEnv = process.env): SpecCheck[] {
  const entry = kernelSpec(skybookVersion()).argv[1]!;
  const out: SpecCheck[] = [];
  const seen = new Set<string>();
  for (const data of jupyterDataDirs(env)) {
    const kernels = join(data, 'kernels');
    if (!existsSync(kernels)) continue;
    let names: string[];
    try {
      names = readdirSync(kernels).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(kernels, name, 'kernel.json');
      if (!existsSync(file)) continue;
      const inUse = !seen.has(name.toLowerCase());
      seen.add(name.toLowerCase());
      let json: { argv?: unknown; metadata?: { skybook?: unknown } };
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        if (name.toLowerCase() === KERNEL_NAME)
          out.push({ name, file, argv: null, inUse, problems: [`unreadable kernel.json (${(e as Error).message})`] });
        continue;
      }
      if (name.toLowerCase() !== KERNEL_NAME && json.metadata?.skybook === undefined) continue;
      const argv = Array.isArray(json.argv) ? json.argv.map(String) : null;
      const problems: string[] = [];
      if (!argv || argv.length < 2) problems.push('its argv does not name a program and a kernel');
      else {
        const [node, main] = argv as [string, string];
        if (!runnable(node, env)) problems.push(`its node ${node} does not exist or cannot run`);
        if (!existsSync(main)) problems.push(`its kernel ${main} does not exist (was the clone moved or deleted?)`);
        else if (real(main) !== real(entry)) problems.push(`it runs another installation's kernel, ${main}, not this one's (${entry})`);
      }
      out.push({ name, file, argv, inUse, problems });
    }
  }
  return out;
}

/**
 * `skybook kernel doctor [--json]`: checks the installed skybook kernelspecs (kernel.json holds absolute paths, so a
 * moved clone or another Node leaves them stale). Exit 0 when the one Jupyter runs works; 1 naming each stale one, or
 * when none is installed.
 *
 * @example
 * skybook kernel doctor --json
 */
export const kernelDoctor: Command = {
  name: 'kernel doctor',
  usage: 'skybook kernel doctor [--json]',
  summary:
    "checks that the installed skybook kernelspecs run this installation's kernel with a node that exists; exit 1 naming a stale one",
  flags: [
    {
      flag: '--json',
      help: "print { ok, entry, specs: [{ name, file, argv, inUse, problems }] } (entry: this installation's dist/kernel/main.js)",
    },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, { positionals: [], switches: ['json'] });
    const entry = kernelSpec(skybookVersion()).argv[1]!;
    const specs = checkKernelSpecs();
    const stale = specs.filter((s) => s.inUse && s.problems.length > 0);
    const installed = specs.some((s) => s.inUse && s.name.toLowerCase() === KERNEL_NAME);
    const ok = installed && stale.length === 0;
    if (args.switches.has('json')) io.stdout(toJson({ ok, entry, specs }, 2) + '\n');
    else
      for (const s of specs) {
        const verdict = !s.inUse ? 'hidden' : s.problems.length ? 'stale' : 'ok';
        const why = s.problems.length ? s.problems.join('; ') : `runs ${s.argv!.slice(0, 2).join(' ')}`;
        io.stdout(`${verdict.padEnd(6)} ${s.file}: ${why}${s.inUse ? '' : ' (hidden by an earlier one of that name)'}\n`);
      }
    if (!installed)
      io.stderr(
        `skybook kernel doctor: no skybook kernelspec on the Jupyter path (${jupyterDataDirs().join(', ')}); run skybook kernel install\n`,
      );
    for (const s of stale)
      io.stderr(
        `skybook kernel doctor: ${s.file}: stale: ${s.problems.join('; ')}; run skybook kernel install again (--user or --prefix as before)\n`,
      );
    return ok ? 0 : 1;
  },
};
