import { act, fireEvent } from '@testing-library/react';

import { IPanelSettings } from '../settings';
import { formatClock } from '../words/time';
import { ISnapshot } from '../types';
import { recordedAnswer, RECORDED_NOW } from './fixtures';
import { fakeServer } from './utils';
import { renderedView } from './view';

async function renderWith(
  body: ISnapshot,
  panel: Partial<IPanelSettings> = {}
) {
  const { settings } = fakeServer({ snapshot: [{ status: 200, body }] });
  const opened: string[] = [];
  const { view, close } = await renderedView(settings, {
    panel,
    onOpenNotebook: path => opened.push(path)
  });
  const row = (id: number) =>
    view.container.querySelector<HTMLElement>(`[data-session-id="${id}"]`)!;
  return { ...view, row, opened, close };
}

/** The panel on a recorded answer, and the row of session `id` in it. */
async function recordedRow(
  recording: Parameters<typeof recordedAnswer>[0],
  id: number
) {
  const view = await renderWith(recordedAnswer(recording));
  return { view, row: view.row(id) };
}

/** The text of the first element under `element` that `selector` finds. */
function textOf(element: Element, selector: string): string | null | undefined {
  return element.querySelector(selector)?.textContent;
}

let clock: jest.SpyInstance;
beforeEach(() => {
  clock = jest.spyOn(Date, 'now').mockReturnValue(RECORDED_NOW);
});
afterEach(() => clock.mockRestore());

describe('the row of a session that cannot start', () => {
  it("says so and why, keeps Livy's state, shows YARN's words", async () => {
    const { view, row } = await recordedRow('snapshot-cannot-start.json', 1);
    expect(row.classList).toContain('is-cannotStart');
    expect(textOf(row, '.jp-GlueSessions-badge')).toBe('starving');
    const tag = row.querySelector('.jp-GlueSessions-cannotStartTag')!;
    expect(tag.textContent).toBe('cannot start');
    expect(tag.getAttribute('title')).toMatch(/the cluster is full/);
    // Livy's own state, in the meta line and the note.
    expect(textOf(row, '[title="Livy state"]')).toBe('starting');
    expect(textOf(row, '.jp-GlueSessions-row-cannotStartNote > div')).toBe(
      'Livy says starting; its driver asks YARN for 1 core · 1 GiB in queue default.'
    );
    const details = row.querySelector('details.jp-GlueSessions-diagnostics')!;
    expect(textOf(details, 'summary')).toBe(
      'YARN: Application is Activated, waiting for resources to be assigned for AM.'
    );
    expect(textOf(details, '.jp-GlueSessions-diagnostics-text')).toMatch(
      /^\[Sun Dec 06 01:25:50 \+0000 2026\] Application is Activated.*Queue's max capacity \(absolute resource\) = <memory:8192, vCores:6> ;$/
    );
    expect(textOf(row, '.jp-GlueSessions-row-relations')).toBe(
      'livy-session-1 cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5'
    );
    // Opening YARN's words does not select the row.
    act(() => {
      fireEvent.click(details.querySelector('summary')!);
    });
    expect(row.getAttribute('aria-current')).toBeNull();
    // The holder's row has none of it.
    expect(view.row(0).querySelector('.jp-GlueSessions-cannotStartTag')).toBe(
      null
    );
    expect(
      view.row(0).querySelector('.jp-GlueSessions-row-cannotStartNote')
    ).toBeNull();
    view.close();
  });

  it("renders YARN's words as text only", async () => {
    const answer = recordedAnswer('snapshot-cannot-start.json');
    answer.sessions![1].diagnostics =
      '<img src=x onerror="window.pwned=1"> <b>bold</b>. Then more.';
    answer.sessions![1].queue = '<i>q</i>';
    const view = await renderWith(answer);
    const row = view.row(1);
    const note = row.querySelector('.jp-GlueSessions-row-cannotStartNote')!;
    expect(note.querySelector('img, b, i')).toBeNull();
    expect(textOf(row, 'summary')).toBe(
      'YARN: <img src=x onerror="window.pwned=1"> <b>bold</b>.'
    );
    expect(row.textContent).toContain('in queue <i>q</i>.');
    view.close();
  });

  it('keeps the tag when compact, without the notes', async () => {
    const view = await renderWith(
      recordedAnswer('snapshot-cannot-start.json'),
      { compact: true }
    );
    const row = view.row(1);
    expect(textOf(row, '.jp-GlueSessions-cannotStartTag')).toBe('cannot start');
    expect(row.querySelector('.jp-GlueSessions-row-cannotStartNote')).toBe(
      null
    );
    view.close();
  });
});

