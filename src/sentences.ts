/**
 * The panel's sentences about a snapshot: who starves whom and for how long,
 * each session's status line, the advice in order, the one-line summary.
 * Pure; takes the normalized objects of `snapshot.ts`.
 */
import { capacity } from './cluster';
import {
  describeOwner,
  describeSession,
  findSession,
  isOwnSession,
  sessionName
} from './sessions';
import { Advice, Session, Snapshot, Starvation } from './snapshot';
import { statusLabel, statusOf } from './status';
import { formatDuration, formatNumber, joinWords, plural } from './text';
import { parseTime, secondsSince } from './time';

/**
 * The starvation of one session in words, e.g.
 * "livy-session-1 (bob, etl.ipynb) has waited 3 min with 0 of its fair 4.5
 * executors: livy-session-0 (alice) holds 9 of 9".
 * `phrases` (optional): the holders' phrases by session id, shared by the
 * sentences of one snapshot at one time.
 */
export function starvationSentence(
  entry: Starvation,
  snapshot: Snapshot,
  now: number,
  phrases?: Map<number, string>
): string {
  const sessions = snapshot.sessions;
  const victim = findSession(sessions, entry.session);
  const held = victim?.executors ?? null;
  const fair = victim?.fair_share ?? null;
  const waited = secondsSince(entry.since, now);

  let sentence = describeSession(victim, entry.session);
  sentence +=
    waited === null ? ' is waiting' : ` has waited ${formatDuration(waited)}`;
  if (held !== null && fair !== null) {
    sentence += ` with ${formatNumber(held)} of its fair ${plural(fair, 'executor')}`;
  } else if (held !== null) {
    sentence += ` with ${plural(held, 'executor')}`;
  } else if (entry.deficit_executors !== null) {
    sentence += `, ${plural(entry.deficit_executors, 'executor')} short`;
  }

  const c = capacity(snapshot.cluster);
  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  const by = victim?.starved_by ?? [];
  const inUse = snapshot.cluster?.executors_in_use ?? null;
  if (by.length) {
    const holders = by.map(id => {
      const made = phrases?.get(id);
      if (made !== undefined) {
        return made;
      }
      const hog = findSession(sessions, id);
      const name = describeOwner(hog, id);
      const h = hog?.executors ?? null;
      const phrase =
        h === null ? name : `${name} holds ${formatNumber(h)}${of}`;
      phrases?.set(id, phrase);
      return phrase;
    });
    sentence += `: ${joinWords(holders)}`;
  } else if (c !== null && inUse !== null) {
    sentence += `: ${formatNumber(inUse)}${of} executors are in use`;
  }
  return sentence;
}

/**
 * All starvation sentences of a snapshot, the longest waits first.
 */
export function starvationSentences(
  snapshot: Snapshot | null,
  now: number
): { session: number; by: number[]; text: string }[] {
  if (!snapshot) {
    return [];
  }
  // Hundreds of edges name the same few holders: each time and each
  // holder's phrase is made once.
  const since = new Map<Starvation, number>();
  const at = (e: Starvation) => {
    let t = since.get(e);
    if (t === undefined) {
      t = parseTime(e.since) ?? Infinity;
      since.set(e, t);
    }
    return t;
  };
  const phrases = new Map<number, string>();
  return [...snapshot.starvation]
    .sort((a, b) => at(a) - at(b))
    .map(e => ({
      session: e.session,
      by: findSession(snapshot.sessions, e.session)?.starved_by ?? [],
      text: starvationSentence(e, snapshot, now, phrases)
    }));
}

/**
 * One line on a session's status: how long, and its starvation edges, e.g.
 * "Starving for 3 min, starved by livy-session-0" or "Hogging for 3 min,
 * starving livy-session-1 and livy-session-2".
 */
export function statusSentence(
  session: Session,
  sessions: readonly Session[],
  now: number
): string {
  const status = statusOf(session);
  const names = (ids: readonly number[]) =>
    joinWords(ids.map(id => sessionName(findSession(sessions, id), id)));
  const label = statusLabel(status);
  const since = secondsSince(session.status_since, now);
  const parts = [
    since === null || status === 'unknown'
      ? label
      : `${label} for ${formatDuration(since)}`
  ];
  const by = names(session.starved_by);
  if (by) {
    parts.push(`starved by ${by}`);
  }
  const victims = names(session.starving);
  if (victims) {
    parts.push(`starving ${victims}`);
  }
  return parts.join(', ');
}

/**
 * Advice sorted: advice about the user's own sessions first, then general.
 */
export function sortAdvice(
  advice: readonly Advice[],
  sessions: readonly Session[]
): Advice[] {
  const rank = (a: Advice) => {
    const s = findSession(sessions, a.session);
    if (s && isOwnSession(s)) {
      return 0;
    }
    return s ? 1 : 2;
  };
  return [...advice].sort((a, b) => rank(a) - rank(b));
}

/**
 * A one-line summary of the whole endpoint, for a status line or a tooltip.
 */
export function summary(snapshot: Snapshot | null): string {
  if (!snapshot) {
    return 'No data yet';
  }
  if (snapshot.endpoint?.reachable === false) {
    return 'Endpoint unreachable';
  }
  const sessions = snapshot.sessions;
  const starving = sessions.filter(s => statusOf(s) === 'starving').length;
  const c = capacity(snapshot.cluster);
  const parts = [plural(sessions.length, 'session')];
  if (c !== null) {
    parts.push(
      `${formatNumber(snapshot.cluster?.executors_in_use)} of ${formatNumber(c)} executors in use`
    );
  }
  if (starving) {
    parts.push(`${starving} starving`);
  }
  return parts.join(', ');
}
