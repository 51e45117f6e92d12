import * as React from 'react';

import { Advice } from '../snapshot';
import { CopyButton } from './CopyButton';

/**
 * One piece of advice: what to do, why, and the %%configure cell to copy.
 * Memoized: the model keeps unchanged advice, and the session it is about is
 * passed as what the card shows of it (its numbers change every poll).
 */
export const AdviceCard = React.memo(function AdviceCard(props: {
  advice: Advice;
  /** The session it is about, described (describeSession), if any. */
  about: string | null;
  /** Whether that session is one of this server's notebooks'. */
  own: boolean;
  /** Whether nobody uses that session any more (its kernel is gone). */
  orphaned?: boolean;
  onHover?: (id: number | null) => void;
}): JSX.Element {
  const { advice, about, own, orphaned, onHover } = props;
  const id = advice.session;
  return (
    <li
      className={'jp-GlueSessions-advice' + (own ? ' is-own' : '')}
      onMouseEnter={() => onHover?.(id)}
      onMouseLeave={() => onHover?.(null)}
    >
      <div className="jp-GlueSessions-advice-title">
        {about !== null && (
          <span className="jp-GlueSessions-advice-for">
            {about}
            {own ? (orphaned ? ' · orphaned' : ' · your notebook') : ''}
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