describe('the row of an orphaned session', () => {
  it('says orphaned, how long, what it holds, and where it came from', async () => {
    const { view, row } = await recordedRow('snapshot-orphaned.json', 4);
    expect(row.classList).toContain('is-orphaned');
    expect(textOf(row, '.jp-GlueSessions-badge')).toBe('orphaned');
    // The badge says it: no second marker, and it is nobody's notebook now.
    expect(row.querySelector('.jp-GlueSessions-orphanTag')).toBeNull();
    expect(row.querySelector('.jp-GlueSessions-ownTag')).toBeNull();
    // Livy's name for it.
    expect(textOf(row, '.jp-GlueSessions-row-livyName')).toBe('forecast');
    const from = row.querySelector<HTMLElement>('.jp-GlueSessions-notebook')!;
    expect(from.textContent).toBe('from forecast.ipynb');
    expect(from.getAttribute('title')).toMatch(
      /^It came from work\/forecast\.ipynb, whose kernel no longer runs it/
    );
    act(() => {
      fireEvent.click(from);
    });
    expect(view.opened).toEqual(['work/forecast.ipynb']);
    expect(textOf(row, '.jp-GlueSessions-row-relations')).toBe(
      'Orphaned for 12 min, holding 1 executor and its driver, starving livy-session-5'
    );
    const at = formatClock('2026-11-24T10:48:00Z', RECORDED_NOW);
    expect(textOf(row, '.jp-GlueSessions-row-idleNote')).toBe(
      `idle 12 min · Livy ends it in 47 min (at ${at})`
    );
    // Stoppable from the panel, as the server says (can_stop).
    expect(textOf(row, '.jp-GlueSessions-stop')).toBe('Stop session');
    // The user's own live notebook keeps its tag.
    expect(textOf(view.row(5), '.jp-GlueSessions-ownTag')).toBe(
      'your notebook'
    );
    expect(view.row(5).querySelector('.jp-GlueSessions-row-idleNote')).toBe(
      null
    );
    view.close();
  });

  it('is marked orphaned whatever its status', async () => {
    const answer = recordedAnswer('snapshot-orphaned.json');
    answer.sessions![0].status = 'waiting';
    const view = await renderWith(answer);
    const tag = view.row(4).querySelector('.jp-GlueSessions-orphanTag');
    expect(tag?.textContent).toBe('orphaned');
    expect(tag?.getAttribute('title')).toMatch(/nobody uses it/);
    expect(textOf(view.row(4), '.jp-GlueSessions-badge')).toBe('waiting');
    view.close();
  });
});

describe("Livy's session name", () => {
  it('is shown where there is one, as text', async () => {
    const answer = recordedAnswer('snapshot-orphaned.json');
    answer.sessions![1].livy_name = '<b>report</b>';
    const view = await renderWith(answer);
    const name = view.row(5).querySelector('.jp-GlueSessions-row-livyName');
    expect(name?.textContent).toBe('<b>report</b>');
    expect(name?.querySelector('b')).toBeNull();
    view.close();
    // Livy names the Spark application after it: the row's name says it once.
    answer.sessions![1].name = '<b>report</b>';
    const same = await renderWith(answer);
    expect(
      same.row(5).querySelector('.jp-GlueSessions-row-livyName')
    ).toBeNull();
    same.close();
    const seed = await renderWith(recordedAnswer('snapshot-cannot-start.json'));
    expect(
      seed.container.querySelector('.jp-GlueSessions-row-livyName')
    ).toBeNull();
    seed.close();
  });
});
