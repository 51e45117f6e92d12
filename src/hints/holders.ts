/**
 * Who holds the executors a notebook's session lacks, as the hints name
 * them: the server's culprits, in a few words, and how long it has waited.
 * Pure; takes the normalized objects of `../snapshot.ts`.
 */
import { cannotStartOf } from '../words/cannotStart';
import { capacity } from '../queries/cluster';
import { unknownSession } from '../model/normalize';
import {
  describeOutside,
  findOutsideApp,
  outsideCulpritsOf,
  outsideHolding,
  outsideShortName
} from '../queries/outside';
import {
  describeOwner,
  findSession,
  sessionName,
  startingExecutors
} from '../queries/sessions';
import { Session, Snapshot, Starvation } from '../snapshot';
import { formatNumber } from '../words/text';
import { secondsSince } from '../words/time';

/**
 * The culprits the server names for a short session (`culprits`), by id.
 */
export function culpritsOf(session: Session): number[] {
  return [...new Set(session.culprits)]
    .filter(id => id !== session.id)
    .sort((a, b) => a - b);
}

/**
 * The sessions that hold executors at the expense of `session`: the culprits
 * the server names for it (empty unless it is short), most executors first.
 */
export function holdersOf(snapshot: Snapshot, session: Session): Session[] {
  const holders = culpritsOf(session).map(id => sessionOf(snapshot, id));
  return holders.sort(
    (a, b) => (b.executors ?? -1) - (a.executors ?? -1) || a.id - b.id
  );
}

/**
 * A session of the snapshot by id, or one that only knows its id.
 */
export function sessionOf(snapshot: Snapshot, id: number): Session {
  return findSession(snapshot.sessions, id) ?? unknownSession(id);
}

/**
 * The starvation entry of a session, if any.
 */
export function starvationOf(
  snapshot: Snapshot | null,
  id: number
): Starvation | null {
  return snapshot?.starvation.find(e => e.session === id) ?? null;
}

/**
 * "livy-session-0 holds 9 of 9", "livy-session-0 and 1 other hold 8 of 9",
 * "nightly etl (outside Livy) holds 4 of 5", "9 of 9 executors in use"; null
 * when nothing is known. `outside`: the app ids of the applications outside
 * Livy it waits on (its `outside_culprits`), named with the sessions, the
 * one holding the most first.
 */
export function holdersPhrase(
  snapshot: Snapshot,
  holders: readonly Session[],
  outside: readonly string[] = []
): string | null {
  const c = capacity(snapshot.cluster);
  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  const all = [
    ...holders.map(h => ({ name: sessionName(h), executors: h.executors })),
    ...outside.map(id => {
      const app = findOutsideApp(snapshot.outside_livy, id);
      return {
        name: `${outsideShortName(app, id)} (outside Livy)`,
        executors: app?.executors ?? null
      };
    })
  ];
  // Stable: sessions before applications holding as many.
  all.sort((a, b) => (b.executors ?? -1) - (a.executors ?? -1));
  if (all.length) {
    const first = all[0].name;
    const held = all
      .map(h => h.executors)
      .filter((e): e is number => e !== null);
    const total = held.length ? held.reduce((a, b) => a + b, 0) : null;
    if (all.length === 1) {
      return total === null
        ? `${first} holds them`
        : `${first} holds ${formatNumber(total)}${of}`;
    }
    const others = all.length - 1;
    const who = `${first} and ${others} other${others === 1 ? '' : 's'}`;
    return total === null
      ? `${who} hold them`
      : `${who} hold ${formatNumber(total)}${of}`;
  }
  const used = snapshot.cluster?.executors_in_use ?? null;
  if (c !== null && used !== null) {
    return `${formatNumber(used)}${of} executors in use`;
  }
  return null;
}

/**
 * The culprits of a short session in words, sessions (`ids`) then the
 * applications outside Livy it waits on: "livy-session-0 (alice) holds 9 of
 * 9", "application_1_0007 (nightly etl, user etl) outside Livy holds 4 of 5".
 * At the queue's AM-resource limit they take drivers, not executors: only
 * who they are.
 */
export function culpritPhrases(
  snapshot: Snapshot,
  session: Session,
  ids: readonly number[]
): string[] {
  const c = capacity(snapshot.cluster);
  const counts = cannotStartOf(session) !== 'am-limit';
  return [
    ...ids.map(id => {
      const h = sessionOf(snapshot, id);
      return counts ? holding(h, c) : describeOwner(h, id);
    }),
    ...outsideCulpritsOf(session).map(id => {
      const app = findOutsideApp(snapshot.outside_livy, id);
      return counts
        ? outsideHolding(app, id, c)
        : `${describeOutside(app, id)} outside Livy`;
    })
  ];
}

/**
 * Seconds a session has been short of executors (the starvation's start,
 * else its status' start), or null.
 */
export function waitedSeconds(
  snapshot: Snapshot,
  session: Session,
  now: number
): number | null {
  const entry = starvationOf(snapshot, session.id);
  return (
    secondsSince(entry?.since, now) ?? secondsSince(session.status_since, now)
  );
}

/**
 * " (2 still starting)" when some of a session's executors are granted but
 * not yet registered with its driver, else "".
 */
export function stillStarting(session: Session): string {
  const starting = startingExecutors(session);
  return starting ? ` (${formatNumber(starting)} still starting)` : '';
}

/**
 * "livy-session-0 (alice) holds 9 of 9".
 */
export function holding(session: Session, c: number | null): string {
  const name = describeOwner(session, session.id);
  if (session.executors === null) {
    return name;
  }
  return `${name} holds ${formatNumber(session.executors)}${
    c === null ? '' : ` of ${formatNumber(c)}`
  }`;
}
