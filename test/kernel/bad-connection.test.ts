/** The kernel's entry with a connection file it cannot use: exit 2 and one line naming the file or the field, no stack. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_MAIN } from './kernel-client.js';

const dir = mkdtempSync(join(tmpdir(), 'skybook-kconn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const ports = { shell_port: 1, iopub_port: 2, control_port: 3, stdin_port: 4, hb_port: 5 };

describe('the kernel refuses a connection file it cannot use', () => {
  it.each([
    ['a missing file', join(dir, 'missing.json'), /missing\.json: kernel skybook: cannot read the connection file \(no such file\)/],
    ['not JSON', file('bad.json', '{"transport": '), /bad\.json: kernel skybook: cannot read the connection file \(.*JSON/],
    [
      'an unsupported signature_scheme',
      file('md5.json', JSON.stringify({ transport: 'tcp', ip: '127.0.0.1', key: 'k', signature_scheme: 'hmac-md5', ...ports })),
      /kernel skybook: unsupported signature_scheme 'hmac-md5' \(only hmac-sha256\)/,
    ],
  ])('%s', (_what, path, names) => {
    const r = spawnSync(process.execPath, [KERNEL_MAIN, path], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^skybook kernel: [^\n]+\n$/);
    expect(r.stderr).toMatch(names);
  });
});
