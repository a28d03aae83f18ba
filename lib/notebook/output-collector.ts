import type { Output } from './nbformat.js';
import type { Message } from './wire.js';

/**
 * Turns a cell's iopub messages into nbformat outputs as Jupyter front ends do: consecutive stream text of the same
 * name is merged, `clear_output` (with `wait`) empties the list, `update_display_data` rewrites earlier outputs that
 * share its display_id, and the kernel's `transient` data never reaches the saved notebook.
 *
 * @example
 * const c = new OutputCollector(); c.add(msg); cell.outputs = c.outputs;
 */
export class OutputCollector {
  readonly outputs: Output[] = [];
  private clearPending = false;
  private readonly displays = new Map<string, Output[]>();

  constructor(private readonly onOutput?: (o: Output) => void) {}

  /** Feeds one iopub message; returns true when it was an output (or changed outputs). */
  add(msg: Message): boolean {
    const c = msg.content as Record<string, unknown>;
    const type = msg.header.msg_type;
    if (type === 'clear_output') {
      if (c.wait) this.clearPending = true;
      else this.outputs.length = 0;
      return true;
    }
    if (type === 'update_display_data') {
      const id = (c.transient as { display_id?: string } | undefined)?.display_id;
      for (const o of (id && this.displays.get(id)) || []) {
        o.data = c.data as Record<string, unknown>;
        o.metadata = (c.metadata as Record<string, unknown>) ?? {};
      }
      return true;
    }
    let out: Output;
    switch (type) {
      case 'stream':
        out = { output_type: 'stream', name: c.name as 'stdout' | 'stderr', text: String(c.text ?? '') };
        break;
      case 'display_data':
        out = {
          output_type: 'display_data',
          data: (c.data as Record<string, unknown>) ?? {},
          metadata: (c.metadata as Record<string, unknown>) ?? {},
        };
        break;
      case 'execute_result':
        out = {
          output_type: 'execute_result',
          data: (c.data as Record<string, unknown>) ?? {},
          metadata: (c.metadata as Record<string, unknown>) ?? {},
          execution_count: (c.execution_count as number) ?? null,
        };
        break;
      case 'error':
        out = {
          output_type: 'error',
          ename: String(c.ename ?? 'Error'),
          evalue: String(c.evalue ?? ''),
          traceback: (c.traceback as string[]) ?? [],
        };
        break;
      default:
        return false;
    }
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    this.onOutput?.(out);
    const last = this.outputs[this.outputs.length - 1];
    if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) {
      last.text = (last.text ?? '') + out.text;
      return true;
    }
    this.outputs.push(out);
    const id = (c.transient as { display_id?: string } | undefined)?.display_id;
    if (id && type === 'display_data') this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
    return true;
  }
}
