import { act, renderHook } from '@testing-library/react';

import example from '../../docs/snapshot-example.json';
import { ISparklineData, useSparklines } from '../perf/sparklines';
import { MEASURES } from '../perf/timing';
import { reuseUnchanged } from '../reuse';
import { History } from '../snapshot';
import { IHistory } from '../types';
import { sparklineFrame, sparklinePaths } from '../sparkline';
import { ViewState } from '../viewstate';
import { aHistory, modelFor, someSessions } from './fixtures';
import { fakeServer, recordMeasures } from './utils';
import { renderedView, viewOfTwoPolls } from './view';

const copy = <T,>(value: T): T => JSON.parse(JSON.stringify(value));

describe('reuseUnchanged', () => {
  it('keeps every unchanged part of a new answer', () => {
    const before = copy(example) as any;
    const next = copy(example) as any;
    next.endpoint.polled_at = '2026-11-24T10:00:09Z';
    next.sessions[0].running_tasks = 71;
    const kept = reuseUnchanged(before, next);
    expect(kept).not.toBe(before);
    expect(kept.endpoint).not.toBe(before.endpoint);
    expect(kept.endpoint.problems).toBe(before.endpoint.problems);
    expect(kept.cluster).toBe(before.cluster);
    expect(kept.sessions).not.toBe(before.sessions);
    expect(kept.sessions[0]).not.toBe(before.sessions[0]);
    expect(kept.sessions[0].running_tasks).toBe(71);
    expect(kept.sessions[0].starving).toBe(before.sessions[0].starving);
    expect(kept.sessions[1]).toBe(before.sessions[1]);
    expect(kept.advice).toBe(before.advice);
    expect(kept).toEqual(next);
  });

  it('answers the previous value when nothing changed', () => {
    const before = copy(example);
    expect(reuseUnchanged(before, copy(example))).toBe(before);
    expect(reuseUnchanged(null, before)).toBe(before);
    expect(reuseUnchanged(1, 2)).toBe(2);
    expect(reuseUnchanged(NaN, NaN)).toBeNaN();
    expect(reuseUnchanged([1, 2], [1, 2, 3])).toEqual([1, 2, 3]);
    expect(reuseUnchanged({ a: 1 }, [1])).toEqual([1]);
    const obj = { a: 1, b: { c: 2 } };
    expect(reuseUnchanged(obj, { a: 1, b: { c: 2 }, d: undefined })).not.toBe(
      obj
    );
  });

  it('matches sessions by id when they move, and sees removals', () => {
    const a = { id: 1, x: 1 };
    const b = { id: 2, x: 2 };
    const moved = reuseUnchanged([a, b], [copy(b), copy(a)]);
    expect(moved[0]).toBe(b);
    expect(moved[1]).toBe(a);
    const removed = reuseUnchanged([a, b], [copy(a)]);
    expect(removed).toEqual([a]);
    expect(removed[0]).toBe(a);
    const added = reuseUnchanged([a], [copy(a), { id: 3, x: 3 }]);
    expect(added[0]).toBe(a);
    expect(added).toHaveLength(2);
  });

  it('is what the model keeps between polls', async () => {
    const changed = copy(example) as any;
    changed.endpoint.polled_at = '2026-11-24T10:00:09Z';
    changed.sessions[0].pending_tasks = 1;
    const { settings } = fakeServer({
      snapshot: [
        { status: 200, body: example, headers: { ETag: '"a"' } },
        { status: 200, body: changed, headers: { ETag: '"b"' } }
      ]
    });
    const model = modelFor(settings);
    const watch = model.watch();
    await model.refresh();
    const first = model.snapshot!;
    expect(model.receivedAt).not.toBeNull();
    await model.refresh();
    const second = model.snapshot!;
    expect(second).not.toBe(first);
    expect(second.sessions![1]).toBe(first.sessions![1]);
    expect(second.sessions![0]).not.toBe(first.sessions![0]);
    expect(second.sessions![0].pending_tasks).toBe(1);
    watch.dispose();
    model.dispose();
  });
});

describe('useSparklines', () => {
  const sessions = someSessions([{ id: 0 }, { id: 1 }, { id: 2 }]);
  const history = (end: number, last: number): History => {
    const times = [...Array(20).keys()].map(i => end - (19 - i) * 5);
    return aHistory({
      poll_interval: 5,
      times,
      series: {
        '0': times.map(() => 4),
        '1': times.map((_, i) => (i === 19 ? last : 0)),
        '2': times.map(() => null)
      }
    });
  };

  it('keeps a drawing that did not change across polls', () => {
    const { result, rerender } = renderHook(
      ({ h }: { h: History | null }) => useSparklines(h, sessions, 9, 10),
      { initialProps: { h: history(1000, 0) as History | null } }
    );
    const first = result.current;
    expect([...first.keys()]).toEqual([0, 1]);
    expect(first.get(0)?.label).toBe(
      'Executors over the last 10 min: now 4, peak 4'
    );

    // One poll later: the steady session keeps its object, the other changes.
    rerender({ h: history(1005, 3) });
    const second = result.current;
    expect(second.get(0)).toBe(first.get(0));
    expect(second.get(1)).not.toBe(first.get(1));
    expect(second.get(1)?.label).toBe(
      'Executors over the last 10 min: now 3, peak 3'
    );

    // The same values again, at another time: kept once more.
    rerender({ h: history(1010, 3) });
    expect(result.current.get(0)).toBe(first.get(0));
    expect(result.current.get(1)).toBe(second.get(1));

    rerender({ h: null });
    expect(result.current.size).toBe(0);
  });

  it('draws as the sparkline helpers do', () => {
    const { result } = renderHook(() =>
      useSparklines(history(1000, 9), sessions, 9, 10)
    );
    const data = result.current.get(1) as ISparklineData;
    const paths = sparklinePaths(data.frame, data.values);
    expect(paths).toHaveLength(1);
    expect(paths[0].endsWith('72.0,1.0')).toBe(true);
    // The window spans the 10 minutes asked for.
    expect(data.frame.span).toBe(600);
  });
});

