import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../lib/notebook/index.js';
import { cpuOf, runCapped } from '../helpers/capped.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';

// Issue 13, item 5: a runner killed from outside (SIGKILL, SIGTERM) leaves no kernel and no connection file behind,
// and a kernel allocating without bound is stopped at --memory-limit. Both kernels: skybook's own (this build's, as
// the CLI's built-in: Jupyter's user folders point at an empty one) and Debian's python3 ipykernel, which we do not control.

const KERNELS = [
  {
    name: 'skybook',
    language: 'typescript',
    hello: "console.log('start');",
    // the kernel's pid, then a synchronous spin (its timers never run again: only SIGINT or SIGKILL stops it)
    spin: (marker: string) =>
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, String(process.pid));\nwhile (true) {}`,
    pid: (marker: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, String(process.pid));`,
    bomb: 'const hold: Buffer[] = [];\nwhile (true) hold.push(Buffer.alloc(50e6, 1));', // filled, so resident, and off V8's heap
  },
  {
    name: 'python3',
    language: 'python',
    hello: "print('start')",
    spin: (marker: string) => `import os\nwith open(${JSON.stringify(marker)}, 'w') as f: f.write(str(os.getpid()))\nwhile True: pass`,
    pid: (marker: string) => `import os\nwith open(${JSON.stringify(marker)}, 'w') as f: f.write(str(os.getpid()))`,
    bomb: "hold = []\nwhile True: hold.append(b'x' * 50_000_000)",
  },
] as const;

/** A fresh folder per run: the notebook, the output, the marker, and TMPDIR (where the connection file goes). */
function workspace(): { dir: string; tmp: string; marker: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-hostile-run-'));
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const jupyter = join(dir, 'jupyter'); // no installed kernelspecs here: `skybook` is this build's built-in kernel
  mkdirSync(jupyter);
  return { dir, tmp, marker: join(dir, 'kernel.pid'), env: { TMPDIR: tmp, JUPYTER_PATH: jupyter, JUPYTER_DATA_DIR: jupyter } };
}

