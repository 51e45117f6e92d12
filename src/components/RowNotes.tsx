/**
 * The notes of a session row that only some sessions have: why its driver
 * cannot start (with YARN's own words), and how long Livy has called it idle
 * and when Livy ends it. Memoized on primitive props.
 */
import * as React from 'react';

import { diagnosticsSummary, diagnosticsText } from '../words/cannotStart';

/**
 * A driver that cannot start: what it asks YARN for, Livy's own state, and
 * YARN's diagnostics (their first sentence; the whole text when opened).
 * YARN's words are untrusted: text only.
 */
export const CannotStartNote = React.memo(function CannotStartNote(props: {
  state: string | null;
  /** What its driver asks YARN for ("1 core · 1 GiB"), if known. */
  driver: string | null;
  queue: string | null;
  diagnostics: string | null;
}): JSX.Element {
  const parts: string[] = [];
  if (props.state) {
    parts.push(`Livy says ${props.state}`);
  }
  let driverPhrase = props.driver
    ? `its driver asks YARN for ${props.driver}`
    : 'its driver waits for a YARN container';
  if (props.queue) {
    driverPhrase += ` in queue ${props.queue}`;
  }
  parts.push(driverPhrase);
  const gist = diagnosticsSummary(props.diagnostics);
  const all = diagnosticsText(props.diagnostics);
  const sentence = parts.join('; ');
  return (
    <div className="jp-GlueSessions-row-cannotStartNote">
      <div>{`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`}</div>
      {gist && all && (
        <details
          className="jp-GlueSessions-diagnostics"
          onClick={event => event.stopPropagation()}
        >
          <summary title="YARN's diagnostics of its application: show all">
            <span className="jp-GlueSessions-diagnostics-source">YARN:</span>{' '}
            {gist}
          </summary>
          <p className="jp-GlueSessions-diagnostics-text">{all}</p>
        </details>
      )}
    </div>
  );
});

/**
 * "idle 12 min · Livy ends it in 47 min (at 10:48)" (idle.ts idlePhrase),
 * computed by the view with its clock.
 */
export const IdleNote = React.memo(function IdleNote(props: {
  text: string;
}): JSX.Element {
  return (
    <div
      className="jp-GlueSessions-row-idleNote"
      title="Since when Livy has called the session idle (as seen here), and when Livy ends it if it stays idle (its ttl or idleTimeout)"
    >
      {props.text}
    </div>
  );
});
