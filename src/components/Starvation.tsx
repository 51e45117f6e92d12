import * as React from 'react';

import { findSession, sessionName, statusOf } from '../format';
import { ISession } from '../types';

/**
 * Who is starving whom: a sentence and a small picture per starving session.
 */
export function StarvationList(props: {
  items: { session: number; by: number[]; text: string }[];
  sessions: readonly ISession[];
  highlight: number | null;
  onHover: (id: number | null) => void;
  onSelect: (id: number) => void;
}): JSX.Element | null {
  const { items, sessions, highlight, onHover, onSelect } = props;
  if (!items.length) {
    return null;
  }
  const chip = (id: number) => {
    const s = findSession(sessions, id);
    return (
      <span
        className={`jp-GlueSessions-chip jp-GlueSessions-status-${s ? statusOf(s) : 'gone'}`}
      >
        {sessionName(s, id)}
      </span>
    );
  };
  return (
    <section
      className="jp-GlueSessions-section jp-GlueSessions-starvation"
      aria-label="Starvation"
    >
      <h3 className="jp-GlueSessions-sectionTitle">Who is starving whom</h3>
      <ul>
        {items.map(item => (
          <li
            key={item.session}
            className={
              'jp-GlueSessions-starvationItem' +
              (highlight === item.session || item.by.includes(highlight ?? NaN)
                ? ' is-highlighted'
                : '')
            }
            onMouseEnter={() => onHover(item.session)}
            onMouseLeave={() => onHover(null)}
          >
            <div
              className="jp-GlueSessions-edge"
              aria-hidden="true"
              onClick={() => onSelect(item.session)}
            >
              {chip(item.session)}
              <span className="jp-GlueSessions-edge-arrow">starved by</span>
              {item.by.length ? (
                item.by.map(id => (
                  <React.Fragment key={id}>{chip(id)}</React.Fragment>
                ))
              ) : (
                <span className="jp-GlueSessions-edge-none">
                  a full cluster
                </span>
              )}
            </div>
            <p className="jp-GlueSessions-sentence">{item.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
