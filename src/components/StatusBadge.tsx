import * as React from 'react';

import { statusHelp } from '../words/status';

/**
 * A status badge: the status as the server says it, its explanation as title.
 */
export function StatusBadge(props: {
  status: string;
  since?: string | null;
}): JSX.Element {
  const { status, since } = props;
  const help = statusHelp(status) ?? 'Status not reported by the server.';
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
