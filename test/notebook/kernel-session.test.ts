import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError } from '../../lib/errors/index.js';
import { findKernelSpec, KernelSession, type KernelSpec } from '../../lib/notebook/index.js';

const python3 = findKernelSpec('python3');

/** A kernelspec dir under a temp JUPYTER_PATH, for kernels that misbehave on purpose. */
function tempSpec(name: string, spec: object): KernelSpec {
  const root = mkdtempSync(join(tmpdir(), 'ks-'));
  mkdirSync(join(root, 'kernels', name), { recursive: true });
  writeFileSync(join(root, 'kernels', name, 'kernel.json'), JSON.stringify(spec));
  return findKernelSpec(name, { JUPYTER_PATH: root, HOME: '/nonexistent' });
}

describe('KernelSession against ipykernel', () => {
  let k: KernelSession;
  beforeAll(async () => {
    k = await KernelSession.start(python3, { startupTimeout: 30 });
  });
  afterAll(async () => k.shutdown());

  it('reports the language and executes with streams, results and counts', async () => {
    expect(k.language).toBe('python');
    const r = await k.execute('import sys\nprint("out")\nprint("err", file=sys.stderr)\n6 * 7');
    expect(r.status).toBe('ok');
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'out\n' },
      { output_type: 'stream', name: 'stderr', text: 'err\n' },
      { output_type: 'execute_result', data: { 'text/plain': '42' }, metadata: {}, execution_count: r.executionCount },
    ]);
    expect(r.executionCount).toBeGreaterThan(0);
  });

  it('merges consecutive stream text, honours clear_output and update_display_data', async () => {
    const r = await k.execute(
      [
        'from IPython.display import display, clear_output',
        'for i in range(3): print(i, flush=True)',
        'h = display("first", display_id=True)',
        'h.update("second")',
      ].join('\n'),
    );
    expect(r.outputs.map((o) => o.text ?? o.data?.['text/plain'])).toEqual(['0\n1\n2\n', "'second'"]);
    const c = await k.execute('print("gone")\nclear_output(wait=True)\nprint("kept")');
    expect(c.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'kept\n' }]);
  });

  it('reports an error reply with ename, evalue and traceback', async () => {
    // stop_on_error off: otherwise ipykernel may abort the next test's request, sent while it is still unwinding this error.
    const r = await k.execute('raise ValueError("bad z")', { stopOnError: false });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ ename: 'ValueError', evalue: 'bad z' });
    expect(r.outputs[0]!.output_type).toBe('error');
  });

  it('interrupts a cell that runs past its timeout (SIGINT), and the kernel lives on', async () => {
    const t0 = Date.now();
    // stop_on_error off: the KeyboardInterrupt is an error, and ipykernel would otherwise abort the "alive" request
    // below if it arrives while the kernel is still unwinding it (seen on a loaded machine).
    const r = await k.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(30)', { timeoutMs: 1500, stopOnError: false });
    expect(r.status).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.outputs.map((o) => o.ename ?? o.text)).toEqual(['sleeping\n', 'KeyboardInterrupt']);
    expect((await k.execute('print("alive")')).outputs[0]!.text).toBe('alive\n');
  });
});

describe('kernel lifecycle', () => {
  it('interrupts with interrupt_request when the kernelspec says interrupt_mode "message"', async () => {
    const spec = tempSpec('py-msg', { ...JSON.parse(readFileSync(join(python3.dir, 'kernel.json'), 'utf8')), interrupt_mode: 'message' });
    expect(spec.interrupt_mode).toBe('message');
    const k = await KernelSession.start(spec, { startupTimeout: 30 });
    try {
      const r = await k.execute('import time\ntime.sleep(30)', { timeoutMs: 1000 });
      expect(r.status).toBe('timeout');
      expect(r.outputs.at(-1)?.ename).toBe('KeyboardInterrupt');
    } finally {
      await k.shutdown();
    }
  });

  it('detects a kernel that dies mid-cell', async () => {
    const k = await KernelSession.start(python3, { startupTimeout: 30 });
    try {
      await expect(k.execute('import os, signal\nos.kill(os.getpid(), signal.SIGKILL)', { cell: 4 })).rejects.toThrow(
        /kernel python3: cell 4: kernel died \(signal SIGKILL\)/,
      );
      expect(k.alive).toBe(false);
    } finally {
      await k.shutdown();
    }
  });

  it('with a heartbeat, detects a kernel that hangs without exiting (SIGSTOP)', async () => {
    const k = await KernelSession.start(python3, { startupTimeout: 30, heartbeatMs: 300 });
    try {
      process.kill(k.process.child.pid!, 'SIGSTOP');
      await expect(k.execute('1', { cell: 0 })).rejects.toThrow(/kernel stopped answering its heartbeat/);
      expect(k.process.alive).toBe(true);
    } finally {
      process.kill(k.process.child.pid!, 'SIGCONT');
      await k.shutdown(0);
    }
  });

  it('fails clearly when a kernel exits at start or never answers', async () => {
    const quits = tempSpec('quits', {
      argv: ['/bin/sh', '-c', 'echo no such module >&2; exit 3', '{connection_file}'],
      language: 'python',
    });
    await expect(KernelSession.start(quits, { startupTimeout: 20 })).rejects.toThrow(/kernel died \(exit code 3\): no such module/);
    const silent = tempSpec('silent', { argv: ['/bin/sh', '-c', 'sleep 30', '{connection_file}'], language: 'python' });
    const e = await KernelSession.start(silent, { startupTimeout: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KernelError);
    expect((e as Error).message).toMatch(/kernel silent: kernel did not start within 1 s/);
  });
});
