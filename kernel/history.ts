/** One executed cell as the history keeps it: its execution count and code. */
export interface HistoryEntry {
  line: number;
  input: string;
}

/** What a history_request asks (Jupyter messaging 5.x). */
export interface HistoryQuery {
  output?: boolean;
  hist_access_type?: 'tail' | 'range' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** This kernel's session number in history replies: one process, one session (as ipykernel numbers the current one 0 in requests). */
const SESSION = 1;

/**
 * The cells this kernel ran, for history_request: what JupyterLab's console recalls with the up arrow and what
 * `%history`-style tools list. Kept in memory for the kernel's life (a restart is a new process and a new history).
 *
 * @example
 * const h = new CellHistory(); h.add(1, 'const x = 1'); h.reply({ hist_access_type: 'tail', n: 1 }) // [[1, 1, 'const x = 1']]
 */
export class CellHistory {
  readonly #entries: HistoryEntry[] = [];

  /** Records a cell that ran with `store_history`. */
  add(line: number, input: string): void {
    this.#entries.push({ line, input });
  }

  /**
   * The reply's `history`: `[session, line, input]` triples (or `[session, line, [input, null]]` with `output`: outputs
   * are not kept), for `tail` (the last n), `range` (lines start <= line < stop of this session) or `search` (a glob
   * with `*` and `?`, newest n, unique inputs when asked).
   */
  reply(q: HistoryQuery): [number, number, string | [string, null]][] {
    let picked: HistoryEntry[];
    const type = q.hist_access_type ?? 'tail';
    if (type === 'range') {
      const start = q.start ?? 1;
      const stop = q.stop ?? Number.POSITIVE_INFINITY;
      picked = this.#entries.filter((e) => e.line >= start && e.line < stop);
    } else if (type === 'search') {
      const re = globRegExp(q.pattern ?? '*');
      picked = this.#entries.filter((e) => re.test(e.input));
      if (q.unique) picked = picked.filter((e, i) => !picked.slice(i + 1).some((later) => later.input === e.input));
      if (q.n) picked = picked.slice(-q.n);
    } else picked = q.n === undefined ? [...this.#entries] : q.n > 0 ? this.#entries.slice(-q.n) : [];
    return picked.map((e) => [SESSION, e.line, q.output ? [e.input, null] : e.input]);
  }
}

function globRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
