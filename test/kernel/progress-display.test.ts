import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../lib/notebook/index.js';
import { TestKernel } from './kernel-client.js';

// Long work in a cell shows as one display updated in place (lib/core's Progress, rendered by the kernel), and the
// library's display() publishes under the running cell.
let k: TestKernel;
beforeAll(async () => {
  k = await TestKernel.start();
  await k.ready();
}, 120_000);
afterAll(async () => {
  await k?.close();
});

const ofType = (iopub: Message[], type: string) => iopub.filter((m) => m.header.msg_type === type);
const idOf = (m: Message) => (m.content.transient as { display_id?: string } | undefined)?.display_id;
const text = (m: Message) => (m.content.data as Record<string, string>)['text/plain'];

describe('progress and display in the kernel', () => {
  it('an operation given no Progress shows one display, updated in place, settling on a line without timings', async () => {
    const { reply, iopub } = await k.execute(
      [
        'const p = sky.core.progressOf(undefined);',
        "p.start({ label: 'demo', total: 3, unit: 'steps' });",
        "for (let i = 0; i < 3; i++) p.advance(1, 'step ' + i);",
        'p.finish();',
      ].join('\n'),
    );
    expect(reply.content.status).toBe('ok');
    const shown = ofType(iopub, 'display_data');
    expect(shown).toHaveLength(1);
    const id = idOf(shown[0]!);
    expect(id).toMatch(/^skybook-\d+-progress-1$/);
    // marked, so provenance leaves it out of the cell's hash
    expect(shown[0]!.content.metadata).toEqual({ skybook: { progress: true } });
    expect(text(shown[0]!)).toMatch(/^demo {2}0% 0\/3 steps/);
    const updates = ofType(iopub, 'update_display_data');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.every((u) => idOf(u) === id)).toBe(true);
    const last = updates.at(-1)!;
    expect(text(last)).toBe('demo: 3/3 steps');
    expect((last.content.data as Record<string, string>)['text/html']).toContain('<progress value="3" max="3"></progress>');
  });

  it('sky.display and the preloaded display publish a rich output and return its id; false asks for no progress', async () => {
    const { reply, iopub } = await k.execute(
      [
        'const id = display(arrow.tableFromArrays({ z: new Float64Array([0.5, 1.5]) }));',
        "const silent = sky.core.progressOf(false); silent.start({ label: 'quiet' }); silent.finish();",
        '[id, display === sky.display]',
      ].join('\n'),
    );
    expect(reply.content.status).toBe('ok');
    const shown = ofType(iopub, 'display_data');
    expect(shown).toHaveLength(1);
    expect((shown[0]!.content.data as Record<string, string>)['text/html']).toContain('skybook-table');
    const result = ofType(iopub, 'execute_result')[0]!;
    expect(text(result)).toBe(`[ '${idOf(shown[0]!)}', true ]`);
  });
});
