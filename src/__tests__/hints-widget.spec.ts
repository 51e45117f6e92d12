import { Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { StarvationNotifier } from '../hints/notifier';
import { SparkHint } from '../hints/widget';
import {
  BOB_KERNEL,
  elsewhere,
  ENDPOINT_B,
  endpointsAnswer,
  endpointsOn,
  EXAMPLE_ANSWER,
  modelOn,
  unreachable
} from './fixtures';
import { Answer } from './utils';
import { forEndpoint } from '../request';

const SEED = EXAMPLE_ANSWER;

function modelAnswering(...answers: Answer[]) {
  return modelOn({ snapshot: answers });
}

/** A model that someone watches (the hints do, in the application). */
function watchedModel(...answers: Answer[]) {
  const answer = modelAnswering(...answers);
  answer.model.watch();
  return answer;
}

/**
 * The parts of a notebook's document context that the hint reads.
 */
function fakeContext(
  kernel: { id: string; name: string } | null,
  path = 'work/etl.ipynb'
) {
  const owner = {};
  const sessionContext = {
    session: kernel ? { kernel } : null,
    kernelDisplayName:
      kernel?.name === 'pysparkkernel' ? 'PySpark' : 'Python 3',
    kernelChanged: new Signal<any, any>(owner),
    sessionChanged: new Signal<any, any>(owner)
  };
  const context = {
    path,
    pathChanged: new Signal<any, string>(owner),
    sessionContext
  };
  return {
    context: context as unknown as DocumentRegistry.Context,
    sessionContext
  };
}

/** Let the widget's update request (a posted message) and React render run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise(resolve => requestAnimationFrame(() => resolve(null)));
  }
}

describe('SparkHint', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('shows the notebook session and opens the panel on it', async () => {
    const { model, calls } = modelAnswering({ status: 200, body: SEED });
    const opened: (number | null)[] = [];
    const { context } = fakeContext({ id: BOB_KERNEL, name: 'python3' });
    const hint = new SparkHint({
      model,
      context,
      onOpen: id => opened.push(id)
    });
    expect(hint.isHidden).toBe(true);
    Widget.attach(hint, document.body);
    await model.refresh();
    await settle();
    // Watching makes the model ask: one request only, no polling of its own.
    expect(calls.length).toBe(1);
    const button = hint.node.querySelector('button')!;
    expect(button.textContent).toMatch(
      /^Spark: starving \d+ .+ - livy-session-0 holds 9 of 9$/
    );
    expect(button.title).toContain('Starved by: livy-session-0 (alice)');
    expect(hint.node.dataset.state).toBe('starving');
    expect(hint.isHidden).toBe(false);
    button.click();
    expect(opened).toEqual([1]);

    hint.enabled = false;
    await settle();
    expect(hint.isHidden).toBe(true);
    expect(hint.node.querySelector('button')).toBeNull();
    hint.dispose();
    model.dispose();
  });

  it('shows nothing for a plain kernel without a session, and follows kernel changes', async () => {
    const { model } = modelAnswering({ status: 200, body: SEED });
    const { context, sessionContext } = fakeContext(
      { id: 'other', name: 'python3' },
      'plain.ipynb'
    );
    const hint = new SparkHint({ model, context, onOpen: () => undefined });
    Widget.attach(hint, document.body);
    await model.refresh();
    await settle();
    expect(hint.hint.state).toBe('none');
    expect(hint.isHidden).toBe(true);

    (sessionContext as any).session = {
      kernel: { id: 'spark', name: 'pysparkkernel' }
    };
    sessionContext.kernelChanged.emit(null);
    await settle();
    expect(hint.hint.text).toBe('Spark: no session yet');
    expect(hint.isHidden).toBe(false);
    hint.dispose();
    model.dispose();
  });

  it('does not watch the model without a kernel', async () => {
    const { model, calls } = modelAnswering({ status: 200, body: SEED });
    const { context } = fakeContext(null);
    const hint = new SparkHint({ model, context, onOpen: () => undefined });
    Widget.attach(hint, document.body);
    await settle();
    expect(calls.length).toBe(0);
    hint.dispose();
    model.dispose();
  });
});

describe('StarvationNotifier', () => {
  let warning: jest.SpyInstance;
  let dismiss: jest.SpyInstance;
  beforeEach(() => {
    let n = 0;
    warning = jest
      .spyOn(Notification, 'warning')
      .mockImplementation(() => `n${++n}`);
    dismiss = jest
      .spyOn(Notification, 'dismiss')
      .mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('notifies once, with Show and Copy fix, and withdraws when it ends', async () => {
    const fed = JSON.parse(JSON.stringify(SEED));
    fed.sessions[1].status = 'ok';
    fed.sessions[1].executors = 4;
    fed.starvation = [];
    const { model } = watchedModel(
      { status: 200, body: SEED },
      { status: 200, body: { ...SEED, version: 1 } },
      { status: 200, body: fed }
    );
    const shown: number[] = [];
    const notifier = new StarvationNotifier({
      model,
      onShow: id => shown.push(id)
    });
    await model.refresh();
    expect(warning).toHaveBeenCalledTimes(1);
    const [message, options] = warning.mock.calls[0];
    expect(message).toMatch(
      /^Your notebook etl\.ipynb \(livy-session-1\) has been waiting .+ with 0 of its fair 4\.5 executors: livy-session-0 \(alice\) holds 9 of 9\.$/
    );
    expect(options.autoClose).toBe(false);
    expect(options.actions.map((a: any) => a.label)).toEqual([
      'Show',
      'Copy fix'
    ]);
    options.actions[0].callback(new MouseEvent('click'));
    expect(shown).toEqual([1]);

    await model.refresh();
    expect(warning).toHaveBeenCalledTimes(1);
    await model.refresh();
    expect(dismiss).toHaveBeenCalledWith('n1');
    notifier.dispose();
    model.dispose();
  });

  it('stays quiet when turned off, or about kernels the page does not know', async () => {
    const { model } = watchedModel({ status: 200, body: SEED });
    let live = false;
    const notifier = new StarvationNotifier({
      model,
      onShow: () => undefined,
      enabled: false,
      isLive: id => live && id === BOB_KERNEL
    });
    await model.refresh();
    expect(warning).not.toHaveBeenCalled();
    notifier.enabled = true;
    expect(warning).not.toHaveBeenCalled();
    live = true;
    notifier.check();
    expect(warning).toHaveBeenCalledTimes(1);
    notifier.enabled = false;
    expect(dismiss).toHaveBeenCalledWith('n1');
    notifier.dispose();
    model.dispose();
  });
});

describe('SparkHint with several endpoints', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it("finds the notebook's session on any endpoint, and says that endpoint's state", async () => {
    const { endpoints } = endpointsOn({
      endpoints: [endpointsAnswer([ENDPOINT_B])],
      snapshot: [{ status: 200, body: elsewhere() }],
      [forEndpoint('snapshot', ENDPOINT_B)]: [
        { status: 200, body: unreachable(ENDPOINT_B) }
      ]
    });
    const watch = endpoints.watch();
    const owner = {};
    const sessionContext = {
      session: { kernel: { id: BOB_KERNEL, name: 'pysparkkernel' } },
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
    expect(hint.endpoint).toBe(ENDPOINT_B);
    // B does not answer (its snapshot says so), the configured endpoint does.
    expect(hint.hint.state).toBe('unreachable');
    expect(hint.hint.sessionId).toBe(1);
    expect(hint.hint.title.split('\n')[0]).toBe(`Livy endpoint ${ENDPOINT_B}`);
    hint.node.querySelector('button')!.click();
    expect(opened).toEqual([[1, ENDPOINT_B]]);
    hint.dispose();
    watch.dispose();
    endpoints.dispose();
  });
});
