import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';

import { GlueSessionsModel } from '../model/model';
import { holdsPhrase, isOrphan } from '../queries/orphans';
import { sessionName } from '../queries/sessions';
import { Session } from '../snapshot';
import { notebookName } from '../words/text';

/**
 * What confirmStopSession uses to talk to the user (replaced in tests).
 */
export interface IStopSessionUI {
  showDialog: typeof showDialog;
  notification: Pick<typeof Notification, 'success' | 'error'>;
}

const DEFAULT_UI: IStopSessionUI = {
  showDialog,
  notification: Notification
};

/**
 * The question asked before stopping a session, e.g. "Stop livy-session-3
 * (etl.ipynb)? Its Spark application and cached data go away; the
 * notebook's next cell starts a new session.", or for an orphan "Stop
 * livy-session-4 (from forecast.ipynb)? Nobody uses it: ...".
 */
export function stopQuestion(session: Session): string {
  const nb = notebookName(session.notebook?.path);
  if (isOrphan(session)) {
    const who = nb
      ? `${sessionName(session)} (from ${nb})`
      : sessionName(session);
    const held = holdsPhrase(session);
    return (
      `Stop ${who}? Nobody uses it: the notebook kernel that created it ` +
      'no longer runs it. Its Spark application and cached data go away' +
      (held ? `, and what it holds (${held}) is freed.` : '.')
    );
  }
  const who = nb ? `${sessionName(session)} (${nb})` : sessionName(session);
  return (
    `Stop ${who}? Its Spark application and cached data go away; ` +
    "the notebook's next cell starts a new session."
  );
}

/**
 * Ask whether to stop a session of one of this server's notebooks; if
 * confirmed, stop it (DELETE /glue-sessions/api/sessions/{id}) and refresh.
 * Errors are shown as a notification with the server's code and message.
 *
 * @returns whether the session was stopped
 */
export async function confirmStopSession(
  model: Pick<GlueSessionsModel, 'stopSession'>,
  session: Session,
  ui: IStopSessionUI = DEFAULT_UI
): Promise<boolean> {
  const name = sessionName(session);
  const result = await ui.showDialog({
    title: 'Stop Spark session',
    body: stopQuestion(session),
    buttons: [
      Dialog.cancelButton(),
      Dialog.warnButton({ label: 'Stop session' })
    ],
    defaultButton: 0
  });
  if (!result.button.accept) {
    return false;
  }
  try {
    await model.stopSession(session.id);
  } catch (reason) {
    ui.notification.error(`Could not stop ${name}: ${errorText(reason)}`, {
      autoClose: false
    });
    return false;
  }
  ui.notification.success(`Stopped ${name}.`, { autoClose: 5000 });
  return true;
}

/**
 * "403: only sessions created by this server's notebooks can be stopped here".
 */
export function errorText(reason: unknown): string {
  if (reason instanceof ServerConnection.ResponseError) {
    const status = reason.response.status;
    return reason.message && reason.message !== String(status)
      ? `${status}: ${reason.message}`
      : `${status} ${reason.response.statusText}`.trim();
  }
  if (reason instanceof ServerConnection.NetworkError) {
    return 'the Jupyter server does not answer.';
  }
  return reason instanceof Error ? reason.message : String(reason);
}
