import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/notebook/wire.js';
import { TestKernel } from './kernel-client.js';

// A kernel of its own, with an empty code cache: what a first start does, in the order a user meets it.
const cacheHome = mkdtempSync(join(tmpdir(), 'skybook-cache-'));
let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start({ env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  await k.ready();
}, 120_000);
afterAll(async () => {
  await k?.close();
});

const result = (iopub: Message[]) =>
  iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data as Record<string, string> | undefined;

describe('kernel start: lazy preload declarations, lean Node types, code cache', () => {
  it("runs a first cell that uses no preloaded name, and caches TypeScript's compiled code for the next start", async () => {
    const { reply, iopub } = await k.execute('const twice = (x: number) => 2 * x; twice(21)');
    expect(reply.content.status).toBe('ok');
    expect(result(iopub)?.['text/plain']).toBe('42');
    // The kernel writes the cache after its first answer, so the folder may not exist yet when the reply arrives.
    const dir = join(cacheHome, 'skybook');
    await k.until(
      () => (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.v8cache')) ? true : undefined),
      'the code cache file',
    );
  });

  it('type-checks the first cell against earlier cells even before the preload joins', async () => {
    const bad = await k.execute('const s: string = twice(1)');
    expect(bad.reply.content).toMatchObject({ status: 'error' });
    expect(String(bad.reply.content.evalue)).toMatch(/number.*not assignable to.*string/);
  });

  it("checks a cell that mentions a preloaded name against skybook's declarations", async () => {
    const bad = await k.execute('openFits(42)');
    expect(bad.reply.content).toMatchObject({ status: 'error' });
    expect(String(bad.reply.content.evalue)).toMatch(/Argument of type 'number' is not assignable/);
    const ok = await k.execute('typeof sky.openFits + " " + twice(2)');
    expect(ok.reply.content.status).toBe('ok');
    expect(result(ok.iopub)?.['text/plain']).toBe("'function 4'");
  });

  it("keeps Node's types exact while they are served lean, and hover brings back their documentation", async () => {
    const typed = await k.execute('import { readFileSync } from "node:fs";\nconst n: number = readFileSync("/etc/hostname", "utf8")');
    expect(String(typed.reply.content.evalue)).toMatch(/Type 'string' is not assignable to type 'number'/);
    const code = 'import { readFileSync } from "node:fs";\nreadFileSync';
    const hover = await k.request('inspect_request', { code, cursor_pos: code.length - 2, detail_level: 0 });
    const text = (hover.reply.content.data as Record<string, string>)['text/plain'];
    expect(text).toContain('readFileSync(path: PathOrFileDescriptor');
    expect(text).toContain('Returns the contents of the `path`.');
  });
});