function notebookFile(path: string, kernel: (typeof KERNELS)[number], cells: string[]): string {
  const nb = {
    cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { name: kernel.name, display_name: kernel.name, language: kernel.language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `ms` with `what`. A condition, not a sleep. */
async function until(check: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - t0;
}

/** The pid the kernel wrote into the marker, once it has (the cell is running). */
const markedPid = (marker: string) => (existsSync(marker) ? Number(readFileSync(marker, 'utf8')) || 0 : 0);

/** Resolves with the kernel's pid once the cell has written it (it is running); rejects if the runner ends first. */
async function cellRunning(run: ReturnType<typeof spawnSkybook>, marker: string): Promise<number> {
  let ended: string | undefined;
  void run.done.then((r) => (ended = `exit ${r.code}: ${r.stderr}`));
  await until(
    () => {
      if (ended) throw new Error(`the runner ended before the cell ran (${ended})`);
      return markedPid(marker) > 0;
    },
    50_000,
    'the spinning cell started',
  );
  return markedPid(marker);
}

/** Whether a process is still there: a zombie (dead, not yet reaped by init) counts as gone. */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
const connectionDirs = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('skybook-kernel-'));
const status = (nb: { cells: { metadata: Record<string, unknown> }[] }) =>
  nb.cells.map((c) => (c.metadata.skybook as { status?: string } | undefined)?.status);

describe.each(KERNELS)('skybook run on the $name kernel, stopped from outside', (kernel) => {
  it('SIGKILL of the runner mid-cell: the kernel and its connection file are gone within 3 s', async () => {
    const w = workspace();
    const nb = notebookFile(join(w.dir, 'spin.ipynb'), kernel, [kernel.hello, kernel.spin(w.marker)]);
    const run = spawnSkybook(['run', nb, '-o', join(w.dir, 'out', 'spin.ipynb')], { env: w.env });
    const pid = await cellRunning(run, w.marker);
    // the process is the kernel this runner started, from a connection file under our TMPDIR
    const [file] = connectionDirs(w.tmp).map((d) => join(w.tmp, d, `kernel-${run.child.pid}.json`));
    expect(file && existsSync(file)).toBe(true);
    expect(cmdline(pid)).toContain(file);
    expect(running(pid)).toBe(true);
    run.child.kill('SIGKILL');
    const waited = await until(() => !running(pid) && connectionDirs(w.tmp).length === 0, 3000, `kernel ${pid} gone`);
    expect(waited).toBeLessThan(3000);
    expect(existsSync(file!)).toBe(false);
  });

  it('SIGTERM mid-cell: exit 1, the partial notebook and a manifest (terminated) are written, the kernel is gone', async () => {
    const w = workspace();
    const out = join(w.dir, 'out', 'spin.ipynb');
    const nb = notebookFile(join(w.dir, 'spin.ipynb'), kernel, [kernel.hello, kernel.spin(w.marker), '1 + 1']);
    const run = spawnSkybook(['run', nb, '-o', out], { env: w.env });
    const pid = await cellRunning(run, w.marker);
    const t0 = performance.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(seconds).toBeLessThan(5); // the cell's interrupt, or 2 s of grace and a kill, then the files
    expect(r.stderr).toMatch(/SIGTERM: stopping the kernel/);
    expect(r.stderr).toMatch(/terminated: cell 1 .*partial notebook saved to/);
    expect(running(pid)).toBe(false);
    expect(connectionDirs(w.tmp)).toEqual([]);
    const executed = await readNotebook(out);
    expect(executed.cells[0]!.source).toContain('An exception was encountered at cell 1');
    const cells = executed.cells.slice(1);
    expect(status(executed).slice(1)).toEqual(['completed', 'failed', 'not-run']);
    expect(cells[0]!.outputs!.map((o) => o.text)).toEqual(['start\n']);
    const manifest = JSON.parse(readFileSync(out.replace(/\.ipynb$/, '.provenance.json'), 'utf8')) as {
      '@graph': Record<string, unknown>[];
    };
    const action = manifest['@graph'].find((n) => n['@id'] === '#run')!;
    expect(action['skybook:status']).toBe('terminated');
    expect(action.actionStatus).toBe('http://schema.org/FailedActionStatus');
  });

  it('a cell allocating without bound under --memory-limit 300M: exit 1, one line naming the cell and the limit, within 10 CPU seconds', async () => {
    const w = workspace();
    const out = join(w.dir, 'out', 'bomb.ipynb');
    const nb = notebookFile(join(w.dir, 'bomb.ipynb'), kernel, [kernel.pid(w.marker), kernel.bomb, '1 + 1']);
    const capped = runCapped(['run', nb, '-o', out, '--memory-limit', '300M'], { env: w.env });
    // the kernel's own peak, sampled while the runner runs (runCapped measures the runner)
    let kernelPeakKb = 0;
    let kernelCpu = 0;
    let done = false;
    void capped.then(() => (done = true));
    const sample = until(
      () => {
        const pid = markedPid(w.marker);
        if (pid) {
          const hwm = /^VmHWM:\s+(\d+) kB/m.exec(existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '');
          kernelPeakKb = Math.max(kernelPeakKb, Number(hwm?.[1] ?? 0));
          kernelCpu = Math.max(kernelCpu, cpuOf(pid));
        }
        return done;
      },
      60_000,
      'the run ended',
    );
    const r = await capped;
    await sample;
    expect(r.killed, r.stderr).toBeUndefined();
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^skybook run: .*bomb\\.ipynb: died: kernel ${kernel.name}: cell 1: kernel stopped: its memory reached \\d+ MiB, over the limit of 300 MiB; partial notebook saved to`,
      ),
    );
    // Stopped promptly: the work the kernel did (CPU seconds, its start-up included) and the runner's, not wall seconds,
    // which a loaded machine stretches (14 s beside two other full test runs on two cores).
    expect(kernelCpu + r.cpuSeconds, `${r.seconds.toFixed(1)} s wall`).toBeLessThan(10);
    expect(r.peakRssMb).toBeLessThan(1024); // the runner
    // the kernel's peak: the runner's last sample, which stopped it, and ours (20 ms apart, so it may miss the top)
    const reached = Number(/memory reached (\d+) MiB/.exec(lines[0]!)?.[1]);
    expect(reached).toBeGreaterThan(300);
    expect(reached).toBeLessThan(500); // stopped near its limit (a 25 ms sample's overshoot), not by the OS
    expect(kernelPeakKb / 1024).toBeGreaterThan(100); // we did watch it (a started kernel)
    expect(kernelPeakKb / 1024).toBeLessThan(500);
    expect(running(markedPid(w.marker))).toBe(false);
    expect(connectionDirs(w.tmp)).toEqual([]);
    expect(status(await readNotebook(out)).slice(1)).toEqual(['completed', 'failed', 'not-run']);
    const manifest = JSON.parse(readFileSync(out.replace(/\.ipynb$/, '.provenance.json'), 'utf8')) as {
      '@graph': Record<string, unknown>[];
    };
    expect(manifest['@graph'].find((n) => n['@id'] === '#run')!['skybook:status']).toBe('died');
  });
});

describe('skybook run, SIGTERM to a cell that ignores the interrupt', () => {
  it('is abandoned 2 s later: the kernel is killed, the output it printed is kept, the run is terminated', async () => {
    const w = workspace();
    const out = join(w.dir, 'out', 'deaf.ipynb');
    const deaf = `import os, signal, sys\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('deaf', flush=True)\n${KERNELS[1].spin(w.marker)}`;
    const nb = notebookFile(join(w.dir, 'deaf.ipynb'), KERNELS[1], [deaf]);
    const run = spawnSkybook(['run', nb, '-o', out, '--log-output'], { env: w.env });
    await run.waitFor('deaf');
    const pid = await cellRunning(run, w.marker);
    const t0 = performance.now();
    run.child.kill('SIGTERM');
    const r = await run.done;
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(1);
    expect(seconds).toBeGreaterThan(1.9);
    expect(seconds).toBeLessThan(5);
    expect(r.stderr).toMatch(/terminated: cell 0 raised Terminated: .*did not stop within 2 s of its interrupt, so the kernel was killed/);
    expect(running(pid)).toBe(false);
    expect(connectionDirs(w.tmp)).toEqual([]);
    const executed = await readNotebook(out);
    expect(executed.cells[1]!.outputs!.map((o) => o.text)).toEqual(['deaf\n']);
    expect(status(executed).slice(1)).toEqual(['failed']);
  });
});
