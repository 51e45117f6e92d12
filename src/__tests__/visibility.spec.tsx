import { act } from '@testing-library/react';

import { MEASURES } from '../perf/timing';
import { RowVisibility } from '../perf/visibility';
import { IHistory } from '../types';
import { exampleAnswer } from './fixtures';
import { recordMeasures } from './utils';
import { viewOfTwoPolls } from './view';

/**
 * An IntersectionObserver whose entries the test sends (jsdom has none).
 */
class FakeObserver {
  static last: FakeObserver | null = null;
  constructor(callback: (entries: any[]) => void) {
    this.callback = callback;
    FakeObserver.last = this;
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  /** Tell the observer which targets are in view. */
  send(inView: (target: Element) => boolean): void {
    this.callback(
      [...this.targets].map(target => ({
        target,
        isIntersecting: inView(target)
      }))
    );
  }
  callback: (entries: any[]) => void;
  targets = new Set<Element>();
}

/**
 * Install `observer` as the IntersectionObserver (undefined: none) and
 * record the User Timing measures (jsdom has none); `restore` undoes both.
 */
function stubs(observer: typeof FakeObserver | undefined) {
  const g = globalThis as any;
  const saved = g.IntersectionObserver;
  g.IntersectionObserver = observer;
  FakeObserver.last = null;
  const { onMeasure, restore } = recordMeasures();
  return {
    onMeasure,
    restore: () => {
      g.IntersectionObserver = saved;
      restore();
    }
  };
}

describe('RowVisibility', () => {
  let restore = () => undefined as void;
  afterEach(() => restore());

  it('says a row is in view until the browser says otherwise', () => {
    restore = stubs(FakeObserver).restore;
    const visibility = new RowVisibility();
    const a = document.createElement('li');
    const b = document.createElement('li');
    expect(visibility.inView(1)).toBe(true);
    visibility.watch(1, a);
    visibility.watch(2, b);
    const observer = FakeObserver.last!;
    expect([...observer.targets]).toEqual([a, b]);
    observer.send(target => target === b);
    expect(visibility.inView(1)).toBe(false);
    expect(visibility.inView(2)).toBe(true);

    // A new element for the same row: the old one is no longer watched,
    // and the row counts as in view until the browser tells.
    const a2 = document.createElement('li');
    visibility.watch(1, a2);
    expect([...observer.targets]).toEqual([b, a2]);
    expect(visibility.inView(1)).toBe(true);
    visibility.watch(2, null);
    expect([...observer.targets]).toEqual([a2]);
    visibility.dispose();
    expect(observer.targets.size).toBe(0);
  });

  it('counts every row as in view without IntersectionObserver', () => {
    restore = stubs(undefined).restore;
    const visibility = new RowVisibility();
    visibility.watch(1, document.createElement('li'));
    expect(visibility.inView(1)).toBe(true);
  });
});

describe('an update of rows in and out of view', () => {
  let restore = () => undefined as void;
  afterEach(() => restore());

  const changed = exampleAnswer() as any;
  changed.endpoint.polled_at = '2026-11-24T10:00:09Z';
  changed.sessions[0].pending_tasks = 1;
  changed.sessions[1].pending_tasks = 2;
  const history = (last: number): IHistory => ({
    poll_interval: 5,
    times: [1000, 1005, 1010],
    series: { '0': [3, 9, last], '1': [1, 1, last] }
  });

  /**
   * The tasks line and sparkline label of both rows when the update's
   * measure is taken (rows in view committed) and when the settled one is
   * (every row committed), with `inView` saying which rows are in view.
   */
  async function update(
    observer: typeof FakeObserver | undefined,
    inView: (id: number) => boolean
  ) {
    const stub = stubs(observer);
    restore = stub.restore;
    const { model, view, close } = await viewOfTwoPolls(changed, history);
    const shown = () =>
      [0, 1].map(id => {
        const row = view.container.querySelector(`[data-session-id="${id}"]`)!;
        return [
          row.querySelector('.jp-GlueSessions-row-tasks')?.textContent ?? '',
          row.querySelector('svg')?.getAttribute('aria-label') ?? ''
        ];
      });
    FakeObserver.last?.send(target =>
      inView(Number(target.getAttribute('data-session-id')))
    );
    const seen: { [name: string]: string[][] } = {};
    for (const name of [MEASURES.update, MEASURES.settled]) {
      stub.onMeasure[name] = () => {
        seen[name] = shown();
      };
    }
    await act(async () => {
      await model.refresh();
    });
    const after = shown();
    close();
    return { seen, after };
  }

  const before = [
    ['72 running, 428 pending tasks', 'now 9, peak 9'],
    ['0 running, 40 pending tasks', 'now 9, peak 9']
  ];
  const now = [
    ['72 running, 1 pending tasks', 'now 8, peak 9'],
    ['0 running, 2 pending tasks', 'now 8, peak 8']
  ];
  const label = (row: string[]) => [
    row[0],
    row[1].replace('Executors over the last 10 min: ', '')
  ];

  it('shows the new data in view first, the rest in a second commit', async () => {
    const { seen, after } = await update(FakeObserver, id => id === 0);
    expect(seen[MEASURES.update].map(label)).toEqual([now[0], before[1]]);
    expect(seen[MEASURES.settled].map(label)).toEqual(now);
    expect(after.map(label)).toEqual(now);
  });

  it('shows every row at once when all are in view or none is known', async () => {
    for (const observer of [FakeObserver, undefined]) {
      const { seen } = await update(observer, () => true);
      expect(seen[MEASURES.update].map(label)).toEqual(now);
      expect(seen[MEASURES.settled].map(label)).toEqual(now);
    }
  });
});
