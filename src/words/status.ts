/**
 * The statuses the server decides: the panel's words for each, in one table,
 * and their order of urgency. Pure.
 *
 * The statuses and their order come from the server (glue_sessions/snapshot.py,
 * generated into `types.ts`); `STATUS_WORDS` has one row per status, and the
 * compiler fails when a status has none.
 */
import { Session, SessionStatus } from '../snapshot';
import { formatDuration, formatNumber, plural } from './text';
import { SESSION_STATUSES } from '../types';

/**
 * What a notebook's hint knows about its session, for the toolbar words.
 */
export interface IHintFacts {
  /** The session's name ("livy-session-3"). */
  name: string;
  /** Executors it holds, if known. */
  held: number | null;
  /** The endpoint's executor slots, if known. */
  capacity: number | null;
  /** Who holds the executors it waits for ("livy-session-0 holds 9 of 9"). */
  phrase: string | null;
  /** " (2 still starting)" when some of its executors are starting, else "". */
  starting: string;
  /** Seconds it has been short of executors, if known. */
  waited: number | null;
}

/**
 * The panel's words for one status.
 */
export interface IStatusWords {
  /** The status as words: "OK", "Idle hoarding". */
  label: string;
  /** A short explanation, for tooltips and screen readers. */
  help: string;
  /** The few words of a notebook's toolbar item ("Spark: idle"). */
  hint: (facts: IHintFacts) => string;
}

/**
 * The panel's words for every status the server decides.
 */
export const STATUS_WORDS: Record<SessionStatus, IStatusWords> = {
  starving: {
    label: 'Starving',
    help: 'Has held fewer executors than its fair share for longer than the starvation threshold, while others hold more than theirs.',
    hint: f => {
      const head =
        f.waited === null
          ? 'Spark: starving'
          : `Spark: starving ${formatDuration(f.waited)}`;
      return f.phrase ? `${head} - ${f.phrase}` : head;
    }
  },
  hogging: {
    label: 'Hogging',
    help: 'Holds more executors than its fair share while others wait.',
    hint: f =>
      f.held === null
        ? 'Spark: hogging'
        : f.capacity === null
          ? `Spark: hogging ${plural(f.held, 'executor')}`
          : `Spark: hogging ${formatNumber(f.held)} of ${formatNumber(f.capacity)}`
  },
  'idle-hoarding': {
    label: 'Idle hoarding',
    help: 'Holds executors with no task to run (cached data pins executors).',
    hint: f =>
      f.held === null
        ? 'Spark: idle, holding executors'
        : `Spark: idle, holding ${plural(f.held, 'executor')}`
  },
  waiting: {
    label: 'Waiting',
    help: 'Has tasks but fewer executors than it needs, for less time than the starvation threshold (or the cluster is simply full).',
    hint: f =>
      f.phrase ? `Spark: waiting - ${f.phrase}` : 'Spark: waiting for executors'
  },
  orphaned: {
    label: 'Orphaned',
    help: "Created by a notebook kernel of this server that no longer runs it (the kernel died or was restarted): nobody uses it, and it holds what it holds until Livy's idle timeout.",
    hint: f => `Spark: ${f.name} orphaned`
  },
  starting: {
    label: 'Starting',
    help: 'The Spark application is starting.',
    hint: f => `Spark: starting ${f.name}`
  },
  ok: {
    label: 'OK',
    help: 'Runs with the executors it needs.',
    hint: f =>
      f.held === null
        ? `Spark: ${f.name} running`
        : f.capacity === null
          ? `Spark: ${plural(f.held, 'executor')}${f.starting}`
          : `Spark: ${formatNumber(f.held)} of ${plural(f.capacity, 'executor')}${f.starting}`
  },
  idle: {
    label: 'Idle',
    help: 'No job running and no executors held.',
    hint: () => 'Spark: idle'
  },
  gone: {
    label: 'Gone',
    help: 'The session ended or is no longer visible.',
    hint: f => `Spark: ${f.name} ended`
  }
};

/**
 * The statuses the panel knows, most urgent first (the server's order).
 */
export const STATUS_ORDER: readonly SessionStatus[] = SESSION_STATUSES;

const RANK = new Map<string, number>(STATUS_ORDER.map((s, i) => [s, i]));

/**
 * Whether a value is a status the panel knows.
 */
export function isStatus(value: unknown): value is SessionStatus {
  return typeof value === 'string' && RANK.has(value);
}

/**
 * The words of a status, or undefined for one the panel does not know.
 */
export function statusWords(status: string): IStatusWords | undefined {
  return isStatus(status) ? STATUS_WORDS[status] : undefined;
}

/**
 * A short explanation of a status, for tooltips and screen readers; undefined
 * for a status the panel does not know.
 */
export function statusHelp(status: string): string | undefined {
  return statusWords(status)?.help;
}

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
  return RANK.get(status ?? '') ?? STATUS_ORDER.length;
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
  return (
    statusWords(status)?.label ??
    status.charAt(0).toUpperCase() + status.slice(1).replace('-', ' ')
  );
}
