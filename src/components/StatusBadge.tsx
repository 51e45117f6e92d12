import * as React from 'react';

import { STATUS_HELP } from '../status';

/**
 * A status badge: ok, starting, idle, waiting, starving, hogging, idle-hoarding, gone.
 */
export function StatusBadge(props: {
  status: string;
  since?: string | null;
}): JSX.Element {
  const { status, since } = props;
  const help = STATUS_HELP[status] ?? 'Status not reported by the server.';
  return (
    <span
      className={`jp-GlueSessions-badge jp-GlueSessions-status-${status}`}
      title={since ? `${help} (since ${since})` : help}
      data-status={status}
    >
      {status}
    </span>
  );
}
