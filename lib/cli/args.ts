import { UsageError } from '../errors/index.js';

/** What a command accepts: flags with values, boolean switches, repeatable flags, and positional names. */
export interface ArgSpec {
  values?: readonly string[];
  switches?: readonly string[];
  repeatable?: readonly string[];
  /** Short aliases, e.g. { o: 'out' }. */
  aliases?: Record<string, string>;
  positionals: readonly string[];
  /** Positionals after these may repeat (the last name collects the rest). */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: Record<string, string>;
  rest: string[];
  values: Record<string, string>;
  lists: Record<string, string[]>;
  switches: Set<string>;
}

/**
 * Parses `argv` against a spec; unknown options and missing positionals are usage errors.
 *
 * @example
 * parseArgs(['x.fits', '--hdu', '1', '--json'], { values: ['hdu'], switches: ['json'], positionals: ['file'] })
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: {}, rest: [], values: {}, lists: {}, switches: new Set() };
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      let name = a.replace(/^--?/, '');
      let inline: string | undefined;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      name = spec.aliases?.[name] ?? name;
      if (spec.switches?.includes(name)) {
        out.switches.add(name);
        continue;
      }
      if (spec.values?.includes(name) || spec.repeatable?.includes(name)) {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`option --${name} needs a value`, { option: name });
        if (spec.repeatable?.includes(name)) (out.lists[name] ??= []).push(v);
        else out.values[name] = v;
        continue;
      }
      throw new UsageError(`unknown option ${a}`, { option: name });
    }
    pos.push(a);
  }
  spec.positionals.forEach((name, k) => {
    const v = pos[k];
    if (v === undefined) throw new UsageError(`missing ${name.toUpperCase()}`);
    out.positionals[name] = v;
  });
  out.rest = pos.slice(spec.positionals.length);
  if (out.rest.length && !spec.variadic) throw new UsageError(`unexpected argument '${out.rest[0]}'`);
  return out;
}
