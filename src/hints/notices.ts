/**
 * The starvation notifications about the user's own sessions: their text,
 * the fix to copy, and the key that tells a new starvation. Pure.
 */
import { cannotStartWords } from '../words/cannotStart';
import { capacity } from '../queries/cluster';
import { outsideCulpritsOf } from '../queries/outside';
import { cannotStartSentence } from '../words/sentences';
import { isOwnSession, sessionName } from '../queries/sessions';
import { Advice, Session, Snapshot } from '../snapshot';
import { statusOf } from '../words/status';
import {
  formatDuration,
  formatNumber,
  joinWords,
  notebookName,
  plural
} from '../words/text';
import { culpritPhrases, culpritsOf, waitedSeconds } from './holders';

/**
 * A starvation notification about one of the user's own sessions.
 */
export interface IStarvationNotice {
  /** The starving session. */
  sessionId: number;
  /** Session id and culprits: a new key is a new notification. */
  key: string;
  /** The message, e.g. "Your notebook etl.ipynb (livy-session-3) has been waiting 2 min ...". */
  message: string;
  /** The cell that fixes it (the culprit's advice, else the general one), if any. */
  fix: string | null;
}

/**
 * The fix to copy: the configure cell of the advice about a culprit, else the
 * general advice's cell, else any advice's text.
 */
export function fixFor(
  list: readonly Advice[],
  culprits: readonly number[]
): string | null {
  const cell = (a: Advice | undefined) => a?.configure || null;
  for (const id of culprits) {
    const found = cell(list.find(a => a.session === id && cell(a)));
    if (found) {
      return found;
    }
  }
  const general = cell(list.find(a => a.session === null && cell(a)));
  if (general) {
    return general;
  }
  const any = cell(list.find(a => cell(a)));
  if (any) {
    return any;
  }
  return list.find(a => a.text)?.text ?? null;
}

/**
 * The notification text, e.g. "Your notebook etl.ipynb (livy-session-3) has
 * been waiting 2 min with 0 of its fair 4.5 executors: livy-session-1 (alice)
 * holds 9 of 9.", or, while its driver cannot start, "Your notebook etl.ipynb
 * (livy-session-3) cannot start: no room for its driver, for 2 min:
 * livy-session-1 (alice) holds 5 of 5." The applications outside Livy it
 * waits on are named after the sessions.
 */
export function starvationMessage(
  snapshot: Snapshot,
  session: Session,
  culprits: readonly number[],
  now: number
): string {
  const name = sessionName(session);
  const nb = notebookName(session.notebook?.path);
  let text = nb ? `Your notebook ${nb} (${name})` : `Your session ${name}`;
  const waited = waitedSeconds(snapshot, session, now);
  const holders = culpritPhrases(snapshot, session, culprits);
  const cannotStart = cannotStartWords(session);
  if (cannotStart) {
    return `${cannotStartSentence(text, cannotStart, waited, holders)}.`;
  }
  text +=
    waited === null
      ? ' is waiting'
      : ` has been waiting ${formatDuration(waited)}`;
  const held = session.executors;
  if (held !== null && session.fair_share !== null) {
    text += ` with ${formatNumber(held)} of its fair ${plural(
      session.fair_share,
      'executor'
    )}`;
  } else if (held !== null) {
    text += ` with ${plural(held, 'executor')}`;
  }
  const c = capacity(snapshot.cluster);
  const inUse = snapshot.cluster?.executors_in_use ?? null;
  if (holders.length) {
    text += `: ${joinWords(holders)}`;
  } else if (c !== null && inUse !== null) {
    text += `: ${formatNumber(inUse)} of ${formatNumber(c)} executors are in use`;
  }
  return `${text}.`;
}

/**
 * The starvation notices of a snapshot: the user's own starving sessions
 * (those that `accept` also accepts).
 */
export function starvationNotices(
  snapshot: Snapshot | null,
  now: number,
  accept: (session: Session) => boolean = () => true
): IStarvationNotice[] {
  if (!snapshot) {
    return [];
  }
  return snapshot.sessions
    .filter(s => statusOf(s) === 'starving' && isOwnSession(s) && accept(s))
    .sort((a, b) => a.id - b.id)
    .map(s => {
      const culprits = culpritsOf(s);
      const outside = outsideCulpritsOf(s);
      return {
        sessionId: s.id,
        key: `${s.id}:${[...culprits, ...outside].join(',')}`,
        message: starvationMessage(snapshot, s, culprits, now),
        fix: fixFor(snapshot.advice, culprits)
      };
    });
}
