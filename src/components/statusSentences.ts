import * as React from 'react';

import { cannotStartOf } from '../words/cannotStart';
import { ISentenceContext, statusSentence } from '../words/sentences';
import { sessionName } from '../queries/sessions';
import { Session } from '../snapshot';
import { formatDuration } from '../words/text';
import { parseTime } from '../words/time';

/**
 * statusSentence of each session, remembered while what it says is the same:
 * the session's status, its start, its starvation lists (the model keeps
 * these arrays while unchanged), the names of the sessions and the duration
 * as shown. Each render (every poll, every second) then builds only the
 * sentences that changed, not 200 lists of names.
 *
 * The few sessions whose driver cannot start name what their holders hold,
 * which changes with other sessions: their sentences are made every time.
 */
export function useStatusSentences(
  sessions: readonly Session[],
  now: number,
  context: ISentenceContext
): (session: Session) => string {
  // The names of the sessions by id: a new key only when they change.
  const namesKey = React.useMemo(
    () => sessions.map(s => `${s.id}:${sessionName(s)}`).join('\n'),
    [sessions]
  );
  const cache = React.useRef<{
    namesKey: string;
    outside: ISentenceContext['outside'] | null;
    entries: Map<number, Private.ISentence>;
  }>({ namesKey: '', outside: null, entries: new Map() });
  if (
    cache.current.namesKey !== namesKey ||
    cache.current.outside !== context.outside
  ) {
    cache.current = { namesKey, outside: context.outside, entries: new Map() };
  }
  const entries = cache.current.entries;
  return (s: Session) => {
    if (cannotStartOf(s) !== null) {
      return statusSentence(s, sessions, now, context);
    }
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
      entry.starving !== s.starving ||
      entry.outsideCulprits !== s.outside_culprits ||
      entry.held !== Private.held(s)
    ) {
      entry = {
        status: s.status,
        statusSince: s.status_since,
        since,
        shown,
        starvedBy: s.starved_by,
        starving: s.starving,
        outsideCulprits: s.outside_culprits,
        held: Private.held(s),
        text: statusSentence(s, sessions, now, context)
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
    outsideCulprits: unknown;
    held: string;
    text: string;
  }

  /**
   * What an orphan's sentence says it holds, as a key ("" for the others,
   * whose sentences do not say).
   */
  export function held(s: Session): string {
    return s.status === 'orphaned'
      ? `${s.executors},${s.driver_cores},${s.driver_memory_mb}`
      : '';
  }
}
