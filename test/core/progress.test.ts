import { describe, expect, it } from 'vitest';
import {
  formatProgress,
  formatSeconds,
  progressOf,
  ProgressTracker,
  recordProgress,
  setProgressHost,
  silentProgress,
  subProgress,
  type ProgressState,
} from '../../lib/core/index.js';

/** A tracker on a clock the test moves, keeping every state it was asked to render. */
class Clocked extends ProgressTracker {
  t = 0;
  rendered: ProgressState[] = [];
  settled: ProgressState[] = [];
  constructor() {
    super(() => this.t);
  }
  protected render(s: ProgressState) {
    this.rendered.push(s);
  }
  protected settle(s: ProgressState) {
    this.settled.push(s);
  }
}

describe('ProgressTracker', () => {
  it('counts, and gives the rate since the start and the seconds left at that rate', () => {
    const p = new Clocked();
    p.start({ label: 'ingest z.fits', total: 1000, unit: 'rows' });
    p.t = 2000;
    p.advance(250, 'batch 1');
    const s = p.state();
    expect(s).toMatchObject({ label: 'ingest z.fits', unit: 'rows', done: 250, total: 1000, detail: 'batch 1', elapsedSeconds: 2 });
    expect(s.rate).toBe(125);
    expect(s.etaSeconds).toBe(6);
    expect(p.rendered).toHaveLength(2);
  });

  it('has no ETA without a total or before any unit is done, and settles once', () => {
    const p = new Clocked();
    p.start({ label: 'scan' });
    expect(p.state().etaSeconds).toBeUndefined();
    p.t = 1000;
    p.advance();
    expect(p.state()).toMatchObject({ done: 1, rate: 1, etaSeconds: undefined, unit: '' });
    p.finish();
    p.finish();
    p.advance(5);
    expect(p.settled).toHaveLength(1);
    expect(p.state().done).toBe(1);
  });

  it('starts each phase from zero', () => {
    const p = new Clocked();
    p.start({ label: 'a', total: 2 });
    p.advance(2);
    p.finish();
    p.start({ label: 'b', total: 3 });
    expect(p.state()).toMatchObject({ label: 'b', done: 0, total: 3 });
  });
});

describe('formatProgress', () => {
  const base: ProgressState = {
    label: 'ingest z.fits',
    unit: 'rows',
    done: 2250,
    total: 5000,
    detail: undefined,
    elapsedSeconds: 2,
    rate: 1125,
    etaSeconds: 2.44,
  };
  it.each([
    [base, {}, 'ingest z.fits  45% 2,250/5,000 rows  1,125 rows/s  ETA 2 s'],
    [{ ...base, detail: 'cell 3' }, {}, 'ingest z.fits  45% 2,250/5,000 rows  1,125 rows/s  ETA 2 s  (cell 3)'],
    [{ ...base, total: undefined, etaSeconds: undefined }, {}, 'ingest z.fits  2,250 rows  1,125 rows/s'],
    [{ ...base, rate: 0, etaSeconds: undefined, done: 0 }, {}, 'ingest z.fits  0% 0/5,000 rows'],
    [base, { final: true }, 'ingest z.fits: 2,250/5,000 rows'],
    [{ ...base, unit: '' }, { final: true }, 'ingest z.fits: 2,250/5,000'],
  ] as const)('%#: %s', (state, opts, line) => {
    expect(formatProgress(state, opts)).toBe(line);
  });

  it.each([
    [0, '0 s'],
    [59.4, '59 s'],
    [185, '3 min 5 s'],
    [7620, '2 h 07 min'],
  ])('formatSeconds(%d) = %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });
});

describe('recording, sub-progress and the host', () => {
  it('records every call and sums what was advanced in the current phase', () => {
    const p = recordProgress();
    p.start({ label: 'x', total: 3 });
    p.advance();
    p.advance(2, 'last');
    p.finish();
    expect(p.events).toEqual([
      { kind: 'start', task: { label: 'x', total: 3 } },
      { kind: 'advance', by: 1 },
      { kind: 'advance', by: 2, detail: 'last' },
      { kind: 'finish' },
    ]);
    expect(p.done()).toBe(3);
  });

  it('a sub-progress passes advances through and leaves start and finish to the owner', () => {
    const p = recordProgress();
    const inner = subProgress(p);
    inner.start({ label: 'inner' });
    inner.advance(4);
    inner.finish();
    expect(p.events).toEqual([{ kind: 'advance', by: 4 }]);
  });

  it('an operation given nothing reports to the host, given false to nobody, given one to that one', () => {
    const mine = recordProgress();
    const made: ReturnType<typeof recordProgress>[] = [];
    setProgressHost(() => {
      const p = recordProgress();
      made.push(p);
      return p;
    });
    try {
      progressOf(undefined).start({ label: 'host' });
      expect(made).toHaveLength(1);
      expect(made[0]!.events[0]).toEqual({ kind: 'start', task: { label: 'host' } });
      expect(progressOf(false)).toBe(silentProgress);
      expect(progressOf(mine)).toBe(mine);
      expect(made).toHaveLength(1);
    } finally {
      setProgressHost(undefined);
    }
    expect(progressOf(undefined)).toBe(silentProgress);
  });
});
