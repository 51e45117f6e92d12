/**
 * Sessions whose driver cannot start (the server's `cannot_start`): the
 * panel's words for each reason, in one table, and YARN's own words about
 * them, cut to fit. Pure.
 *
 * The reasons come from the server (glue_sessions/snapshot.py `CannotStart`,
 * generated into `types.ts`); `CANNOT_START_WORDS` has one row per reason, and
 * the compiler fails when a reason has none.
 */
import { Session } from '../snapshot';
import { joinWords, truncate } from './text';
import { CannotStart } from '../types';

/**
 * The panel's words for one reason a driver cannot start.
 */
export interface ICannotStartWords {
  /** Why, after "cannot start: " ("no room for its driver"). */
  why: string;
  /** One or two sentences for tooltips: what it means, what helps. */
  help: string;
  /**
   * The few words of a notebook's toolbar item, given who holds what it
   * waits for ("livy-session-0 holds 5 of 5"), if known.
   */
  hint: (holders: string | null) => string;
  /**
   * Who keeps it out, given the holders' phrases ("livy-session-0 (alice)
   * holds 5 of 5"): the end of a sentence after "cannot start: why, for 2 min: ".
   */
  holders: (phrases: readonly string[]) => string;
}

/**
 * The panel's words for every reason the server gives.
 */
export const CANNOT_START_WORDS: Record<CannotStart, ICannotStartWords> = {
  'cluster-full': {
    why: 'no room for its driver',
    help: "YARN has no container for its driver (the application master): the cluster is full. It starts when the sessions above their fair share release executors; Livy says 'starting' meanwhile.",
    hint: holders =>
      `Spark: cannot start - ${holders ?? 'no room for its driver'}`,
    holders: phrases => joinWords(phrases)
  },
  'am-limit': {
    why: "the queue's AM-resource limit is reached",
    help: "YARN keeps its driver (the application master) out: the drivers already running in its queue take all of the queue's AM resources (yarn.scheduler.capacity.maximum-am-resource-percent). Free executors do not help; stopping an idle session's driver, or raising the limit, does.",
    hint: () => "Spark: cannot start - queue's AM limit",
    holders: phrases => `the drivers of ${joinWords(phrases)} take it`
  }
};

/**
 * Why a session's driver cannot start, as the server says; null when it can
 * (or the server gave a reason this panel does not know).
 */
export function cannotStartOf(
  session: Pick<Session, 'cannot_start'> | null
): CannotStart | null {
  const reason = session?.cannot_start;
  return reason &&
    Object.prototype.hasOwnProperty.call(CANNOT_START_WORDS, reason)
    ? (reason as CannotStart)
    : null;
}

/**
 * The words for a session that cannot start, or undefined when it can.
 */
export function cannotStartWords(
  session: Pick<Session, 'cannot_start'> | null
): ICannotStartWords | undefined {
  const reason = cannotStartOf(session);
  return reason === null ? undefined : CANNOT_START_WORDS[reason];
}

/**
 * "cannot start: no room for its driver", or null when it can start.
 */
export function cannotStartPhrase(
  session: Pick<Session, 'cannot_start'> | null
): string | null {
  const words = cannotStartWords(session);
  return words ? `cannot start: ${words.why}` : null;
}

/**
 * Longest YARN diagnostics shown at once (their first sentence); the whole
 * text (the server sends at most 1,000 characters) is one click away.
 */
export const DIAGNOSTICS_SUMMARY = 120;

/**
 * YARN's words, whitespace collapsed; null when it said nothing.
 */
export function diagnosticsText(
  text: string | null | undefined
): string | null {
  const collapsed = (text ?? '').replace(/\s+/g, ' ').trim();
  return collapsed || null;
}

/**
 * The gist of YARN's words: their first sentence, without the time stamp YARN
 * puts first ("[Sun Dec 06 01:25:50 +0000 2026] "), cut at `max` characters
 * with an ellipsis; null when it said nothing.
 */
export function diagnosticsSummary(
  text: string | null | undefined,
  max = DIAGNOSTICS_SUMMARY
): string | null {
  const all = diagnosticsText(text);
  if (!all) {
    return null;
  }
  const body = all.replace(/^\[[^\]]{0,64}\]\s*/, '') || all;
  const end = body.search(/[.;](\s|$)/);
  const first = end > 0 ? body.slice(0, end + 1) : body;
  return truncate(first, max);
}
