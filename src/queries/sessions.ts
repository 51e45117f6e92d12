/**
 * Queries about the sessions of a snapshot: names, lookup, what the server
 * decided about them (own, can be stopped, starvation edges) and their
 * executors. Pure; takes the normalized objects of `snapshot.ts`.
 */
import { Cluster, Session, Snapshot } from '../snapshot';
import { count, formatResources, notebookName, plural } from '../words/text';

/**
 * The name of a session: its Livy name, else livy-session-N.
 */
export function sessionName(
  session: Pick<Session, 'id' | 'name'> | null,
  id?: number
): string {
  if (session?.name) {
    return session.name;
  }
  const n = session ? session.id : id;
  return n === undefined ? 'livy-session-?' : `livy-session-${n}`;
}

/**
 * "livy-session-1 (bob, etl.ipynb)": who and where, as far as known.
 */
export function describeSession(session: Session | null, id?: number): string {
  const name = sessionName(session, id);
  if (!session) {
    return name;
  }
  const details: string[] = [];
  if (session.owner) {
    details.push(session.owner);
  }
  // This server's notebook, else the notebook label another instance's kernel set.
  const nb = notebookName(session.notebook?.path ?? session.notebook_label);
  if (nb) {
    details.push(nb);
  }
  return details.length ? `${name} (${details.join(', ')})` : name;
}

/**
 * "livy-session-0 (alice)": the name and owner only (the holder side of a sentence).
 */
export function describeOwner(session: Session | null, id?: number): string {
  const name = sessionName(session, id);
  return session?.owner ? `${name} (${session.owner})` : name;
}

/**
 * Whether a session is driven by a notebook of this Jupyter server, as the
 * server decided (`mine`).
 */
export function isOwnSession(session: Session | null): boolean {
  return session?.mine === true;
}

/**
 * Whether the panel offers to stop a session, as the server decided
 * (`can_stop`: it allows stopping and one of its notebooks drives the
 * session). The server checks again when asked.
 */
export function canStopSession(session: Session | null): boolean {
  return session?.can_stop === true;
}

/**
 * Find a session by id.
 */
export function findSession(
  sessions: readonly Session[],
  id: number | null
): Session | null {
  if (id === null) {
    return null;
  }
  if (sessions.length < 16) {
    return sessions.find(s => s.id === id) ?? null;
  }
  // Long lists (hundreds of sessions, each naming many others): an index per
  // array, built once. The model never modifies a snapshot's arrays in place.
  let index = Private.indexes.get(sessions);
  if (!index) {
    index = new Map();
    for (const s of sessions) {
      if (!index.has(s.id)) {
        index.set(s.id, s);
      }
    }
    Private.indexes.set(sessions, index);
  }
  return index.get(id) ?? null;
}

/**
 * Who starves a session and whom it starves: its `starved_by` and `starving`
 * (the server sends each starvation edge once, in the sessions).
 */
export function relations(
  snapshot: Snapshot | null,
  id: number | null
): { starvedBy: Set<number>; starving: Set<number> } {
  const session = snapshot ? findSession(snapshot.sessions, id) : null;
  const starvedBy = new Set(session?.starved_by);
  const starving = new Set(session?.starving);
  starvedBy.delete(id as number);
  starving.delete(id as number);
  return { starvedBy, starving };
}

/**
 * Executors of a session that the cluster manager has granted but that have
 * not registered with the Spark driver yet: `starting_executors`, else
 * `executors - registered_executors`; null when unknown.
 */
export function startingExecutors(session: Session | null): number | null {
  if (!session) {
    return null;
  }
  const starting = count(session.starting_executors);
  if (starting !== null) {
    return starting;
  }
  const granted = count(session.executors);
  const registered = count(session.registered_executors);
  return granted !== null && registered !== null
    ? Math.max(0, granted - registered)
    : null;
}

/**
 * YARN: executor containers a session asked for that YARN has not allocated
 * yet (it waits on the cluster), when there are some; else null.
 */
export function pendingContainers(session: Session | null): number | null {
  return count(session?.pending_containers) || null;
}

/**
 * "6 containers pending", or null when none are.
 */
export function pendingContainersPhrase(
  session: Session | null
): string | null {
  const pending = pendingContainers(session);
  return pending === null ? null : `${plural(pending, 'container')} pending`;
}

/**
 * The size of one executor of a session, "4 cores · 8 GiB", when it is
 * known and differs from the cluster's executor size; null otherwise (the
 * cluster line says that size, repeating it on every row is clutter).
 */
export function executorSizeNote(
  session: Session | null,
  cluster: Cluster | null
): string | null {
  const cores = count(session?.executor_cores);
  const memory = count(session?.executor_memory_mb);
  const differs = (own: number | null, common: number | null | undefined) =>
    own !== null && own !== count(common);
  if (
    !differs(cores, cluster?.executor_cores) &&
    !differs(memory, cluster?.executor_memory_mb)
  ) {
    return null;
  }
  return formatResources(cores, memory);
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * Session indexes of long session lists, by list.
   */
  export const indexes = new WeakMap<
    readonly Session[],
    Map<number, Session>
  >();
}
