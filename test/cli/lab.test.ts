import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JUPYTER_LAB } from '../acceptance/lab-session.js';
import { skybook } from '../helpers/cli.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

// `skybook lab` itself: what a new user sees when JupyterLab is missing or the port is taken, and that it serves,
// answers with its token only, and stops JupyterLab (and removes its private kernel prefix) on SIGTERM.
const dir = mkdtempSync(join(tmpdir(), 'sb-lab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noLab = !existsSync(JUPYTER_LAB);
if (noLab) console.warn(`SKIPPED skybook lab's serving test: ${JUPYTER_LAB} is missing (npm run setup:python installs it)`);

describe('skybook lab', () => {
  it('without JupyterLab in the environment: exit 2, naming the missing program and npm run setup:python', async () => {
    const r = await spawnSkybook(['lab', '--no-browser'], { env: { SKYBOOK_VENV: join(dir, 'no-venv') } }).done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^skybook lab: JupyterLab is not installed: .*no-venv\/bin\/jupyter-lab is missing; run npm run setup:python/);
  });

  it.skipIf(noLab)('a --port something listens on: exit 2, naming the port', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = skybook(['lab', '--no-browser', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use on 127.0.0.1; give another --port, or --port 0`));
    } finally {
      taken.close();
    }
  });

  it.skipIf(noLab)(
    'serves with its token only, lists the skybook kernel, and stops cleanly on SIGTERM',
    async () => {
      const lab = spawnSkybook(['lab', '--no-browser', '--port', '0', '--token', 'tok-123', '--json', '--dir', dir], {
        env: { JUPYTER_CONFIG_DIR: join(dir, 'config'), JUPYTER_RUNTIME_DIR: join(dir, 'runtime') },
      });
      let stdout = '';
      lab.child.stdout!.on('data', (b: Buffer) => {
        stdout += b.toString();
      });
      await lab.waitFor(/"url":"[^"]+"/);
      const info = JSON.parse(stdout.split('\n')[0]!) as { url: string; port: number; token: string; kernelPath: string };
      expect(info.url).toBe(`http://127.0.0.1:${info.port}/lab?token=tok-123`);
      const api = `http://127.0.0.1:${info.port}/api/kernelspecs`;
      expect((await fetch(api)).status).toBe(403);
      const specs = (await (await fetch(api, { headers: { Authorization: 'token tok-123' } })).json()) as {
        kernelspecs: Record<string, { spec: { display_name: string } }>;
      };
      expect(specs.kernelspecs.skybook?.spec.display_name).toBe('TypeScript (skybook)');
      expect(existsSync(join(info.kernelPath, 'kernels', 'skybook', 'kernel.json'))).toBe(true);

      lab.child.kill('SIGTERM');
      const r = await lab.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('skybook lab: JupyterLab stopped');
      // JupyterLab is gone (nothing answers) and the private kernel prefix with it
      await expect(fetch(api, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
      expect(existsSync(info.kernelPath)).toBe(false);
    },
    180_000,
  );
});
