import * as React from 'react';

import {
  formatAgo,
  formatClock,
  formatDuration,
  parseTime,
  secondsSince,
  sessionName,
  UNKNOWN
} from '../format';
import { IEndpoint, IProblem } from '../types';

/**
 * The endpoint: URL, reachable or not and since when, last update, problems.
 */
export function EndpointHeader(props: {
  endpoint: IEndpoint | null | undefined;
  lastCheckedAt: number | null;
  now: number;
}): JSX.Element {
  const { endpoint, lastCheckedAt, now } = props;
  const url = endpoint?.url ? String(endpoint.url) : null;
  const reachable = endpoint?.reachable;
  const state =
    reachable === true ? 'up' : reachable === false ? 'down' : 'unknown';
  const checked =
    lastCheckedAt === null
      ? UNKNOWN
      : formatAgo(new Date(lastCheckedAt).toISOString(), now);
  const polled = endpoint?.polled_at ?? null;
  const downFor = secondsSince(endpoint?.down_since, now);
  const problems = (endpoint?.problems ?? []).filter(
    p => p && typeof p === 'object'
  );

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

function ProblemList(props: {
  problems: IProblem[];
  now: number;
}): JSX.Element {
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
              <span className="jp-GlueSessions-problem-source">
                {String(p.source)}
              </span>
            )}
            {typeof p.session === 'number' && (
              <span className="jp-GlueSessions-problem-session">
                {sessionName(null, p.session)}
              </span>
            )}
            <span className="jp-GlueSessions-problem-message">
              {p.message ? String(p.message) : 'unknown problem'}
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
