import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { EndpointsModel } from '../endpoints';
import { findNotebookEndpoint } from '../hints/notebook';
import { EndpointNotifiers } from '../hints/notifiers';
import { SparkHint } from '../hints/widget';
import { forEndpoint } from '../request';
import { IEndpoints, ISnapshot } from '../types';
import { aSnapshot, exampleAnswer, modelFor } from './fixtures';
import { Answer, fakeServer, ICall } from './utils';

const CONFIGURED = 'http://127.0.0.1:8998';
const B = 'http://livy-b.example:8998';
const C = 'http://livy-c.example:8998/livy';

/** The example answer, as another endpoint's snapshot. */
function snapshotOf(url: string): ISnapshot {
  const answer = exampleAnswer();
  answer.endpoint!.url = url;
  return answer;
}

const KERNEL = '5b1c6f0e-3f7a-4c1e-9a53-2f7d4f1e8a10';

/** The example, with its notebook's session moved to another kernel and path. */
function elsewhere(): ISnapshot {
  const answer = exampleAnswer();
  answer.sessions![1].notebook = {
    path: 'other.ipynb',
    kernel_id: 'another-kernel',
    orphaned: false
  };
  return answer;
}

/** Another endpoint's snapshot, saying that its Livy does not answer. */
function unreachable(url: string): ISnapshot {
  const answer = snapshotOf(url);
  answer.endpoint!.reachable = false;
  return answer;
}

/** An endpoints answer: the configured endpoint, then `others`. */
function endpointsAnswer(others: string[], notPolled: string[] = []): Answer {
  const body: IEndpoints = {
    endpoints: [
      {
        id: CONFIGURED,
        configured: true,
        last_used_at: null,
        reachable: true,
        sessions: 2,
        starving: 1
      },
      ...others.map(id => ({
        id,
        configured: false,
        last_used_at: '2026-11-24T09:59:00Z',
        reachable: true,
        sessions: 2,
        starving: 1
      }))
    ],
    max_endpoints: 3,
    not_polled: notPolled
  };
  return { status: 200, body };
}

/** The endpoints model on a fake server answering `table`; nothing polls by itself. */
function endpointsOn(table: { [endPoint: string]: Answer[] }): {
  endpoints: EndpointsModel;
  calls: ICall[];
} {
  const { settings, calls } = fakeServer({
    snapshot: [{ status: 200, body: snapshotOf(CONFIGURED) }],
    [forEndpoint('snapshot', B)]: [{ status: 200, body: snapshotOf(B) }],
    [forEndpoint('snapshot', C)]: [{ status: 200, body: snapshotOf(C) }],
    ...table
  });
  const endpoints = new EndpointsModel({
    serverSettings: settings,
    configured: modelFor(settings),
    autoStart: false
  });
  return { endpoints, calls };
}

const asked = (calls: ICall[], path: string) =>
  calls.filter(c => c.url.endsWith(`/glue-sessions/api/${path}`));

