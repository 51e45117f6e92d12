/**
 * The statuses the server decides, in the panel's order of urgency, and their
 * explanations. Pure.
 */
import { Session, SessionStatus } from './snapshot';

/**
 * The statuses the panel knows, most urgent first.
 */
export const STATUS_ORDER: readonly SessionStatus[] = [
  'starving',
  'hogging',
  'idle-hoarding',
  'waiting',
  'starting',
  'ok',
  'idle',
  'gone'
];

/**
 * A short explanation of each status, for tooltips and screen readers.
 */
export const STATUS_HELP: { [status: string]: string } = {
  ok: 'Runs with the executors it needs.',
  starting: 'The Spark application is starting.',
  idle: 'No job running and no executors held.',
  waiting:
    'Has tasks but fewer executors than it needs, for less time than the starvation threshold (or the cluster is simply full).',
  starving:
    'Has held fewer executors than its fair share for longer than the starvation threshold, while others hold more than theirs.',
  hogging: 'Holds more executors than its fair share while others wait.',
  'idle-hoarding':
    'Holds executors with no task to run (cached data pins executors).',
  gone: 'The session ended or is no longer visible.'
};

/**
 * A session's status, or 'unknown'.
 */
export function statusOf(session: Pick<Session, 'status'>): string {
  return session.status ?? 'unknown';
}

/**
 * Severity rank of a status: 0 is the most urgent.
 */
export function statusSeverity(status: string | null | undefined): number {
  const i = (STATUS_ORDER as readonly string[]).indexOf(status ?? '');
  return i < 0 ? STATUS_ORDER.length : i;
}

/**
 * Sessions sorted most urgent first, then by id (oldest first). Does not
 * modify its input.
 *
 * Not by executors held: a row then keeps its place while its session gains
 * or loses executors (it does every poll on a busy cluster), so it does not
 * move under the pointer or the reader's eye, and the DOM does not move rows.
 */
export function sortSessions(sessions: readonly Session[]): Session[] {
  return [...sessions].sort(
    (a, b) =>
      statusSeverity(statusOf(a)) - statusSeverity(statusOf(b)) || a.id - b.id
  );
}

/**
 * A status as words: "OK", "Idle hoarding", "Status unknown".
 */
export function statusLabel(status: string): string {
  if (status === 'unknown') {
    return 'Status unknown';
  }
  return status === 'ok'
    ? 'OK'
    : status.charAt(0).toUpperCase() + status.slice(1).replace('-', ' ');
}