describe('many sessions', () => {
  it('marks the view so that rows out of view are not laid out', async () => {
    const renderSessions = async (n: number) => {
      const { settings } = fakeServer({
        snapshot: [
          {
            status: 200,
            body: {
              sessions: [...Array(n).keys()].map(id => ({ id, status: 'ok' }))
            }
          }
        ]
      });
      const { view, close } = await renderedView(settings);
      const root = view.container.querySelector('.jp-GlueSessions-view')!;
      const result = {
        rows: view.container.querySelectorAll('.jp-GlueSessions-row').length,
        many: root.classList.contains('is-many')
      };
      close();
      return result;
    };
    expect(await renderSessions(40)).toEqual({ rows: 40, many: false });
    expect(await renderSessions(200)).toEqual({ rows: 200, many: true });
  });
});

describe('sparklinePaths numbers', () => {
  it('writes coordinates exactly as toFixed(1) does', () => {
    const times: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
      // Ties (x.x5) and plain values, over a 72 x 18 box.
      times.push(i * 0.037 + (i % 7) * 0.05);
      values.push((i * 7919) % 97);
    }
    const max = 96;
    const frame = sparklineFrame(times, {
      width: 72,
      height: 18,
      max,
      start: 0,
      end: 80
    });
    const [path] = sparklinePaths(frame, values);
    const expected = times
      .map(
        (t, i) =>
          `${((t / 80) * 72).toFixed(1)},${(18 - 1 - (Math.min(values[i], max) / max) * 16).toFixed(1)}`
      )
      .join(' ');
    expect(path).toBe(expected);
  });
});

describe('update timing', () => {
  it('measures the update from the response to the commit', async () => {
    const { measures, restore } = recordMeasures();
    const { settings } = fakeServer({
      snapshot: [{ status: 200, body: example }]
    });
    const viewState = new ViewState();
    const { model, view, close } = await renderedView(settings, { viewState });
    expect(
      view.container.querySelectorAll('.jp-GlueSessions-row')
    ).toHaveLength(2);
    const update = measures.filter(m => m.name === MEASURES.update);
    expect(update).toHaveLength(1);
    expect(update[0].start).toBe(model.receivedAt);
    expect(update[0].end).toBeGreaterThanOrEqual(update[0].start);
    expect(measures.filter(m => m.name === MEASURES.commit)).toHaveLength(1);

    // A render without new data is a re-render.
    act(() => viewState.hover(0));
    expect(measures[measures.length - 1].name).toBe(MEASURES.rerender);
    expect(measures.filter(m => m.name === MEASURES.update)).toHaveLength(1);

    close();
    restore();
  });
});

describe('an update of one session', () => {
  it('changes the DOM of that row only, and redraws its sparkline', async () => {
    const changed = copy(example) as any;
    changed.endpoint.polled_at = '2026-11-24T10:00:09Z';
    changed.sessions[0].pending_tasks = 1;
    const history = (last: number): IHistory => ({
      poll_interval: 5,
      times: [1000, 1005, 1010],
      series: { '0': [3, 9, last], '1': [0, 0, 0] }
    });
    const { model, view, close } = await viewOfTwoPolls(changed, history);
    const row = (id: number) =>
      view.container.querySelector<HTMLElement>(`[data-session-id="${id}"]`)!;
    const drawing = (id: number) => {
      const svg = row(id).querySelector('svg')!;
      return {
        label: svg.getAttribute('aria-label'),
        title: svg.querySelector('title')?.textContent,
        points: Array.from(svg.querySelectorAll('polyline')).map(p =>
          p.getAttribute('points')
        )
      };
    };
    const before = drawing(0);
    expect(before.label).toBe('Executors over the last 10 min: now 9, peak 9');
    expect(before.title).toBe(before.label);
    expect(before.points).toHaveLength(1);
    const unchanged = drawing(1);

    const watchRow = (id: number) => {
      const seen: MutationRecord[] = [];
      const observer = new MutationObserver(records => seen.push(...records));
      observer.observe(row(id), {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true
      });
      return {
        takeRecords: () => [...seen, ...observer.takeRecords()],
        disconnect: () => observer.disconnect()
      };
    };
    const hog = watchRow(0);
    const victim = watchRow(1);
    await act(async () => {
      await model.refresh();
    });

    // The session that did not change: its row's DOM is not touched at all.
    expect(victim.takeRecords()).toEqual([]);
    expect(drawing(1)).toEqual(unchanged);
    // The one that changed: its task line and its sparkline, not its <li>.
    const mutations = hog.takeRecords();
    expect(mutations.length).toBeGreaterThan(0);
    expect(mutations.filter(m => m.target === row(0))).toEqual([]);
    expect(row(0).textContent).toContain('72 running, 1 pending tasks');
    const after = drawing(0);
    expect(after.label).toBe('Executors over the last 10 min: now 8, peak 9');
    expect(after.title).toBe(after.label);
    expect(after.points).toHaveLength(1);
    expect(after.points[0]).not.toBe(before.points[0]);
    expect(after.points[0]).toBe(
      sparklinePaths(
        sparklineFrame([1000, 1005, 1010], {
          width: 72,
          height: 18,
          max: 9,
          start: 1010 - 600,
          end: 1010
        }),
        [3, 9, 8]
      )[0]
    );

    hog.disconnect();
    victim.disconnect();
    close();
  });
});
