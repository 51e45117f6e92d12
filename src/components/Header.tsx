import * as React from 'react';

import { sessionName } from '../queries/sessions';
import { Endpoint, Problem } from '../snapshot';
import { formatDuration, UNKNOWN } from '../words/text';
import { formatAgo, formatClock, parseTime, secondsSince } from '../words/time';

/**
 * The endpoint: URL, reachable or not and since when, last update, problems.
 */
export function EndpointHeader(props: {
  endpoint: Endpoint | null;
  lastCheckedAt: number | null;
  now: number;
}): JSX.Element {
  const { endpoint, lastCheckedAt, now } = props;
  const url = endpoint?.url || null;
  const reachable = endpoint?.reachable;
  const state =
    reachable === true ? 'up' : reachable === false ? 'down' : 'unknown';
  const checked =
    lastCheckedAt === null
      ? UNKNOWN
      : formatAgo(new Date(lastCheckedAt).toISOString(), now);
  const polled = endpoint?.polled_at ?? null;
  const downFor = secondsSince(endpoint?.down_since, now);
  const problems = endpoint?.problems ?? [];

  return (
    <div className={`jp-GlueSessions-endpoint is-${state}`}>
      <div className="jp-GlueSessions-endpoint-line">
        <span className="jp-GlueSessions-dot" aria-hidden="true" />
        <span className="jp-GlueSessions-endpoint-state">
          {state === 'up'
            ? 'Reachable'
            : state === 'down'
              ? 'Unreachable'
              : 'Unknown'}
        </span>
        <span
          className="jp-GlueSessions-endpoint-url"
          title={url ?? 'Livy URL unknown'}
        >
          {url ?? 'Livy endpoint'}
        </span>
      </div>
      <div className="jp-GlueSessions-endpoint-when">
        {state === 'down' && downFor !== null && (
          <span>
            down since {formatClock(endpoint?.down_since, now)} (
            {formatDuration(downFor)})
          </span>
        )}
        {state === 'down' && endpoint?.last_success_at && (
          <span>last answer {formatClock(endpoint.last_success_at, now)}</span>
        )}
        <span
          className="jp-GlueSessions-updated"
          title={
            polled && parseTime(polled) !== null
              ? `endpoint polled at ${formatClock(polled, now)}`
              : undefined
          }
        >
          updated {checked}
        </span>
      </div>
      {state === 'down' && endpoint?.error && (
        <div className="jp-GlueSessions-endpoint-error">{endpoint.error}</div>
      )}
      {problems.length > 0 && <ProblemList problems={problems} now={now} />}
    </div>
  );
}

function ProblemList(props: { problems: Problem[]; now: number }): JSX.Element {
  const { problems, now } = props;
  return (
    <details className="jp-GlueSessions-problems">
      <summary>
        {problems.length === 1 ? '1 problem' : `${problems.length} problems`}{' '}
        while polling
      </summary>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.source && (
              <span className="jp-GlueSessions-problem-source">{p.source}</span>
            )}
            {p.session !== null && (
              <span className="jp-GlueSessions-problem-session">
                {sessionName(null, p.session)}
              </span>
            )}
            <span className="jp-GlueSessions-problem-message">
              {p.message || 'unknown problem'}
            </span>
            {p.since && (
              <span className="jp-GlueSessions-problem-since">
                since {formatClock(p.since, now)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
