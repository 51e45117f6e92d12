import { act } from '@testing-library/react';
import { IHistory } from '../types';
import { sparklineFrame, sparklinePaths } from '../geometry/sparkline';
import { exampleAnswer } from './fixtures';
import { fakeServer } from './utils';
import { renderedView, viewOfTwoPolls } from './view';

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

describe('an update of one session', () => {
  it('changes the DOM of that row only, and redraws its sparkline', async () => {
    const changed = exampleAnswer() as any;
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
