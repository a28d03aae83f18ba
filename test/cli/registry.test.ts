import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from '../../lib/cli/run-cli.js';

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
});
