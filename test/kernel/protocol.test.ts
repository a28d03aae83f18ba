import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import type { Message } from '../../lib/notebook/wire.js';
import { TestKernel } from './kernel-client.js';

// One kernel for the file: its start (TypeScript's first program) is the slow part on a busy machine.
let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
  await k.ready();
}, 120_000);
afterAll(async () => {
  await k?.close();
});

const ofType = (ms: Message[], t: string) => ms.filter((m) => m.header.msg_type === t);

describe('skybook kernel over the Jupyter protocol', () => {
  it('answers kernel_info with protocol 5.3 and language typescript', async () => {
    const { reply } = await k.request('kernel_info_request', {});
    expect(reply.header.msg_type).toBe('kernel_info_reply');
    expect(reply.content).toMatchObject({
      status: 'ok',
      protocol_version: '5.3',
      implementation: 'skybook',
      language_info: { name: 'typescript', file_extension: '.ts' },
    });
  });

  it('answers kernel_info on the control channel too', async () => {
    const { reply } = await k.request('kernel_info_request', {}, 'control');
    expect(reply.content.status).toBe('ok');
  });

  it('echoes on the heartbeat socket', async () => {
    const hb = new zmq.Request();
    hb.connect(k.hbUrl);
    await hb.send('ping-1');
    const [echo] = await hb.receive();
    hb.close();
    expect(echo!.toString()).toBe('ping-1');
  });

  it('ignores a message with a bad signature, and says so on stderr', async () => {
    const msg = k.wire.message('execute_request', { code: '"forged"', silent: false });
    const frames = k.wire.serialize(msg);
    frames[1] = 'f'.repeat(64); // the signature
    await k.shell.send(frames);
    await k.until(() => (k.stderr.join('').includes('bad HMAC signature') ? true : undefined), 'the kernel to log the bad signature');
    const ok = await k.request('kernel_info_request', {});
    expect(ok.reply.content.status).toBe('ok');
    expect(k.iopubLog.some((m) => m.parent_header.msg_id === msg.header.msg_id)).toBe(false);
  });

  it('a silent execution publishes nothing and does not count', async () => {
    const before = (await k.execute('1')).reply.content.execution_count as number;
    const quiet = await k.execute('globalThis.quietRan = 7; 99', { silent: true, store_history: false });
    expect(quiet.reply.content).toMatchObject({ status: 'ok', execution_count: null });
    expect(quiet.iopub.map((m) => m.header.msg_type)).toEqual([]);
    const after = await k.execute('(globalThis as any).quietRan');
    expect(after.reply.content.execution_count).toBe(before + 1);
    expect(ofType(after.iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': '7' });
  });

  it('runs a cell: execute_input, stream, execute_result with execution_count', async () => {
    const { reply, iopub } = await k.execute('console.log("hello"); console.error("warn"); const n: number = 20; n + 22');
    expect(reply.content).toMatchObject({ status: 'ok' });
    const count = reply.content.execution_count as number;
    expect(count).toBeGreaterThan(0);
    expect(ofType(iopub, 'execute_input')[0]!.content).toMatchObject({ execution_count: count });
    const streams = ofType(iopub, 'stream').map((m) => m.content);
    expect(streams).toContainEqual({ name: 'stdout', text: 'hello\n' });
    expect(streams).toContainEqual({ name: 'stderr', text: 'warn\n' });
    expect(ofType(iopub, 'execute_result')[0]!.content).toEqual({ execution_count: count, data: { 'text/plain': '42' }, metadata: {} });
    // The value is a result, not printed to stdout as tslab does.
    expect(streams.map((s) => s.text).join('')).not.toContain('42');
  });

  it('counts executions one by one and keeps variables across cells (with shorthand properties)', async () => {
    const a = await k.execute('const zmax = 1.5');
    const b = await k.execute('({ zmax })');
    expect(b.reply.content.execution_count).toBe((a.reply.content.execution_count as number) + 1);
    expect(ofType(b.iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': '{ zmax: 1.5 }' });
  });

  it('supports top-level await', async () => {
    const { iopub } = await k.execute('const v = await new Promise<number>((r) => setImmediate(() => r(7))); v * 6');
    expect(ofType(iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': '42' });
  });

  it('runs a cell whose only await is a top-level for await (an async iterator of batches), not one nested in a function', async () => {
    const { reply, iopub } = await k.execute(
      'async function* batches() { yield 1; yield 2; }\nlet total = 0;\nfor await (const b of batches()) total += b;\ntotal * 10',
    );
    expect(reply.content, JSON.stringify(reply.content)).toMatchObject({ status: 'ok' });
    expect(ofType(iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': '30' });
    const nested = await k.execute('function f() { for await (const b of [1]) console.log(b); }');
    expect(nested.reply.content.status).toBe('error');
    expect(String(nested.reply.content.evalue)).toMatch(/for await/);
  });

  it('has the library preloaded as sky, with openFits and arrow, and no import cell', async () => {
    const { reply, iopub } = await k.execute(
      '[typeof sky.openFits, typeof openFits, typeof arrow.tableFromArrays, openFits === sky.openFits]',
    );
    expect(reply.content.status).toBe('ok');
    expect(ofType(iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': "[ 'function', 'function', 'function', true ]" });
  });

  it('openStore in a cell opens a DuckDB file read-only: a write is refused, saying how to ask; { readOnly: false } writes', async () => {
    const url = JSON.stringify(`duckdb:${join(mkdtempSync(join(tmpdir(), 'sb-kernel-ro-')), 'k.duckdb')}`);
    const made = await k.execute(`const rw = await openStore(${url}, { readOnly: false });
await rw.run('create table t (x int)');
await rw.run('insert into t values (1)');
await rw.close();`);
    expect(made.reply.content.status).toBe('ok');
    const refused = await k.execute(`const ro = await openStore(${url});
try { await ro.run('insert into t values (2)'); } finally { await ro.close(); }`);
    expect(refused.reply.content).toMatchObject({ status: 'error', ename: 'StoreError' });
    expect(String(refused.reply.content.evalue)).toMatch(/read-only \(--write in skybook query; readOnly: false in openStore\)/);
    const { reply, iopub } = await k.execute(`const again = await openStore(${url});
const n = (await again.query('select count(*) as n from t')).get(0)!.toJSON().n;
await again.close();
Number(n)`);
    expect(reply.content.status).toBe('ok');
    expect(ofType(iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': '1' });
  });

  it('a type error replies status error with a cell-relative, file-free diagnostic', async () => {
    const { reply, iopub } = await k.execute('const ok = 1;\nconst bad: number = "text";');
    expect(reply.content).toMatchObject({ status: 'error', ename: 'TypeScriptError' });
    expect(reply.content.evalue).toBe("2:7 - error TS2322: Type 'string' is not assignable to type 'number'.");
    const err = ofType(iopub, 'error')[0]!.content;
    expect(err.traceback).toEqual([reply.content.evalue, '    const bad: number = "text";', '          ~~~']);
    expect(JSON.stringify(err)).not.toMatch(/__tslab__|\.ts\b/);
  });

  it('a runtime error replies with its name, message and the cell stack (no kernel frames)', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the cell's own template literal, run by the kernel
    const { reply } = await k.execute('function f(z: number) { if (z > 1) throw new RangeError(`z=${z} out of range`); }\nf(3)');
    expect(reply.content).toMatchObject({ status: 'error', ename: 'RangeError', evalue: 'z=3 out of range' });
    const tb = reply.content.traceback as string[];
    expect(tb[0]).toBe('RangeError: z=3 out of range');
    // frames name the cell's TypeScript, line and column (the `new` of line 1, the call on line 2), not the JavaScript
    expect(tb.filter((l) => /cell-\d+\./.test(l)).map((l) => l.trim().replace(/cell-\d+/, 'cell-N'))).toEqual([
      'at f (cell-N.ts:1:42)',
      'at cell-N.ts:2:1',
    ]);
    expect(tb.join('\n')).not.toContain('dist/kernel');
  });

  it('after an error, execute requests queued behind it are aborted visibly; later ones run', async () => {
    const ids = [
      await k.send('execute_request', { code: 'throw new Error("first fails")', silent: false, store_history: true, stop_on_error: true }),
    ];
    ids.push(await k.send('execute_request', { code: '"queued 1"', silent: false, store_history: true }));
    ids.push(await k.send('execute_request', { code: '"queued 2"', silent: false, store_history: true }));
    const [failed, q1, q2] = await Promise.all(ids.map((id) => k.exchange(id)));
    expect(failed!.reply.content.status).toBe('error');
    for (const q of [q1!, q2!]) {
      expect(q.reply.content.status).toBe('aborted');
      expect(ofType(q.iopub, 'execute_result')).toEqual([]);
      const why = ofType(q.iopub, 'stream')
        .map((m) => m.content.text)
        .join('');
      expect(why).toContain(`cell [${failed!.reply.content.execution_count}] failed`);
      expect(why).toContain('first fails');
    }
    const later = await k.execute('"runs again"');
    expect(later.reply.content.status).toBe('ok');
    expect(ofType(later.iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': "'runs again'" });
  });

  it('a request sent once the failure is seen runs, even when dated the same millisecond as the failure', async () => {
    const failed = await k.exchange(
      await k.send('execute_request', { code: 'throw new Error("fails at t")', silent: false, store_history: true, stop_on_error: true }),
    );
    expect(failed.reply.content.status).toBe('error');
    // The error message is stamped just before the kernel notes the failure's time: the same millisecond, or one before.
    const m = k.wire.message('execute_request', { code: '"sent after seeing it"', silent: false, store_history: true });
    m.header.date = ofType(failed.iopub, 'error')[0]!.header.date;
    await k.shell.send(k.wire.serialize(m));
    const next = await k.exchange(m.header.msg_id);
    expect(next.reply.content.status).toBe('ok');
  });

  it('requests without a usable date are aborted only when they were queued at the failure', async () => {
    const undated = async (code: string) => {
      const m = k.wire.message('execute_request', { code, silent: false, store_history: true, stop_on_error: true });
      m.header.date = '';
      await k.shell.send(k.wire.serialize(m));
      return m.header.msg_id;
    };
    const ids = [await undated('throw new Error("undated failure")'), await undated('"queued, undated"')];
    const [failed, queued] = await Promise.all(ids.map((id) => k.exchange(id)));
    expect(failed!.reply.content.status).toBe('error');
    expect(queued!.reply.content.status).toBe('aborted');
    const next = await k.exchange(await undated('"sent after the failure"'));
    expect(next.reply.content.status).toBe('ok');
  });

  it('imports ESM-only packages (@observablehq/plot, d3) in cells and renders Plot as SVG', async () => {
    const { reply, iopub } = await k.execute(
      [
        'import * as Plot from "@observablehq/plot";',
        'import * as d3 from "d3";',
        'Plot.plot({ marks: [Plot.dot([[1, 2], [3, d3.sum([1, 3])]]), Plot.frame()], document })',
      ].join('\n'),
    );
    expect(reply.content.status).toBe('ok');
    const data = ofType(iopub, 'execute_result')[0]!.content.data as Record<string, string>;
    expect(data['image/svg+xml']).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(data['image/svg+xml']).toContain('<circle');
  });

  it('apache-arrow imported in a cell is the same instance as the preloaded library uses', async () => {
    const { iopub } = await k.execute(
      'import { tableFromArrays, Table } from "apache-arrow";\ntableFromArrays({ x: [1] }) instanceof arrow.Table && Table === arrow.Table',
    );
    expect(ofType(iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': 'true' });
  });

  it('display() publishes display_data with a counter-based display id', async () => {
    const { reply, iopub } = await k.execute('display({ data: [{ type: "bar", x: ["a"], y: [1] }] }); display(1); "done"');
    const n = reply.content.execution_count as number;
    const shown = ofType(iopub, 'display_data').map((m) => m.content);
    expect(shown.map((d) => (d.transient as { display_id: string }).display_id)).toEqual([`skybook-${n}-1`, `skybook-${n}-2`]);
    expect(Object.keys(shown[0]!.data as object).sort()).toEqual(['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    expect((shown[0]!.data as Record<string, string>)['text/html']).toContain(`id="skybook-${n}-1"`);
  });

  it('is_complete, complete and inspect use the TypeScript checker', async () => {
    const inc = await k.request('is_complete_request', { code: 'function f() {' });
    expect(inc.reply.content).toMatchObject({ status: 'incomplete' });
    const comp = await k.request('is_complete_request', { code: 'const q = 1' });
    expect(comp.reply.content).toMatchObject({ status: 'complete' });
    const c = await k.request('complete_request', { code: 'Math.ma', cursor_pos: 7 });
    expect(c.reply.content).toMatchObject({ status: 'ok', cursor_start: 5, cursor_end: 7 });
    expect(c.reply.content.matches).toContain('max');
    const i = await k.request('inspect_request', { code: 'zmax', cursor_pos: 2, detail_level: 0 });
    expect(i.reply.content).toMatchObject({ status: 'ok', found: true });
    expect((i.reply.content.data as Record<string, string>)['text/plain']).toContain('zmax: 1.5');
  });

  it("history_request: the cells run so far, as JupyterLab's console recalls them (tail, range, search)", async () => {
    const first = await k.execute('const historyA = 1');
    await k.execute('const historyB = historyA + 1', { silent: true });
    const last = await k.execute('historyA * 10');
    const [n1, n2] = [first.reply.content.execution_count as number, last.reply.content.execution_count as number];
    const tail = await k.request('history_request', { hist_access_type: 'tail', n: 2, output: false, raw: true });
    expect(tail.reply.content.history).toEqual([
      [1, n1, 'const historyA = 1'],
      [1, n2, 'historyA * 10'],
    ]);
    const range = await k.request('history_request', {
      hist_access_type: 'range',
      session: 0,
      start: n1,
      stop: n1 + 1,
      output: true,
      raw: true,
    });
    expect(range.reply.content.history).toEqual([[1, n1, ['const historyA = 1', null]]]);
    const search = await k.request('history_request', {
      hist_access_type: 'search',
      pattern: 'historyA*',
      n: 10,
      output: false,
      raw: true,
    });
    expect(search.reply.content.history).toEqual([[1, n2, 'historyA * 10']]);
  });

  it('interrupt_request stops an awaiting cell; SIGINT stops a busy loop; the kernel lives on', async () => {
    const id = await k.send('execute_request', { code: 'await new Promise(() => {})', silent: false, store_history: true });
    await k.until(
      () => (k.iopubLog.some((m) => m.parent_header.msg_id === id && m.header.msg_type === 'execute_input') ? true : undefined),
      'the cell to start',
    );
    await k.request('interrupt_request', {}, 'control');
    const hung = await k.exchange(id);
    expect(hung.reply.content).toMatchObject({ status: 'error', ename: 'Interrupted' });

    // The loop writes a marker file synchronously once it runs (stream output could not leave a blocked kernel).
    const mark = join(mkdtempSync(join(tmpdir(), 'skybook-spin-')), 'spinning');
    const loop = await k.send('execute_request', {
      code: `import { writeFileSync } from "node:fs";\n(globalThis as any).spun = 0;\nwriteFileSync(${JSON.stringify(mark)}, "x");\nwhile (true) { (globalThis as any).spun++; }`,
      silent: false,
      store_history: true,
      stop_on_error: false,
    });
    // A reply before the marker means the loop never ran (aborted, or failed to compile): say so now, not at the timeout.
    await k.until(() => {
      if (existsSync(mark)) return true;
      const early = k.replied(loop);
      if (early) throw new Error(`the loop cell replied before it ran: ${JSON.stringify(early.content)}`);
      return undefined;
    }, 'the loop to start');
    k.proc.kill('SIGINT');
    const spun = await k.exchange(loop);
    expect(spun.reply.content.status).toBe('error');
    expect(String(spun.reply.content.evalue)).toMatch(/interrupted/i);
    const after = await k.execute('(globalThis as any).spun > 0');
    expect(ofType(after.iopub, 'execute_result')[0]!.content.data).toEqual({ 'text/plain': 'true' });
  });

  it('shutdown_request replies and the process exits 0', async () => {
    const exited = new Promise<number | null>((r) => k.proc.on('exit', (code) => r(code)));
    const { reply } = await k.request('shutdown_request', { restart: false }, 'control');
    expect(reply.content).toEqual({ status: 'ok', restart: false });
    expect(await exited).toBe(0);
  });
});
