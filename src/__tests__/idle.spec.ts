import { idlePhrase } from '../words/idle';
import { findSession } from '../queries/sessions';
import { formatClock } from '../words/time';
import { aSession, ORPHANED, RECORDED_NOW } from './fixtures';

describe('idlePhrase', () => {
  it('says how long Livy has called it idle and when Livy ends it', () => {
    // forecast: idle since 09:48, its idleTimeout is 1 h (the clock in local time).
    const orphan = findSession(ORPHANED.sessions, 4)!;
    const at = formatClock('2026-11-24T10:48:00Z', RECORDED_NOW);
    expect(idlePhrase(orphan, RECORDED_NOW)).toBe(
      `idle 12 min · Livy ends it in 47 min (at ${at})`
    );
  });

  it('says only what is known', () => {
    const now = new Date(2026, 10, 24, 10, 0).getTime();
    const iso = (minutes: number) =>
      new Date(now + minutes * 60000).toISOString();
    expect(idlePhrase(aSession({ idle_since: iso(-0.5) }), now)).toBe(
      'idle 30 s'
    );
    expect(idlePhrase(aSession({ ends_at: iso(150) }), now)).toBe(
      'Livy ends it in 2 h 30 min (at 12:30)'
    );
    expect(idlePhrase(aSession({}), now)).toBeNull();
    expect(
      idlePhrase(aSession({ idle_since: 'soon', ends_at: 5 }), now)
    ).toBeNull();
    // A busy session: nothing.
    expect(
      idlePhrase(findSession(ORPHANED.sessions, 5)!, RECORDED_NOW)
    ).toBeNull();
  });

  it('says the date when Livy ends it another day, and when it is overdue', () => {
    const now = new Date(2026, 10, 24, 23, 0).getTime();
    const iso = (minutes: number) =>
      new Date(now + minutes * 60000).toISOString();
    expect(idlePhrase(aSession({ ends_at: iso(120) }), now)).toBe(
      'Livy ends it in 2 h (at 2026-11-25 01:00)'
    );
    expect(idlePhrase(aSession({ ends_at: iso(-60) }), now)).toBe(
      "Livy's timeout for it passed at 22:00"
    );
  });
});
