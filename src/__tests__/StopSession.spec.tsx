import { act, fireEvent, waitFor } from '@testing-library/react';
import {
  confirmStopSession,
  errorText,
  IStopSessionUI,
  stopQuestion
} from '../components/StopSession';
import { findSession } from '../queries/sessions';
import {
  aSession,
  EXAMPLE,
  modelOn,
  ORPHANED,
  recordedAnswer
} from './fixtures';
import { Answer, fakeServer } from './utils';
import { openDialog, renderedView } from './view';
import { Dialog } from '@jupyterlab/apputils';
import example from '../../docs/snapshot-example.json';
import { stopSession } from '../model/request';
import { ISnapshot } from '../types';

const orphan = findSession(ORPHANED.sessions, 4)!;

describe('stopping an orphaned session', () => {
  it('asks with words that fit: nobody uses it, and what goes', () => {
    expect(stopQuestion(orphan)).toBe(
      'Stop livy-session-4 (from forecast.ipynb)? Nobody uses it: the notebook kernel that created it no longer runs it. Its Spark application and cached data go away, and what it holds (1 executor and its driver) is freed.'
    );
    expect(
      stopQuestion(
        aSession({ id: 7, notebook: { kernel_id: 'k', orphaned: true } })
      )
    ).toBe(
      'Stop livy-session-7? Nobody uses it: the notebook kernel that created it no longer runs it. Its Spark application and cached data go away.'
    );
  });

  it("stops it like the user's own sessions (DELETE, then a refresh)", async () => {
    const { model, calls } = modelOn({
      snapshot: [
        { status: 200, body: recordedAnswer('snapshot-orphaned.json') }
      ],
      'sessions/4': [{ status: 200, body: { stopped: 4 } }]
    });
    model.watch();
    const success: string[] = [];
    const asked: string[] = [];
    const ui: IStopSessionUI = {
      showDialog: (async (options: any) => {
        asked.push(options.body);
        return { button: { accept: true }, isChecked: null, value: null };
      }) as any,
      notification: {
        success: ((m: string) => success.push(m)) as any,
        error: (() => undefined) as any
      }
    };
    expect(await confirmStopSession(model, orphan, ui)).toBe(true);
    expect(asked).toEqual([stopQuestion(orphan)]);
    expect(calls.filter(c => c.method === 'DELETE').map(c => c.url)).toEqual([
      '/glue-sessions/api/sessions/4'
    ]);
    expect(calls[calls.length - 1].url).toBe('/glue-sessions/api/snapshot');
    expect(success).toEqual(['Stopped livy-session-4.']);
    model.dispose();
  });

  it('is offered on its row when the server says it can be stopped', async () => {
    const answer = recordedAnswer('snapshot-orphaned.json');
    const { settings } = fakeServer({
      snapshot: [{ status: 200, body: answer }]
    });
    const { view, close } = await renderedView(settings);
    const button = view.container.querySelector<HTMLElement>(
      '[data-session-id="4"] .jp-GlueSessions-stop'
    )!;
    act(() => {
      fireEvent.click(button);
    });
    const dialog = await openDialog();
    expect(dialog.querySelector('.jp-Dialog-body')?.textContent).toBe(
      stopQuestion(orphan)
    );
    const cancel = Array.from(dialog.querySelectorAll('button')).find(
      b => b.textContent === 'Cancel'
    )!;
    await act(async () => {
      fireEvent.click(cancel);
    });
    await waitFor(() =>
      expect(document.body.querySelector('.jp-Dialog')).toBeNull()
    );
    close();

    // Not when the server says no (can_stop false), orphan or not.
    for (const s of answer.sessions!) {
      s.can_stop = false;
    }
    const off = fakeServer({ snapshot: [{ status: 200, body: answer }] });
    const other = await renderedView(off.settings);
    expect(
      other.view.container.querySelectorAll('.jp-GlueSessions-stop')
    ).toHaveLength(0);
    other.close();
  });
});

/**
 * The example as a server that allows stopping sessions publishes it: every
 * session of its own notebooks can be stopped (glue_sessions/snapshot.py).
 */
const on: ISnapshot = {
  actions: { stop_own_sessions: true },
  sessions: (example as ISnapshot).sessions!.map(s => ({
    ...s,
    can_stop: s.mine === true
  }))
};

describe('stopQuestion', () => {
  it('asks with the session and its notebook', () => {
    expect(
      stopQuestion(
        aSession({
          id: 3,
          name: 'livy-session-3',
          notebook: { path: 'work/etl.ipynb', kernel_id: 'k' }
        })
      )
    ).toBe(
      "Stop livy-session-3 (etl.ipynb)? Its Spark application and cached data go away; the notebook's next cell starts a new session."
    );
    expect(
      stopQuestion(aSession({ id: 5, notebook: { kernel_id: 'k' } }))
    ).toBe(
      "Stop livy-session-5? Its Spark application and cached data go away; the notebook's next cell starts a new session."
    );
  });
});

function fakeUI(accept: boolean) {
  const shown: any[] = [];
  const success: string[] = [];
  const error: string[] = [];
  const ui: IStopSessionUI = {
    showDialog: (async (options: any) => {
      shown.push(options);
      return {
        button: { accept, label: accept ? 'Stop session' : 'Cancel' },
        isChecked: null,
        value: null
      };
    }) as any,
    notification: {
      success: ((message: string) => {
        success.push(message);
        return 'id';
      }) as any,
      error: ((message: string) => {
        error.push(message);
        return 'id';
      }) as any
    }
  };
  return { ui, shown, success, error };
}

