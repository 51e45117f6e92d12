import example from '../../docs/snapshot-example.json';
import { requestAPI } from '../model/request';
import { modelOn } from './fixtures';
import { fakeServer } from './utils';

const HISTORY = {
  poll_interval: 5,
  times: [1, 2],
  series: { '0': [9, 9], '1': [0, 0] }
};

const makeModel = modelOn;

describe('GlueSessionsModel', () => {
  it('loads the snapshot, then asks with If-None-Match and keeps it on 304', async () => {
    const { model, calls } = makeModel({
      snapshot: [
        { status: 200, body: example, headers: { ETag: '"abc"' } },
        { status: 304 }
      ]
    });
    const changes: unknown[] = [];
    model.snapshotChanged.connect((_, s) => changes.push(s));
    expect(model.loading).toBe(true);

    const watch = model.watch();
    await model.refresh();
    expect(model.loading).toBe(false);
    expect(model.snapshot?.sessions?.length).toBe(2);
    expect(model.error).toBeNull();
    expect(model.lastCheckedAt).not.toBeNull();
    expect(changes).toHaveLength(1);
    expect(calls[0].headers.get('If-None-Match')).toBeNull();

    await model.refresh();
    const snapshotCalls = calls.filter(c => c.url.endsWith('/snapshot'));
    expect(snapshotCalls.length).toBeGreaterThanOrEqual(2);
    expect(
      snapshotCalls[snapshotCalls.length - 1].headers.get('If-None-Match')
    ).toBe('"abc"');
    expect(changes).toHaveLength(1);
    expect(model.snapshot?.sessions?.length).toBe(2);
    watch.dispose();
    model.dispose();
  });

  it('asks for the history only for watchers that want it', async () => {
    const { model, calls } = makeModel({
      snapshot: [{ status: 200, body: example }],
      history: [{ status: 200, body: HISTORY }]
    });
    const plain = model.watch();
    await model.refresh();
    expect(calls.some(c => c.url.endsWith('/history'))).toBe(false);
    expect(model.history).toBeNull();

    const withHistory = model.watch({ history: true });
    await model.refresh();
    expect(calls.some(c => c.url.endsWith('/history'))).toBe(true);
    expect(model.history?.series?.['0']).toEqual([9, 9]);
    plain.dispose();
    withHistory.dispose();
    model.dispose();
  });

  it('stops asking for the history of a server that has none', async () => {
    const { model, calls } = makeModel({
      snapshot: [{ status: 200, body: example }]
    });
    const watch = model.watch({ history: true });
    await model.refresh();
    expect(model.historySupported).toBe(false);
    expect(model.error).toBeNull();
    await model.refresh();
    expect(calls.filter(c => c.url.endsWith('/history'))).toHaveLength(1);
    watch.dispose();
    model.dispose();
  });

  it.each([
    [
      { status: 404, body: { code: 404, message: 'Not Found' } },
      'missing',
      404
    ],
    [
      {
        status: 503,
        body: {
          code: 503,
          message: 'the first poll of the endpoint has not finished'
        }
      },
      'starting',
      503
    ],
    [{ status: 403, body: { code: 403, message: 'Forbidden' } }, 'auth', 403],
    [{ status: 500, body: 'oops' }, 'server', 500],
    ['network', 'network', null]
  ] as const)('classifies failures: %p', async (answer, kind, status) => {
    const { model } = makeModel({ snapshot: [answer as any] });
    const watch = model.watch();
    await model.refresh();
    expect(model.error?.kind).toBe(kind);
    expect(model.error?.status).toBe(status);
    expect(model.loading).toBe(false);
    expect(model.snapshot).toBeNull();
    watch.dispose();
    model.dispose();
  });

  it('keeps the last snapshot when the server stops answering, and recovers', async () => {
    const { model } = makeModel({
      snapshot: [
        { status: 200, body: example, headers: { ETag: '"1"' } },
        'network',
        { status: 304 }
      ]
    });
    const watch = model.watch();
    await model.refresh();
    await model.refresh();
    expect(model.error?.kind).toBe('network');
    expect(model.snapshot?.sessions?.length).toBe(2);
    await model.refresh();
    expect(model.error).toBeNull();
    watch.dispose();
    model.dispose();
  });

  it('rejects a body that is not JSON', async () => {
    const { model } = makeModel({
      snapshot: [{ status: 200, body: '<html>login</html>' }]
    });
    const watch = model.watch();
    await model.refresh();
    expect(model.error?.kind).toBe('server');
    watch.dispose();
    model.dispose();
  });

  it('keeps the refresh interval at one second at least', () => {
    const { model } = makeModel({});
    model.refreshInterval = 0.1;
    expect(model.refreshInterval).toBe(1);
    model.refreshInterval = 10;
    expect(model.refreshInterval).toBe(10);
    model.dispose();
    expect(model.isDisposed).toBe(true);
  });
});

describe('requestAPI', () => {
  it('answers the JSON body', async () => {
    const { settings } = fakeServer({
      history: [{ status: 200, body: HISTORY }]
    });
    await expect(requestAPI('history', settings)).resolves.toEqual(HISTORY);
  });

  it('throws the server message', async () => {
    const { settings } = fakeServer({
      snapshot: [{ status: 500, body: { code: 500, message: 'boom' } }]
    });
    await expect(requestAPI('snapshot', settings)).rejects.toThrow('boom');
  });
});
