import { forEndpoint } from '../request';
import {
  CONFIGURED_ENDPOINT,
  ENDPOINT_B,
  ENDPOINT_C,
  endpointsAnswer,
  endpointsOn
} from './fixtures';
import { ICall } from './utils';

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
        endpointsAnswer([ENDPOINT_B]),
        endpointsAnswer([ENDPOINT_C], [ENDPOINT_B]),
        endpointsAnswer([])
      ]
    });
    const changes: number[] = [];
    endpoints.changed.connect(() => changes.push(1));
    const watch = endpoints.watch();

    await endpoints.refresh();
    expect(endpoints.supported).toBe(true);
    expect(endpoints.entries.map(e => e.id)).toEqual([
      CONFIGURED_ENDPOINT,
      ENDPOINT_B
    ]);
    const [configured, b] = endpoints.entries;
    expect(configured.model).toBe(endpoints.configured);
    expect(configured.ref?.configured).toBe(true);
    expect(b.model.endpoint).toBe(ENDPOINT_B);
    expect(b.ref?.last_used_at).toBe('2026-11-24T09:59:00Z');
    expect(endpoints.modelOf(ENDPOINT_B)).toBe(b.model);
    expect(endpoints.modelOf(CONFIGURED_ENDPOINT)).toBe(endpoints.configured);
    expect(endpoints.modelOf(null)).toBe(endpoints.configured);
    expect(endpoints.modelOf('http://unknown:8998')).toBeNull();
    // Each endpoint's own snapshot.
    expect(b.model.snapshot?.endpoint?.url).toBe(ENDPOINT_B);
    expect(endpoints.configured.snapshot?.endpoint?.url).toBe(
      CONFIGURED_ENDPOINT
    );
    expect(changes.length).toBeGreaterThanOrEqual(1);

    changes.length = 0;
    await endpoints.refresh();
    expect(endpoints.entries.map(e => e.id)).toEqual([
      CONFIGURED_ENDPOINT,
      ENDPOINT_C
    ]);
    expect(b.model.isDisposed).toBe(true);
    expect(endpoints.notPolled).toEqual([ENDPOINT_B]);
    expect(endpoints.maxEndpoints).toBe(3);
    expect(endpoints.modelOf(ENDPOINT_C)?.snapshot?.endpoint?.url).toBe(
      ENDPOINT_C
    );
    expect(changes.length).toBeGreaterThanOrEqual(1);

    const c = endpoints.entries[1].model;
    await endpoints.refresh();
    expect(endpoints.entries).toHaveLength(1);
    expect(c.isDisposed).toBe(true);
    expect(endpoints.configured.isDisposed).toBe(false);
    expect(asked(calls, 'snapshot').map(call => call.query)).toEqual(
      expect.arrayContaining([
        '',
        `?endpoint=${encodeURIComponent(ENDPOINT_B)}`,
        `?endpoint=${encodeURIComponent(ENDPOINT_C)}`
      ])
    );
    watch.dispose();
    endpoints.dispose();
  });

  it('emits changed only when the list changes', async () => {
    const { endpoints } = endpointsOn({
      endpoints: [endpointsAnswer([ENDPOINT_B])]
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
      endpoints: [endpointsAnswer([ENDPOINT_B])],
      [forEndpoint('history', ENDPOINT_B)]: [
        { status: 200, body: { poll_interval: 5, times: [1], series: {} } }
      ],
      [forEndpoint('sessions/1', ENDPOINT_B)]: [
        { status: 200, body: { stopped: 1 } }
      ]
    });
    const watch = endpoints.watch({ history: true });
    await endpoints.refresh();
    const b = endpoints.modelOf(ENDPOINT_B)!;
    expect(b.history?.times).toEqual([1]);
    const query = `?endpoint=${encodeURIComponent(ENDPOINT_B)}`;
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
      endpoints: [endpointsAnswer([]), endpointsAnswer([ENDPOINT_B])]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(endpoints.entries).toHaveLength(1);
    await endpoints.refresh();
    const b = endpoints.modelOf(ENDPOINT_B)!;
    // Watched: it asks when refreshed.
    expect(b.snapshot?.endpoint?.url).toBe(ENDPOINT_B);

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
      endpoints: [endpointsAnswer([ENDPOINT_B]), endpointsAnswer([])],
      [forEndpoint('snapshot', ENDPOINT_B)]: [
        { status: 404, body: { code: 404, message: 'Unknown endpoint' } }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    // B answered 404: the list was asked again, and B is gone.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(endpoints.entries.map(e => e.id)).toEqual([CONFIGURED_ENDPOINT]);

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
        endpointsAnswer([ENDPOINT_B]),
        { status: 500, body: { code: 500, message: 'boom' } }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    await endpoints.refresh();
    expect(endpoints.supported).toBe(true);
    expect(endpoints.entries.map(e => e.id)).toEqual([
      CONFIGURED_ENDPOINT,
      ENDPOINT_B
    ]);
    endpoints.refreshInterval = 7;
    expect(endpoints.refreshInterval).toBe(7);
    expect(endpoints.modelOf(ENDPOINT_B)!.refreshInterval).toBe(7);
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
              { id: CONFIGURED_ENDPOINT, configured: true },
              { id: 42 },
              { configured: false },
              { id: ENDPOINT_B, reachable: 'yes', sessions: '3' },
              { id: ENDPOINT_B }
            ],
            not_polled: ['http://d:8998', 7]
          }
        }
      ]
    });
    const watch = endpoints.watch();
    await endpoints.refresh();
    expect(endpoints.entries.map(e => e.id)).toEqual([
      CONFIGURED_ENDPOINT,
      ENDPOINT_B
    ]);
    expect(endpoints.entries[1].ref).toEqual({
      id: ENDPOINT_B,
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
