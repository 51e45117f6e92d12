import { Notification } from '@jupyterlab/apputils';
import { EndpointNotifiers } from '../hints/notifiers';
import {
  BOB_KERNEL,
  elsewhere,
  ENDPOINT_B,
  endpointsAnswer,
  endpointsOn
} from './fixtures';

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
    const list = [endpointsAnswer([ENDPOINT_B])];
    const { endpoints } = endpointsOn({
      endpoints: list,
      snapshot: [{ status: 200, body: elsewhere() }]
    });
    const shown: [number, string | null][] = [];
    const notifiers = new EndpointNotifiers({
      endpoints,
      onShow: (id, endpoint) => shown.push([id, endpoint]),
      isLive: id => id === BOB_KERNEL || id === 'another-kernel'
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
        [1, ENDPOINT_B]
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
