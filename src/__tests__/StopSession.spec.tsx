import { act, fireEvent, waitFor } from '@testing-library/react';

import {
  confirmStopSession,
  IStopSessionUI,
  stopQuestion
} from '../components/StopSession';
import { findSession } from '../sessions';
import { aSession, modelOn, ORPHANED, recordedAnswer } from './fixtures';
import { fakeServer } from './utils';
import { openDialog, renderedView } from './view';

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
