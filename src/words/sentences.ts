/**
 * The panel's sentences about a snapshot: who starves whom and for how long,
 * each session's status line, the advice in order, the one-line summary.
 * Pure; takes the normalized objects of `snapshot.ts`.
 */
import { capacity } from '../queries/cluster';
import {
  describeOwner,
  describeSession,
  findSession,
  isOwnSession,
  sessionName
} from '../queries/sessions';
import {
  cannotStartOf,
  cannotStartWords,
  ICannotStartWords
} from './cannotStart';
import { holdsPhrase } from '../queries/orphans';
import {
  describeOutside,
  findOutsideApp,
  outsideCulpritsOf,
  outsideExecutors,
  outsideHolding,
  outsideShortName
} from '../queries/outside';
import {
  Advice,
  OutsideLivyApp,
  Session,
  Snapshot,
  Starvation
} from '../snapshot';
import { statusLabel, statusOf } from './status';
import { formatDuration, formatNumber, joinWords, plural } from './text';
import { parseTime, secondsSince } from './time';

/**
 * The starvation of one session in words, e.g.
 * "livy-session-1 (bob, etl.ipynb) has waited 3 min with 0 of its fair 4.5
 * executors: livy-session-0 (alice) holds 9 of 9", or for a session whose
 * driver cannot start "livy-session-3 (bob) cannot start: no room for its
 * driver, for 2 min: livy-session-0 (alice) holds 5 of 5". The applications
 * outside Livy it waits on are named after the sessions.
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
  const c = capacity(snapshot.cluster);
  const by = victim?.starved_by ?? [];
  const outside = outsideCulpritsOf(victim);
  const cannot = cannotStartWords(victim);

  if (cannot) {
    return cannotStartSentence(
      describeSession(victim, entry.session),
      cannot,
      waited,
      cannotStartHolders(
        victim,
        by,
        sessions,
        snapshot.outside_livy,
        c,
        phrases
      )
    );
  }

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

  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  const inUse = snapshot.cluster?.executors_in_use ?? null;
  if (by.length || outside.length) {
    const holders = [
      ...by.map(id => holderPhrase(sessions, id, c, phrases)),
      ...outside.map(id => outsidePhrase(snapshot.outside_livy, id, c))
    ];
    sentence += `: ${joinWords(holders)}`;
  } else if (c !== null && inUse !== null) {
    sentence += `: ${formatNumber(inUse)}${of} executors are in use`;
  }
  return sentence;
}

/**
 * "livy-session-3 cannot start: no room for its driver, for 2 min:
 * livy-session-0 (alice) holds 5 of 5": who, why, since when, and who keeps
 * it out (`holders`, their phrases), as far as known.
 */
export function cannotStartSentence(
  who: string,
  words: ICannotStartWords,
  waited: number | null,
  holders: readonly string[]
): string {
  let sentence = `${who} cannot start: ${words.why}`;
  if (waited !== null) {
    sentence += `, for ${formatDuration(waited)}`;
  }
  if (holders.length) {
    sentence += `: ${words.holders(holders)}`;
  }
  return sentence;
}

/**
 * Who keeps a session that cannot start out, in phrases: the sessions `ids`,
 * then the applications outside Livy it waits on. When the cluster is full,
 * each with what it holds of `c`; at the AM-resource limit only who each is
 * (they take drivers, not executors).
 */
function cannotStartHolders(
  session: Session | null,
  ids: readonly number[],
  sessions: readonly Session[],
  apps: readonly OutsideLivyApp[],
  c: number | null,
  phrases?: Map<number, string>
): string[] {
  const counts = cannotStartOf(session) === 'cluster-full';
  return [
    ...ids.map(id =>
      counts
        ? holderPhrase(sessions, id, c, phrases)
        : describeOwner(findSession(sessions, id), id)
    ),
    ...outsideCulpritsOf(session).map(id =>
      outsidePhrase(apps, id, counts ? c : undefined)
    )
  ];
}

/**
 * "livy-session-0 (alice) holds 9 of 9", made once per holder when
 * `phrases` is given.
 */
function holderPhrase(
  sessions: readonly Session[],
  id: number,
  c: number | null,
  phrases?: Map<number, string>
): string {
  const made = phrases?.get(id);
  if (made !== undefined) {
    return made;
  }
  const hog = findSession(sessions, id);
  const name = describeOwner(hog, id);
  const h = hog?.executors ?? null;
  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  const phrase = h === null ? name : `${name} holds ${formatNumber(h)}${of}`;
  phrases?.set(id, phrase);
  return phrase;
}

