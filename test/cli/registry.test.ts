import { describe, expect, it } from 'vitest';
import { COMMANDS, GROUPS, runCli } from '../../lib/cli/run-cli.js';

describe('the command registry', () => {
  it('each entry loads the command it names, once per name', async () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect(cmd.name).toBe(entry.name);
      expect(cmd.usage.startsWith(`skybook ${entry.name}`)).toBe(true);
      expect(cmd.summary.length).toBeGreaterThan(10);
    }
  });

  it('--help lists every command; an unknown command is exit 2', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
    expect(await runCli(['--help'], io)).toBe(0);
    for (const entry of COMMANDS) expect(out).toContain(`skybook ${entry.name}`);
    expect(await runCli(['fits', 'nosuch'], io)).toBe(2);
    expect(err).toContain("unknown command 'fits nosuch'");
  });

  it('every command describes every option its usage names, and nothing else, in --help', async () => {
    // the options as spelled: `--hdu`, `-o`; a flag row may give several spellings (`-o, --out OUT`)
    const spellings = (text: string) => new Set([...text.matchAll(/(?<![\w-])(--?[a-z][a-z-]*)/g)].map((m) => m[1]!));
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      const inUsage = spellings(cmd.usage);
      const rows = cmd.flags.map((f) =>
        spellings(
          f.flag
            .split(' ')
            .filter((w) => w.startsWith('-'))
            .join(' '),
        ),
      );
      for (const u of inUsage)
        expect(
          rows.some((r) => r.has(u)),
          `${entry.name}: ${u} has a row in flags`,
        ).toBe(true);
      for (const [i, r] of rows.entries())
        if (r.size)
          expect(
            [...r].some((x) => inUsage.has(x)),
            `${entry.name}: ${cmd.flags[i]!.flag} is in the usage`,
          ).toBe(true);
      for (const f of cmd.flags) expect(f.help.length, `${entry.name} ${f.flag}`).toBeGreaterThan(10);
      let out = '';
      const io = { stdout: (t: string) => void (out += t), stderr: () => {} };
      expect(await runCli([...entry.name.split(' '), '--help'], io)).toBe(0);
      expect(out.startsWith(`Usage: ${cmd.usage}\n${cmd.summary}\n`)).toBe(true);
      for (const f of cmd.flags) expect(out, `${entry.name} --help shows ${f.flag}`).toContain(`  ${f.flag}`);
    }
  });

  it('every command group has a summary and lists exactly its commands', async () => {
    const groups = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));
    expect([...groups].sort()).toEqual(Object.keys(GROUPS).sort());
    for (const g of groups) {
      let out = '';
      const io = { stdout: (t: string) => void (out += t), stderr: () => {} };
      expect(await runCli([g, '--help'], io)).toBe(0);
      const listed = [...out.matchAll(/^ {2}skybook (\S+ \S+) /gm)].map((m) => m[1]);
      expect(listed, g).toEqual(COMMANDS.filter((c) => c.name.startsWith(`${g} `)).map((c) => c.name));
    }
  });
});
