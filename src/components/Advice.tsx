import * as React from 'react';

import { describeSession, isOwnSession } from '../sessions';
import { Advice, Session } from '../snapshot';
import { CopyButton } from './CopyButton';

/**
 * One piece of advice: what to do, why, and the %%configure cell to copy.
 * Memoized: the model keeps unchanged advice and sessions.
 */
export const AdviceCard = React.memo(function AdviceCard(props: {
  advice: Advice;
  /** The session the advice is about, if it is live. */
  session: Session | null;
  onHover?: (id: number | null) => void;
}): JSX.Element {
  const { advice, session, onHover } = props;
  const id = advice.session;
  const own = isOwnSession(session);
  return (
    <li
      className={'jp-GlueSessions-advice' + (own ? ' is-own' : '')}
      onMouseEnter={() => onHover?.(id)}
      onMouseLeave={() => onHover?.(null)}
    >
      <div className="jp-GlueSessions-advice-title">
        {id !== null && (
          <span className="jp-GlueSessions-advice-for">
            {describeSession(session, id)}
            {own ? ' · your notebook' : ''}
          </span>
        )}
        <span className="jp-GlueSessions-advice-text">
          {advice.text || 'Advice'}
        </span>
      </div>
      {advice.reason && (
        <p className="jp-GlueSessions-advice-reason">{advice.reason}</p>
      )}
      {advice.configure && (
        <div className="jp-GlueSessions-advice-configure">
          <div className="jp-GlueSessions-advice-configureBar">
            <span>Notebook cell</span>
            <CopyButton text={advice.configure} label="Copy cell" />
          </div>
          <pre>{advice.configure}</pre>
        </div>
      )}
      {advice.configure && (
        <p className="jp-GlueSessions-advice-hint">
          Run it as the first cell of the notebook: <code>-f</code> restarts its
          Spark session with the new settings.
        </p>
      )}
    </li>
  );
});
