/**
 * Orphaned sessions: this server's sessions whose notebook kernel no longer
 * runs them (the server's `notebook.orphaned`), and what they hold. Pure.
 */
import { Session } from '../snapshot';
import { count, plural } from '../words/text';

/**
 * Whether the server says nobody uses the session any more: the kernel of
 * this server that created it no longer runs it. Whatever its status (an
 * orphan can be waiting too).
 */
export function isOrphan(session: Pick<Session, 'notebook'> | null): boolean {
  return session?.notebook?.orphaned === true;
}

/**
 * What a session holds on the cluster: "1 executor and its driver", "its
 * driver", "3 executors"; null when nothing (or nothing known).
 */
export function holdsPhrase(
  session: Pick<Session, 'executors' | 'driver_cores' | 'driver_memory_mb'>
): string | null {
  const held: string[] = [];
  const executors = count(session.executors);
  if (executors) {
    held.push(plural(executors, 'executor'));
  }
  if (count(session.driver_cores) || count(session.driver_memory_mb)) {
    held.push('its driver');
  }
  return held.length ? held.join(' and ') : null;
}
