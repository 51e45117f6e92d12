import { formatAgo, formatClock } from '../time';

describe('times', () => {
  it('says how long ago', () => {
    const now = Date.parse('2026-11-24T10:00:05Z');
    expect(formatAgo('2026-11-24T10:00:05Z', now)).toBe('just now');
    expect(formatAgo('2026-11-24T10:00:00Z', now)).toBe('5 s ago');
    expect(formatAgo('2026-11-24T09:57:00Z', now)).toBe('3 min ago');
    expect(formatAgo('not a time', now)).toBe('–');
    expect(formatAgo(null, now)).toBe('–');
  });

  it('gives the clock time, with the date when not today', () => {
    const t = new Date(2026, 10, 24, 9, 7).getTime();
    const iso = new Date(t).toISOString();
    expect(formatClock(iso, t + 60000)).toBe('09:07');
    expect(formatClock(iso, t + 2 * 86400000)).toBe('2026-11-24 09:07');
    expect(formatClock(undefined, t)).toBe('–');
  });
});
