import { Dialog } from '@jupyterlab/apputils';
import { act, fireEvent, waitFor } from '@testing-library/react';

import example from '../../docs/snapshot-example.json';
import {
  confirmStopSession,
  errorText,
  IStopSessionUI,
  stopQuestion
} from '../components/StopSession';
import { stopSession } from '../request';
import { canStopSession } from '../sessions';
import { ISession, ISnapshot } from '../types';
import { aSession, EXAMPLE, modelOn } from './fixtures';
import { Answer, fakeServer } from './utils';
import { openDialog, renderedView } from './view';

const own: ISession = {
  id: 3,
  name: 'livy-session-3',
  notebook: { path: 'work/etl.ipynb', kernel_id: 'k' },
  mine: true,
  can_stop: true
};
const other: ISession = { id: 4, notebook: null, mine: false, can_stop: false };
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

describe('canStopSession', () => {
  // The server decides (allow_stop_sessions and a notebook of its own drives
  // the session: tests/test_actions.py); the panel shows what it decided.
  it('is true only when the server says the session can be stopped', () => {
    expect(canStopSession(aSession(own))).toBe(true);
    // A notebook whose path is not known yet is still this server's.
    expect(
      canStopSession(
        aSession({
          id: 5,
          notebook: { path: null, kernel_id: 'k' },
          can_stop: true
        })
      )
    ).toBe(true);
    expect(canStopSession(aSession(other))).toBe(false);
    expect(canStopSession(aSession({ id: 6 }))).toBe(false);
    expect(canStopSession(null)).toBe(false);
    // A notebook here, but the server does not allow it.
    expect(canStopSession(aSession({ ...own, can_stop: false }))).toBe(false);
    expect(canStopSession(aSession({ ...own, can_stop: null }))).toBe(false);
    // Only a real true: not a string, not 1.
    expect(canStopSession(aSession({ ...own, can_stop: 'true' as any }))).toBe(
      false
    );
    expect(canStopSession(aSession({ ...own, can_stop: 1 as any }))).toBe(
      false
    );
    expect(canStopSession(aSession({ ...own, id: NaN }))).toBe(false);
  });

  it('asks with the session and its notebook', () => {
    expect(stopQuestion(aSession(own))).toBe(
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