function modelWith(stop: Answer[]) {
  const { model, calls } = modelOn({
    snapshot: [{ status: 200, body: { ...example, ...on } }],
    'sessions/1': stop
  });
  // Somebody watches (the panel): the model polls.
  model.watch();
  return { model, calls };
}

describe('confirmStopSession', () => {
  const bob = EXAMPLE.sessions.find(s => s.id === 1)!;

  it('does nothing when cancelled', async () => {
    const { model, calls } = modelWith([{ status: 200, body: { stopped: 1 } }]);
    const { ui, shown, success, error } = fakeUI(false);
    expect(await confirmStopSession(model, bob, ui)).toBe(false);
    expect(shown).toHaveLength(1);
    expect(shown[0].title).toBe('Stop Spark session');
    expect(shown[0].body).toBe(stopQuestion(bob));
    expect(shown[0].buttons.map((b: Dialog.IButton) => b.label)).toEqual([
      'Cancel',
      'Stop session'
    ]);
    expect(calls.filter(c => c.method === 'DELETE')).toHaveLength(0);
    expect(success).toEqual([]);
    expect(error).toEqual([]);
    model.dispose();
  });

  it('stops the session when confirmed, then refreshes', async () => {
    const { model, calls } = modelWith([{ status: 200, body: { stopped: 1 } }]);
    const { ui, success, error } = fakeUI(true);
    expect(await confirmStopSession(model, bob, ui)).toBe(true);
    const deletes = calls.filter(c => c.method === 'DELETE');
    expect(deletes.map(c => c.url)).toEqual(['/glue-sessions/api/sessions/1']);
    // Then the snapshot again.
    expect(calls[calls.length - 1].url).toBe('/glue-sessions/api/snapshot');
    expect(success).toEqual(['Stopped livy-session-1.']);
    expect(error).toEqual([]);
    model.dispose();
  });

  it("shows the server's code and message when refused", async () => {
    const { model } = modelWith([
      {
        status: 403,
        body: {
          code: 403,
          message:
            "only sessions created by this server's notebooks can be stopped here"
        }
      }
    ]);
    const { ui, success, error } = fakeUI(true);
    expect(await confirmStopSession(model, bob, ui)).toBe(false);
    expect(error).toEqual([
      "Could not stop livy-session-1: 403: only sessions created by this server's notebooks can be stopped here"
    ]);
    expect(success).toEqual([]);
    model.dispose();
  });

  it('says when the Jupyter server does not answer', async () => {
    const { model } = modelWith(['network']);
    const { ui, error } = fakeUI(true);
    expect(await confirmStopSession(model, bob, ui)).toBe(false);
    expect(error).toEqual([
      'Could not stop livy-session-1: the Jupyter server does not answer.'
    ]);
    expect(errorText(new Error('boom'))).toBe('boom');
    model.dispose();
  });

  it('refuses ids that are not Livy session ids', async () => {
    const { settings } = fakeServer({});
    await expect(stopSession(-1, settings)).rejects.toThrow(
      'Not a Livy session id'
    );
    await expect(stopSession(1.5, settings)).rejects.toThrow(
      'Not a Livy session id'
    );
  });
});

describe('the Stop session button', () => {
  async function renderWith(snapshot: unknown) {
    const { settings } = fakeServer({
      snapshot: [{ status: 200, body: snapshot }],
      'sessions/1': [{ status: 200, body: { stopped: 1 } }]
    });
    const { view: result, close: cleanup } = await renderedView(settings);
    const buttons = () =>
      Array.from(
        result.container.querySelectorAll<HTMLButtonElement>(
          '.jp-GlueSessions-stop'
        )
      );
    const rowOf = (b: HTMLElement) =>
      b.closest<HTMLElement>('.jp-GlueSessions-row')?.dataset.sessionId;
    return { ...result, buttons, rowOf, cleanup };
  }

  it('is shown only on the rows of this server notebooks, when allowed', async () => {
    // The example: livy-session-1 is etl.ipynb's, livy-session-0 nobody's here.
    const allowed = await renderWith({ ...example, ...on });
    expect(allowed.buttons().map(allowed.rowOf)).toEqual(['1']);
    expect(allowed.buttons()[0].textContent).toBe('Stop session');
    allowed.cleanup();

    for (const actions of [undefined, null, {}, { stop_own_sessions: false }]) {
      const off = await renderWith({ ...example, actions });
      expect(off.buttons()).toHaveLength(0);
      off.cleanup();
    }
  });

  it('asks before stopping, and Cancel keeps the session', async () => {
    const view = await renderWith({ ...example, ...on });
    const button = view.buttons()[0];
    act(() => {
      fireEvent.click(button);
    });
    const dialog = await openDialog();
    expect(dialog.querySelector('.jp-Dialog-body')?.textContent).toBe(
      "Stop livy-session-1 (etl.ipynb)? Its Spark application and cached data go away; the notebook's next cell starts a new session."
    );
    const cancel = Array.from(dialog.querySelectorAll('button')).find(
      b => b.textContent === 'Cancel'
    );
    expect(cancel).toBeTruthy();
    // The click does not select the row.
    expect(
      view.container
        .querySelector('[data-session-id="1"]')
        ?.getAttribute('aria-current')
    ).toBeNull();
    await act(async () => {
      fireEvent.click(cancel!);
    });
    await waitFor(() =>
      expect(document.body.querySelector('.jp-Dialog')).toBeNull()
    );
    view.cleanup();
  });
});