/**
 * An application outside Livy as a holder: with what it holds of `c`, or
 * (c undefined) only who it is.
 */
function outsidePhrase(
  apps: readonly OutsideLivyApp[],
  appId: string,
  c?: number | null
): string {
  const app = findOutsideApp(apps, appId);
  return c === undefined
    ? `${describeOutside(app, appId)} outside Livy`
    : outsideHolding(app, appId, c);
}

/**
 * A starving session, in the order of the panel's starvation list.
 */
export interface IStarvationItem {
  session: number;
  /** The sessions that starve it (`starved_by`). */
  by: number[];
  /** The applications outside Livy it waits on, in a few words each. */
  outside: string[];
  text: string;
}

/**
 * All starvation sentences of a snapshot, the longest waits first.
 */
export function starvationSentences(
  snapshot: Snapshot | null,
  now: number
): IStarvationItem[] {
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
    .map(e => {
      const victim = findSession(snapshot.sessions, e.session);
      return {
        session: e.session,
        by: victim?.starved_by ?? [],
        outside: outsideCulpritsOf(victim).map(id =>
          outsideShortName(findOutsideApp(snapshot.outside_livy, id), id)
        ),
        text: starvationSentence(e, snapshot, now, phrases)
      };
    });
}

/**
 * What a status line knows beyond the sessions: the applications outside
 * Livy, the endpoint's executor slots, the starvation entries.
 */
export interface ISentenceContext {
  outside: readonly OutsideLivyApp[];
  capacity: number | null;
  starvation: readonly Starvation[];
}

const NO_CONTEXT: ISentenceContext = {
  outside: [],
  capacity: null,
  starvation: []
};

/**
 * One line on a session's status: how long, and its starvation edges, e.g.
 * "Starving for 3 min, starved by livy-session-0", "Hogging for 3 min,
 * starving livy-session-1 and livy-session-2", "Orphaned for 12 min, holding
 * 1 executor and its driver", or for a session whose driver cannot start
 * "livy-session-3 cannot start: no room for its driver, for 2 min:
 * livy-session-0 (alice) holds 5 of 5" (since the starvation's start).
 */
export function statusSentence(
  session: Session,
  sessions: readonly Session[],
  now: number,
  context: ISentenceContext = NO_CONTEXT
): string {
  const status = statusOf(session);
  const names = (ids: readonly number[]) =>
    ids.map(id => sessionName(findSession(sessions, id), id));
  const outside = outsideCulpritsOf(session);
  const cannot = cannotStartWords(session);
  if (cannot && (status === 'waiting' || status === 'starving')) {
    const entry = context.starvation.find(e => e.session === session.id);
    const waited =
      secondsSince(entry?.since, now) ??
      secondsSince(session.status_since, now);
    const holders = cannotStartHolders(
      session,
      culpritsOf(session),
      sessions,
      context.outside,
      context.capacity
    );
    return cannotStartSentence(sessionName(session), cannot, waited, holders);
  }

  const label = statusLabel(status);
  const since = secondsSince(session.status_since, now);
  const parts = [
    since === null || status === 'unknown'
      ? label
      : `${label} for ${formatDuration(since)}`
  ];
  if (status === 'orphaned') {
    const held = holdsPhrase(session);
    if (held) {
      parts.push(`holding ${held}`);
    }
  }
  const by = [
    ...names(session.starved_by),
    ...(status === 'starving'
      ? outside.map(id => outsidePhrase(context.outside, id))
      : [])
  ];
  if (by.length) {
    parts.push(`starved by ${joinWords(by)}`);
  }
  const victims = joinWords(names(session.starving));
  if (victims) {
    parts.push(`starving ${victims}`);
  }
  return parts.join(', ');
}

/**
 * The culprits the server names for a short session, each once, without itself.
 */
function culpritsOf(session: Session): number[] {
  return [...new Set(session.culprits)].filter(id => id !== session.id);
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
    const outside = outsideExecutors(snapshot.outside_livy);
    parts.push(
      `${formatNumber(snapshot.cluster?.executors_in_use)} of ${formatNumber(c)} executors in use` +
        (outside ? ` (${formatNumber(outside)} outside Livy)` : '')
    );
  }
  if (starving) {
    parts.push(`${starving} starving`);
  }
  return parts.join(', ');
}
