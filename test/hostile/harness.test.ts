import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCapped } from '../helpers/capped.js';
import { tinyTable } from '../helpers/tiny-fits.js';

// The watchdog every hostile case runs under: it must see the child's real peak memory and stop a run past its caps.
describe('runCapped', () => {
  it('reports the exit, output and peak memory of a normal run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-capped-'));
    const file = join(dir, 'tiny.fits');
    writeFileSync(file, tinyTable());
    const r = await runCapped(['fits', 'info', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toBeTruthy();
    expect(r.peakRssMb).toBeGreaterThan(10); // a Node process: tens of MB at least
    expect(r.peakRssMb).toBeLessThan(1024);
    expect(r.cpuSeconds).toBeGreaterThan(0); // a Node process's start-up alone takes tens of ms
    expect(r.cpuSeconds).toBeLessThanOrEqual(r.seconds * 4);
    expect(r.killed).toBeUndefined();
  });

  it('kills a run that spins past its CPU cap, one that hangs past its wall cap, and one whose memory grows past its cap', async () => {
    const spin = await runCapped([], { node: ['-e', 'for (;;);'], maxSeconds: 1 });
    expect(spin.killed).toBe('cpu');
    expect(spin.signal).toBe('SIGKILL');
    expect(spin.cpuSeconds).toBeGreaterThan(1);
    expect(spin.cpuSeconds).toBeLessThan(2); // sampled every 50 ms
    const hang = await runCapped([], { node: ['-e', 'setInterval(() => {}, 1000)'], maxWallSeconds: 1 });
    expect(hang.killed).toBe('wall');
    expect(hang.signal).toBe('SIGKILL');
    expect(hang.cpuSeconds).toBeLessThan(1); // idle: the CPU cap alone would never stop it
    const grow = await runCapped([], { node: ['-e', 'const a = []; setInterval(() => a.push(Buffer.alloc(50e6, 1)), 20)'], maxRssMb: 300 });
    expect(grow.killed).toBe('rss');
    expect(grow.peakRssMb).toBeGreaterThan(300);
    expect(grow.peakRssMb).toBeLessThan(600);
  });

  it('with head, reads that many lines and closes the pipe, as `| head -N` does', async () => {
    const r = await runCapped([], {
      node: ['-e', "process.stdout.on('error', () => process.exit(3)); setInterval(() => process.stdout.write('x\\n'), 5)"],
      head: 2,
      maxSeconds: 5,
    });
    expect(r.stdout).toBe('x\nx\n');
    expect(r.headSeconds).toBeGreaterThan(0);
    expect(r.killed).toBeUndefined(); // the writer met the closed pipe and stopped on its own
    expect(r.code).toBe(3);
  });
});
