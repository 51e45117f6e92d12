import * as React from 'react';

import { statusSentence } from '../sentences';
import { sessionName } from '../sessions';
import { Session } from '../snapshot';
import { formatDuration } from '../text';
import { parseTime } from '../time';

/**
 * statusSentence of each session, remembered while what it says is the same:
 * the session's status, its start, its starvation lists (the model keeps
 * these arrays while unchanged), the names of the sessions and the duration
 * as shown. Each render (every poll, every second) then builds only the
 * sentences that changed, not 200 lists of names.
 */
export function useStatusSentences(
  sessions: readonly Session[],
  now: number
): (session: Session) => string {
  // The names of the sessions by id: a new key only when they change.
  const namesKey = React.useMemo(
    () => sessions.map(s => `${s.id}:${sessionName(s)}`).join('\n'),
    [sessions]
  );
  const cache = React.useRef<{
    namesKey: string;
    entries: Map<number, Private.ISentence>;
  }>({ namesKey: '', entries: new Map() });
  if (cache.current.namesKey !== namesKey) {
    cache.current = { namesKey, entries: new Map() };
  }
  const entries = cache.current.entries;
  return (s: Session) => {
    let entry = entries.get(s.id);
    const since =
      entry && entry.statusSince === s.status_since
        ? entry.since
        : parseTime(s.status_since);
    const shown =
      since === null ? '' : formatDuration(Math.max(0, (now - since) / 1000));
    if (
      !entry ||
      entry.statusSince !== s.status_since ||
      entry.shown !== shown ||
      entry.status !== s.status ||
      entry.starvedBy !== s.starved_by ||
      entry.starving !== s.starving
    ) {
      entry = {
        status: s.status,
        statusSince: s.status_since,
        since,
        shown,
        starvedBy: s.starved_by,
        starving: s.starving,
        text: statusSentence(s, sessions, now)
      };
      entries.set(s.id, entry);
    }
    return entry.text;
  };
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * A remembered status sentence and what it was made of.
   */
  export interface ISentence {
    status: unknown;
    statusSince: unknown;
    since: number | null;
    shown: string;
    starvedBy: unknown;
    starving: unknown;
    text: string;
  }
}
