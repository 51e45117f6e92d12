import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';

import { sessionName, stopQuestion } from '../format';
import { GlueSessionsModel } from '../model';
import { ISession } from '../types';

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
 * Ask whether to stop a session of one of this server's notebooks; if
 * confirmed, stop it (DELETE /glue-sessions/api/sessions/{id}) and refresh.
 * Errors are shown as a notification with the server's code and message.
 *
 * @returns whether the session was stopped
 */
export async function confirmStopSession(
  model: Pick<GlueSessionsModel, 'stopSession'>,
  session: ISession,
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
