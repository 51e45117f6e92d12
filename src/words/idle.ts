/**
 * How long Livy has called a session idle and when Livy will end it (the
 * server's `idle_since` and `ends_at`), in a few words. Pure.
 */
import { Session } from '../snapshot';
import { formatDuration } from './text';
import { formatClock, parseTime, secondsSince } from './time';

/**
 * "idle 12 min · Livy ends it in 47 min (at 10:48)": since when Livy has
 * called the session idle (as seen here), and when Livy will end it if it
 * stays idle, where Livy says; null when neither is known.
 */
export function idlePhrase(
  session: Pick<Session, 'idle_since' | 'ends_at'>,
  now: number
): string | null {
  const parts: string[] = [];
  const idle = secondsSince(session.idle_since, now);
  if (idle !== null) {
    parts.push(`idle ${formatDuration(idle)}`);
  }
  const ends = parseTime(session.ends_at);
  if (ends !== null) {
    const at = formatClock(session.ends_at, now);
    parts.push(
      ends > now
        ? `Livy ends it in ${formatDuration((ends - now) / 1000)} (at ${at})`
        : `Livy's timeout for it passed at ${at}`
    );
  }
  return parts.length ? parts.join(' · ') : null;
}
