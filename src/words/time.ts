/**
 * Times as the panel writes them: ISO 8601 strings of the server read as
 * milliseconds, "3 min ago", "10:03". Pure.
 */
import { formatDuration, UNKNOWN } from './text';

/**
 * Milliseconds since the epoch of an ISO 8601 time, or null.
 */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) {
    return null;
  }
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/**
 * Seconds elapsed from an ISO time until `now` (ms), or null.
 */
export function secondsSince(
  iso: string | null | undefined,
  now: number
): number | null {
  const t = parseTime(iso);
  return t === null ? null : Math.max(0, (now - t) / 1000);
}

/**
 * "12 s ago", "3 min ago", "just now"; UNKNOWN when the time is unknown.
 */
export function formatAgo(iso: string | null | undefined, now: number): string {
  const s = secondsSince(iso, now);
  if (s === null) {
    return UNKNOWN;
  }
  if (s < 2) {
    return 'just now';
  }
  return `${formatDuration(s)} ago`;
}

/**
 * The wall clock time of an ISO time ("10:03"), with the date when it is not today.
 */
export function formatClock(
  iso: string | null | undefined,
  now: number
): string {
  const t = parseTime(iso);
  if (t === null) {
    return UNKNOWN;
  }
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  if (
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate()
  ) {
    return clock;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}
