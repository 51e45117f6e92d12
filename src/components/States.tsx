import * as React from 'react';

import { formatDuration } from '../words/text';
import { GlueSessionsModel } from '../model/model';

/**
 * A message that says what is going on and what to do.
 */
export function Notice(props: {
  kind: 'info' | 'warning' | 'error';
  title: string;
  children?: React.ReactNode;
  action?: { label: string; onClick: () => void };
}): JSX.Element {
  return (
    <div
      className={`jp-GlueSessions-notice is-${props.kind}`}
      role={props.kind === 'info' ? 'status' : 'alert'}
    >
      <div className="jp-GlueSessions-notice-title">{props.title}</div>
      {props.children && (
        <div className="jp-GlueSessions-notice-body">{props.children}</div>
      )}
      {props.action && (
        <button
          type="button"
          className="jp-GlueSessions-button"
          onClick={props.action.onClick}
        >
          {props.action.label}
        </button>
      )}
    </div>
  );
}

/**
 * The notice for a failed request of the snapshot.
 */
export function ErrorNotice(props: {
  error: GlueSessionsModel.IError;
  retryInterval: number | null;
  stale: boolean;
  onRetry: () => void;
}): JSX.Element {
  const { error, retryInterval, stale, onRetry } = props;
  const retry =
    retryInterval !== null
      ? ` Retrying every ${formatDuration(retryInterval / 1000)}.`
      : '';
  const staleNote = stale ? ' The data below is the last that was had.' : '';
  const action = { label: 'Retry now', onClick: onRetry };
  switch (error.kind) {
    case 'network':
      return (
        <Notice
          kind="error"
          title="The Jupyter server does not answer"
          action={action}
        >
          It may have stopped or the network is down. Restart it (
          <code>jupyter lab</code>) if it stopped.{retry}
          {staleNote}
        </Notice>
      );
    case 'missing':
      return (
        <Notice
          kind="error"
          title="The glue-sessions server extension is not enabled"
          action={action}
        >
          This Jupyter server has no <code>/glue-sessions/api</code> (404). Run{' '}
          <code>jupyter server extension enable glue_sessions</code>, check{' '}
          <code>jupyter server extension list</code>, then restart JupyterLab.
        </Notice>
      );
    case 'starting':
      return (
        <Notice kind="info" title="Looking at the endpoint for the first time…">
          The server has not finished its first poll of Livy yet.{retry}
        </Notice>
      );
    case 'auth':
      return (
        <Notice
          kind="error"
          title="Your Jupyter session has expired"
          action={action}
        >
          The server answered {error.status}: reload the page to log in again.
        </Notice>
      );
    default:
      return (
        <Notice
          kind="error"
          title="The glue-sessions server extension failed"
          action={action}
        >
          {error.status ? `${error.status}: ` : ''}
          {error.message} See the Jupyter server log for details.{retry}
          {staleNote}
        </Notice>
      );
  }
}
