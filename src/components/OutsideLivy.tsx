/**
 * The YARN applications that hold containers and are none of Livy's sessions
 * (the snapshot's `outside_livy`): one line each, with a link to YARN's page
 * of it. The extension never stops them: no button here. Their names, users
 * and queues are untrusted text: text only, and links only http(s).
 */
import * as React from 'react';

import { findSession, sessionName } from '../queries/sessions';
import { OutsideLivyApp, Session } from '../snapshot';
import {
  formatDuration,
  formatMemory,
  formatNumber,
  joinWords,
  plural,
  safeHttpUrl
} from '../words/text';
import { formatClock, secondsSince } from '../words/time';

/**
 * The "Held outside Livy" section; nothing when no application is.
 */
export function OutsideLivyList(props: {
  apps: readonly OutsideLivyApp[];
  sessions: readonly Session[];
  now: number;
}): JSX.Element | null {
  const { apps, sessions, now } = props;
  if (!apps.length) {
    return null;
  }
  return (
    <section
      className="jp-GlueSessions-section jp-GlueSessions-outside"
      aria-label="Held outside Livy"
    >
      <h3 className="jp-GlueSessions-sectionTitle">
        Held outside Livy{' '}
        <span className="jp-GlueSessions-count">{apps.length}</span>
      </h3>
      <p className="jp-GlueSessions-outside-note">
        YARN applications that hold containers but are none of Livy&apos;s
        sessions: batch jobs, other users&apos; work, or sessions Livy lost.
        This extension never stops them.
      </p>
      <ul>
        {apps.map((app, i) => (
          <OutsideApp
            key={app.app_id ?? i}
            app={app}
            waiting={joinWords(
              app.starving.map(id => sessionName(findSession(sessions, id), id))
            )}
            since={sinceText(app.since, now)}
          />
        ))}
      </ul>
    </section>
  );
}

/**
 * "since 09:30 (30 min)", or null.
 */
function sinceText(iso: string | null, now: number): string | null {
  const seconds = secondsSince(iso, now);
  return seconds === null
    ? null
    : `since ${formatClock(iso, now)} (${formatDuration(seconds)})`;
}

/**
 * One application outside Livy.
 */
const OutsideApp = React.memo(function OutsideApp(props: {
  app: OutsideLivyApp;
  /** The starving sessions that wait on it, named. */
  waiting: string;
  since: string | null;
}): JSX.Element {
  const { app, waiting, since } = props;
  const href = safeHttpUrl(app.url);
  const held: string[] = [];
  if (app.containers !== null) {
    held.push(
      app.executors !== null
        ? `${plural(app.containers, 'container')} (${plural(app.executors, 'executor')} and its AM)`
        : plural(app.containers, 'container')
    );
  }
  if (app.cores !== null) {
    held.push(plural(app.cores, 'core'));
  }
  if (app.memory_mb !== null) {
    held.push(formatMemory(app.memory_mb));
  }
  const who = [
    app.user && `user ${app.user}`,
    app.queue && `queue ${app.queue}`,
    app.application_type
  ].filter((x): x is string => !!x);
  return (
    <li className="jp-GlueSessions-outsideApp">
      <div className="jp-GlueSessions-outsideApp-head">
        <span className="jp-GlueSessions-outsideApp-name">
          {app.name || 'unnamed application'}
        </span>
        {app.app_id && (
          <span className="jp-GlueSessions-appId" title="YARN application id">
            {app.app_id}
          </span>
        )}
      </div>
      {who.length > 0 && (
        <div className="jp-GlueSessions-row-meta">
          {who.map(w => (
            <span key={w}>{w}</span>
          ))}
        </div>
      )}
      <div className="jp-GlueSessions-row-meta">
        {held.map(h => (
          <span key={h}>{h}</span>
        ))}
        {since && <span>{since}</span>}
      </div>
      {waiting && (
        <div className="jp-GlueSessions-outsideApp-waiting">
          {`Above its fair share of ${formatNumber(app.fair_share)} while ${waiting} ${
            app.starving.length === 1 ? 'waits' : 'wait'
          }`}
        </div>
      )}
      {href && (
        <div className="jp-GlueSessions-row-links">
          <a href={href} target="_blank" rel="noopener noreferrer">
            YARN page
          </a>
        </div>
      )}
    </li>
  );
});