describe('EndpointsModel', () => {
  it('has the configured endpoint only on a server without the API (404), and stops asking', async () => {
    const { endpoints, calls } = endpointsOn({});
    const changes: number[] = [];
    endpoints.changed.connect(() => changes.push(1));
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(endpoints.supported).toBe(false);
    expect(endpoints.entries).toHaveLength(1);
    expect(endpoints.entries[0].model).toBe(endpoints.configured);
    expect(endpoints.entries[0].id).toBeNull();
    expect(endpoints.configured.snapshot?.sessions).toHaveLength(2);
    // The configured endpoint is asked as before: no query.
    expect(asked(calls, 'snapshot').every(c => c.query === '')).toBe(true);
    expect(changes).toHaveLength(0);

    await endpoints.refresh();
    await endpoints.refresh();
    expect(asked(calls, 'endpoints')).toHaveLength(1);
    watch.dispose();
    endpoints.dispose();
  });

  it('makes a model per endpoint listed, and disposes of those that go', async () => {
    const { endpoints, calls } = endpointsOn({
      endpoints: [
        endpointsAnswer([B]),
        endpointsAnswer([C], [B]),
        endpointsAnswer([])
      ]
    });
    const changes: number[] = [];
    endpoints.changed.connect(() => changes.push(1));
    const watch = endpoints.watch();

    await endpoints.refresh();
    expect(endpoints.supported).toBe(true);
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED, B]);
    const [configured, b] = endpoints.entries;
    expect(configured.model).toBe(endpoints.configured);
    expect(configured.ref?.configured).toBe(true);
    expect(b.model.endpoint).toBe(B);
    expect(b.ref?.last_used_at).toBe('2026-11-24T09:59:00Z');
    expect(endpoints.modelOf(B)).toBe(b.model);
    expect(endpoints.modelOf(CONFIGURED)).toBe(endpoints.configured);
    expect(endpoints.modelOf(null)).toBe(endpoints.configured);
    expect(endpoints.modelOf('http://unknown:8998')).toBeNull();
    // Each endpoint's own snapshot.
    expect(b.model.snapshot?.endpoint?.url).toBe(B);
    expect(endpoints.configured.snapshot?.endpoint?.url).toBe(CONFIGURED);
    expect(changes.length).toBeGreaterThanOrEqual(1);

    changes.length = 0;
    await endpoints.refresh();
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED, C]);
    expect(b.model.isDisposed).toBe(true);
    expect(endpoints.notPolled).toEqual([B]);
    expect(endpoints.maxEndpoints).toBe(3);
    expect(endpoints.modelOf(C)?.snapshot?.endpoint?.url).toBe(C);
    expect(changes.length).toBeGreaterThanOrEqual(1);

    const c = endpoints.entries[1].model;
    await endpoints.refresh();
    expect(endpoints.entries).toHaveLength(1);
    expect(c.isDisposed).toBe(true);
    expect(endpoints.configured.isDisposed).toBe(false);
    expect(asked(calls, 'snapshot').map(call => call.query)).toEqual(
      expect.arrayContaining([
        '',
        `?endpoint=${encodeURIComponent(B)}`,
        `?endpoint=${encodeURIComponent(C)}`
      ])
    );
    watch.dispose();
    endpoints.dispose();
  });

  it('emits changed only when the list changes', async () => {
    const { endpoints } = endpointsOn({
      endpoints: [endpointsAnswer([B])]
    });
    const changes: number[] = [];
    endpoints.changed.connect(() => changes.push(1));
    const watch = endpoints.watch();
    await endpoints.refresh();
    await endpoints.refresh();
    await endpoints.refresh();
    expect(changes).toHaveLength(1);
    watch.dispose();
    endpoints.dispose();
  });

  it('asks for the history and stops sessions with ?endpoint=', async () => {
    const { endpoints, calls } = endpointsOn({
      endpoints: [endpointsAnswer([B])],
      [forEndpoint('history', B)]: [
        { status: 200, body: { poll_interval: 5, times: [1], series: {} } }
      ],
      [forEndpoint('sessions/1', B)]: [{ status: 200, body: { stopped: 1 } }]
    });
    const watch = endpoints.watch({ history: true });
    await endpoints.refresh();
    const b = endpoints.modelOf(B)!;
    expect(b.history?.times).toEqual([1]);
    const query = `?endpoint=${encodeURIComponent(B)}`;
    expect(asked(calls, 'history').map(c => c.query)).toContain(query);

    await b.stopSession(1);
    const stop = calls.filter(c => c.method === 'DELETE');
    expect(stop).toHaveLength(1);
    expect(stop[0].url).toMatch(/\/glue-sessions\/api\/sessions\/1$/);
    expect(stop[0].query).toBe(query);
    watch.dispose();
    endpoints.dispose();
  });

  it('watches the models of endpoints listed later, and lets them go', async () => {
    const { endpoints, calls } = endpointsOn({
      endpoints: [endpointsAnswer([]), endpointsAnswer([B])]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(endpoints.entries).toHaveLength(1);
    await endpoints.refresh();
    const b = endpoints.modelOf(B)!;
    // Watched: it asks when refreshed.
    expect(b.snapshot?.endpoint?.url).toBe(B);

    watch.dispose();
    const before = calls.length;
    // Nobody watches: the polls stand by.
    await b.refresh();
    await endpoints.configured.refresh();
    expect(calls.length).toBe(before);
    endpoints.dispose();
    expect(b.isDisposed).toBe(true);
  });

  it('asks for the list again when the configured snapshot changes, or an endpoint is gone', async () => {
    const { endpoints, calls } = endpointsOn({
      endpoints: [endpointsAnswer([B]), endpointsAnswer([])],
      [forEndpoint('snapshot', B)]: [
        { status: 404, body: { code: 404, message: 'Unknown endpoint' } }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    // B answered 404: the list was asked again, and B is gone.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED]);

    const count = asked(calls, 'endpoints').length;
    await endpoints.configured.refresh();
    await new Promise(resolve => setTimeout(resolve, 50));
    // The example answer again, unchanged (no ETag): a new snapshot all the same.
    expect(asked(calls, 'endpoints').length).toBeGreaterThan(count);
    watch.dispose();
    endpoints.dispose();
  });

  it('keeps the last list while the server fails, and sets every refresh interval', async () => {
    const { endpoints } = endpointsOn({
      endpoints: [
        endpointsAnswer([B]),
        { status: 500, body: { code: 500, message: 'boom' } }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    await endpoints.refresh();
    expect(endpoints.supported).toBe(true);
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED, B]);
    endpoints.refreshInterval = 7;
    expect(endpoints.refreshInterval).toBe(7);
    expect(endpoints.modelOf(B)!.refreshInterval).toBe(7);
    expect(endpoints.configured.refreshInterval).toBe(7);
    watch.dispose();
    endpoints.dispose();
  });

  it('ignores malformed entries', async () => {
    const { endpoints } = endpointsOn({
      endpoints: [
        {
          status: 200,
          body: {
            endpoints: [
              { id: CONFIGURED, configured: true },
              { id: 42 },
              { configured: false },
              { id: B, reachable: 'yes', sessions: '3' },
              { id: B }
            ],
            not_polled: ['http://d:8998', 7]
          }
        }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED, B]);
    expect(endpoints.entries[1].ref).toEqual({
      id: B,
      configured: false,
      last_used_at: null,
      reachable: null,
      sessions: null,
      starving: null
    });
    expect(endpoints.notPolled).toEqual(['http://d:8998']);
    expect(endpoints.maxEndpoints).toBeNull();
    watch.dispose();
    endpoints.dispose();
  });
});

describe('findNotebookEndpoint', () => {
  it('finds the session in whichever endpoint has it', () => {
    const a = { name: 'a', snapshot: aSnapshot(elsewhere()) };
    const b = { name: 'b', snapshot: aSnapshot(exampleAnswer()) };
    const found = findNotebookEndpoint([a, b], { kernelId: KERNEL });
    expect(found?.endpoint.name).toBe('b');
    expect(found?.session.id).toBe(1);
    expect(
      findNotebookEndpoint([a, b], { path: '/work/etl.ipynb' })?.endpoint.name
    ).toBe('b');
    expect(findNotebookEndpoint([a, b], { kernelId: 'nobody' })).toBeNull();
    expect(findNotebookEndpoint([], { kernelId: KERNEL })).toBeNull();
  });

  it('prefers the kernel id over the path, then the most urgent', () => {
    const byPath = exampleAnswer();
    byPath.sessions![1].notebook!.kernel_id = 'old-kernel';
    const a = { name: 'a', snapshot: aSnapshot(byPath) };
    const b = { name: 'b', snapshot: aSnapshot(exampleAnswer()) };
    expect(
      findNotebookEndpoint([a, b], { kernelId: KERNEL, path: 'work/etl.ipynb' })
        ?.endpoint.name
    ).toBe('b');

    const calm = exampleAnswer();
    calm.sessions![1].status = 'ok';
    const c = { name: 'c', snapshot: aSnapshot(calm) };
    expect(
      findNotebookEndpoint([c, b], { kernelId: KERNEL })?.endpoint.name
    ).toBe('b');
    // A tie: the first endpoint's.
    expect(
      findNotebookEndpoint([b, { ...b, name: 'b2' }], { kernelId: KERNEL })
        ?.endpoint.name
    ).toBe('b');
  });
});

describe('SparkHint with several endpoints', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it("finds the notebook's session on any endpoint, and says that endpoint's state", async () => {
    const { endpoints } = endpointsOn({
      endpoints: [endpointsAnswer([B])],
      snapshot: [{ status: 200, body: elsewhere() }],
      [forEndpoint('snapshot', B)]: [{ status: 200, body: unreachable(B) }]
    });
    const watch = endpoints.watch();
    const owner = {};
    const sessionContext = {
      session: { kernel: { id: KERNEL, name: 'pysparkkernel' } },
      kernelDisplayName: 'PySpark',
      kernelChanged: new Signal<any, any>(owner),
      sessionChanged: new Signal<any, any>(owner)
    };
    const context = {
      path: 'work/etl.ipynb',
      pathChanged: new Signal<any, string>(owner),
      sessionContext
    } as unknown as DocumentRegistry.Context;
    const opened: [number | null, string | null][] = [];
    const hint = new SparkHint({
      model: endpoints.configured,
      endpoints,
      context,
      onOpen: (id, endpoint) => opened.push([id, endpoint])
    });
    Widget.attach(hint, document.body);
    await endpoints.refresh();
    for (let i = 0; i < 5; i++) {
      await new Promise(resolve => requestAnimationFrame(() => resolve(null)));
    }
    expect(hint.endpoint).toBe(B);
    // B does not answer (its snapshot says so), the configured endpoint does.
    expect(hint.hint.state).toBe('unreachable');
    expect(hint.hint.sessionId).toBe(1);
    expect(hint.hint.title.split('\n')[0]).toBe(`Livy endpoint ${B}`);
    hint.node.querySelector('button')!.click();
    expect(opened).toEqual([[1, B]]);
    hint.dispose();
    watch.dispose();
    endpoints.dispose();
  });
});

describe('EndpointNotifiers', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('notifies about starvation on every endpoint, and withdraws when one goes', async () => {
    let n = 0;
    const warning = jest
      .spyOn(Notification, 'warning')
      .mockImplementation(() => `n${++n}`);
    const dismiss = jest
      .spyOn(Notification, 'dismiss')
      .mockImplementation(() => undefined);
    const list = [endpointsAnswer([B])];
    const { endpoints } = endpointsOn({
      endpoints: list,
      snapshot: [{ status: 200, body: elsewhere() }]
    });
    const shown: [number, string | null][] = [];
    const notifiers = new EndpointNotifiers({
      endpoints,
      onShow: (id, endpoint) => shown.push([id, endpoint]),
      isLive: id => id === KERNEL || id === 'another-kernel'
    });
    expect(notifiers.notifiers.size).toBe(1);
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(notifiers.notifiers.size).toBe(2);
    // bob starves on both: the configured endpoint's and B's notebooks.
    expect(warning).toHaveBeenCalledTimes(2);
    const shows = warning.mock.calls.map(
      ([, options]) => (options as any).actions[0]
    );
    shows.forEach(show => show.callback(new MouseEvent('click')));
    expect(shown).toEqual(
      expect.arrayContaining([
        [1, null],
        [1, B]
      ])
    );

    notifiers.enabled = false;
    expect(dismiss).toHaveBeenCalledTimes(2);
    notifiers.enabled = true;
    expect(warning).toHaveBeenCalledTimes(4);

    list[0] = endpointsAnswer([]);
    await endpoints.refresh();
    expect(notifiers.notifiers.size).toBe(1);
    expect(dismiss).toHaveBeenCalledTimes(3);
    notifiers.dispose();
    watch.dispose();
    endpoints.dispose();
  });
});
