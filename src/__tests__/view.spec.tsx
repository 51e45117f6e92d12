import { act, fireEvent, screen } from '@testing-library/react';

import example from '../../docs/snapshot-example.json';
import { IPanelSettings } from '../settings';
import { ViewState } from '../viewstate';
import { fakeServer } from './utils';
import { renderedView } from './view';

async function renderWith(
  body: unknown,
  settings: Partial<IPanelSettings> = {},
  status = 200
) {
  const { settings: serverSettings } = fakeServer({
    snapshot: [{ status, body }],
    history: [
      {
        status: 200,
        body: {
          poll_interval: 5,
          times: [1000, 1005, 1010],
          series: { '0': [3, 9, 9], '1': [0, 0, 0] }
        }
      }
    ]
  });
  const viewState = new ViewState();
  const opened: string[] = [];
  const { model, view, close } = await renderedView(serverSettings, {
    history: true,
    viewState,
    panel: settings,
    onOpenNotebook: path => opened.push(path)
  });
  return { ...view, model, viewState, opened, cleanup: close };
}

function rows(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll('.jp-GlueSessions-row'));
}

describe('GlueSessionsView', () => {
  it('shows the seed scenario: rows, badges, sentence, advice', async () => {
    const { container, opened, cleanup } = await renderWith(example);

    const r = rows(container);
    expect(r.map(x => x.dataset.sessionId)).toEqual(['1', '0']);
    expect(
      r.map(x => x.querySelector('.jp-GlueSessions-badge')?.textContent)
    ).toEqual(['starving', 'hogging']);
    expect(r[0].classList).toContain('is-own');
    expect(r[1].classList).not.toContain('is-own');
    expect(r[0].textContent).toContain('0 / fair 4.5 / need 5');
    expect(r[1].textContent).toContain('9 / fair 4.5 / need 63');
    expect(r[1].textContent).toContain('72 cores');
    expect(r[1].textContent).toContain('90 GiB');
    expect(r[1].textContent).toContain('100% of cluster');
    expect(r[1].textContent).toContain('72 running, 428 pending tasks');
    expect(r[0].textContent).toMatch(
      /Starving for \d+ [a-z]+( \d+ [a-z]+)?, starved by livy-session-0/
    );
    expect(r[1].textContent).toContain('starving livy-session-1');

    expect(container.textContent).toContain('9 of 9 executors in use');
    expect(container.textContent).toContain('G.1X · 10 workers');
    const sentence = container.querySelector('.jp-GlueSessions-sentence');
    expect(sentence?.textContent).toMatch(
      /^livy-session-1 \(bob, etl\.ipynb\) has waited .+ with 0 of its fair 4\.5 executors: livy-session-0 \(alice\) holds 9 of 9$/
    );

    const pre = container.querySelector('.jp-GlueSessions-advice pre');
    expect(pre?.textContent).toBe(
      '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "4"}}'
    );
    // One cell per advice with a cell: the hog's and the general one.
    expect(screen.getAllByRole('button', { name: 'Copy cell' })).toHaveLength(
      2
    );
    expect(container.textContent).toContain(
      'Restart livy-session-0 with at most 4 executors.'
    );

    const links = Array.from(
      container.querySelectorAll<HTMLAnchorElement>('.jp-GlueSessions-row a')
    );
    expect(links.map(a => a.textContent)).toEqual(['Spark UI', 'Spark UI']);
    links.forEach(a => expect(a.rel).toContain('noopener'));

    expect(
      container.querySelector('.jp-GlueSessions-problems')?.textContent
    ).toContain('Spark UI did not answer');
    expect(
      container.querySelectorAll('.jp-GlueSessions-sparkline polyline').length
    ).toBe(2);

    fireEvent.click(screen.getByRole('button', { name: 'etl.ipynb' }));
    expect(opened).toEqual(['work/etl.ipynb']);
    cleanup();
  });

  it('renders the seed cluster and rows as before the capacity fields', async () => {
    // The Galata screenshots use the seed: fields absent, null, zero or equal to
    // the cluster's must add nothing to the panel.
    const { container, cleanup } = await renderWith(example);
    expect(
      container.querySelector('.jp-GlueSessions-cluster')?.textContent
    ).toBe(
      '9 of 9 executors in use' +
        'G.1X · 10 workers · 8 cores/executor · capacity from worker-type' +
        '#0 alice'
    );
    for (const selector of [
      '.jp-GlueSessions-cluster-drivers',
      '.jp-GlueSessions-cluster-note',
      '.jp-GlueSessions-execBar-starting',
      '.jp-GlueSessions-execBar-startingText',
      '.jp-GlueSessions-row-pending'
    ]) {
      expect(container.querySelector(selector)).toBeNull();
    }
    const [bob, alice] = rows(container);
    expect(alice.querySelector('.jp-GlueSessions-row-stats')?.textContent).toBe(
      '72 cores90 GiB100% of cluster'
    );
    expect(
      bob.querySelector('.jp-GlueSessions-execBar-text')?.textContent
    ).toBe('0 / fair 4.5 / need 5');
    cleanup();
  });

  it('shows drivers, the capacity note, starting executors and pending containers', async () => {
    const snap = JSON.parse(JSON.stringify(example));
    Object.assign(snap.cluster, {
      drivers: 2,
      driver_cores: 2,
      driver_memory_mb: 2048,
      total_cores: 80,
      total_memory_mb: 163840,
      note: "Capacity from Glue's worker-type table (G.1X x 10): <b>YARN</b> is not configured."
    });
    Object.assign(snap.sessions[0], {
      registered_executors: 7,
      starting_executors: 2,
      driver_cores: 1,
      driver_memory_mb: 1024
    });
    Object.assign(snap.sessions[1], {
      pending_containers: 6,
      executor_cores: 4,
      executor_memory_mb: 4096
    });
    const { container, cleanup } = await renderWith(snap);

    const drivers = container.querySelector('.jp-GlueSessions-cluster-drivers');
    expect(drivers?.textContent).toBe('2 drivers hold 2 cores · 2 GiB');
    expect(drivers?.getAttribute('title')).toContain(
      'Cluster total: 80 cores · 160 GiB.'
    );
    const note = container.querySelector('.jp-GlueSessions-cluster-note');
    expect(note?.textContent).toBe(
      "Capacity from Glue's worker-type table (G.1X x 10): <b>YARN</b> is not configured."
    );
    expect(
      container.querySelector('.jp-GlueSessions-cluster b')
    ).not.toBeNull();
    expect(note?.querySelector('b')).toBeNull();
    // The bar still counts executor slots.
    expect(container.textContent).toContain('9 of 9 executors in use');

    const [bob, alice] = rows(container);
    expect(
      alice.querySelector('.jp-GlueSessions-execBar-text')?.textContent
    ).toBe('9 (2 starting) / fair 4.5 / need 63');
    expect(
      alice
        .querySelector('.jp-GlueSessions-execBar')
        ?.getAttribute('aria-label')
    ).toBe(
      'livy-session-0 holds 9 executors (2 still starting); fair share 4.5, needs 63'
    );
    const striped = alice.querySelector<HTMLElement>(
      '.jp-GlueSessions-execBar-starting'
    );
    expect(striped?.style.left).toBe(`${(7 / 9) * 100}%`);
    expect(striped?.style.width).toBe(`${(2 / 9) * 100}%`);
    expect(
      alice
        .querySelector('.jp-GlueSessions-row-stats span')
        ?.getAttribute('title')
    ).toBe('cores held; the driver takes 1 core · 1 GiB');
    expect(alice.querySelector('.jp-GlueSessions-row-pending')).toBeNull();

    expect(bob.querySelector('.jp-GlueSessions-row-stats')?.textContent).toBe(
      '0 cores0 MiB4 cores · 4 GiB per executor0% of cluster6 containers pending'
    );
    expect(bob.querySelector('.jp-GlueSessions-execBar-starting')).toBeNull();
    cleanup();
  });

  it('highlights who starves the hovered session and whom it starves', async () => {
    const { container, cleanup } = await renderWith(example);
    const [bob, alice] = rows(container);
    act(() => {
      fireEvent.mouseEnter(bob);
    });
    expect(bob.classList).toContain('is-focus');
    expect(alice.classList).toContain('is-culprit');
    expect(alice.textContent).toContain('starves it');
    act(() => {
      fireEvent.mouseLeave(bob);
      fireEvent.mouseEnter(alice);
    });
    expect(bob.classList).toContain('is-victim');
    expect(bob.textContent).toContain('starved by it');
    cleanup();
  });

  it('selects rows with the keyboard and moves between them', async () => {
    const { container, viewState, cleanup } = await renderWith(example);
    const [bob, alice] = rows(container);
    expect(bob.tabIndex).toBe(0);
    act(() => {
      fireEvent.keyDown(bob, { key: 'Enter' });
    });
    expect(viewState.selected).toBe(1);
    expect(bob.getAttribute('aria-current')).toBe('true');
    act(() => {
      bob.focus();
    });
    act(() => {
      fireEvent.keyDown(bob, { key: 'ArrowDown' });
    });
    expect(document.activeElement).toBe(alice);
    cleanup();
  });

  it('renders server text as text and links only http(s)', async () => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const snap = {
      endpoint: { url: 'javascript:alert(1)', reachable: true },
      sessions: [
        {
          id: 3,
          owner: evil,
          status: 'hogging',
          notebook: { path: `dir/${evil}.ipynb` },
          spark_ui_url: 'javascript:alert(1)',
          driver_log_url: 'https://example.org/log',
          error: evil
        }
      ],
      advice: [{ session: 3, text: evil, reason: evil, configure: evil }]
    };
    const { container, cleanup } = await renderWith(snap);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain(evil);
    const links = Array.from(container.querySelectorAll('a'));
    expect(links.map(a => a.getAttribute('href'))).toEqual([
      'https://example.org/log'
    ]);
    expect((window as any).pwned).toBeUndefined();
    cleanup();
  });

  it('never crashes on missing or null fields', async () => {
    const snap = {
      endpoint: null,
      cluster: null,
      sessions: [
        { id: 0 },
        { id: 1, status: null, executors: null, notebook: null },
        null,
        { name: 'no id' }
      ],
      starvation: [{ session: 1, by: null }, null],
      advice: null
    };
    const { container, cleanup } = await renderWith(snap);
    expect(rows(container)).toHaveLength(2);
    expect(container.textContent).toContain('livy-session-0');
    expect(
      container.querySelector('.jp-GlueSessions-sentence')?.textContent
    ).toBe('livy-session-1 is waiting');
    cleanup();

    const empty = await renderWith({});
    expect(empty.container.textContent).toContain('No Livy sessions');
    empty.cleanup();
  });

  it('says when the endpoint is down and what to do', async () => {
    const { container, cleanup } = await renderWith({
      endpoint: {
        url: 'http://127.0.0.1:18998',
        reachable: false,
        error: 'Connection refused',
        down_since: '2026-11-24T09:50:00Z'
      },
      cluster: { max_executors: 9, executors_in_use: 0 },
      sessions: []
    });
    expect(container.textContent).toContain('Unreachable');
    expect(container.textContent).toContain('Connection refused');
    expect(container.textContent).toContain(
      'The Livy endpoint does not answer'
    );
    expect(container.textContent).toContain('c.GlueSessions.livy_url');
    expect(container.textContent).not.toContain('No Livy sessions');
    cleanup();
  });

  it('says when the server extension is missing', async () => {
    const { container, cleanup } = await renderWith(
      { code: 404, message: 'Not Found' },
      {},
      404
    );
    expect(container.textContent).toContain(
      'The glue-sessions server extension is not enabled'
    );
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
    cleanup();
  });

  it('hides idle sessions when asked, and compacts rows', async () => {
    const snap = {
      sessions: [
        { id: 0, status: 'idle', executors: 0 },
        { id: 1, status: 'ok', executors: 2, cores: 8 }
      ]
    };
    const { container, cleanup } = await renderWith(snap, {
      showIdleSessions: false,
      compact: true
    });
    expect(rows(container).map(r => r.dataset.sessionId)).toEqual(['1']);
    expect(container.textContent).toContain('1 idle session hidden.');
    expect(container.textContent).not.toContain('8 cores');
    cleanup();
  });

  it('focuses the session asked for, or says it is not live', async () => {
    const { container, viewState, cleanup } = await renderWith(example);
    act(() => viewState.focus(0));
    const alice = rows(container).find(r => r.dataset.sessionId === '0');
    expect(document.activeElement).toBe(alice);
    expect(alice?.classList).toContain('is-selected');
    act(() => viewState.focus(42));
    expect(container.textContent).toContain('livy-session-42 is not live');
    cleanup();
  });
});
