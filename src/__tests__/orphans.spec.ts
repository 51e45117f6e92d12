import { holdsPhrase, isOrphan } from '../queries/orphans';
import { findSession } from '../queries/sessions';
import { aSession, EXAMPLE, ORPHANED } from './fixtures';

describe('isOrphan', () => {
  it('is what the server says of its notebook, whatever the status', () => {
    expect(isOrphan(findSession(ORPHANED.sessions, 4))).toBe(true);
    expect(isOrphan(findSession(ORPHANED.sessions, 5))).toBe(false);
    expect(isOrphan(EXAMPLE.sessions[1])).toBe(false);
    expect(
      isOrphan(
        aSession({
          status: 'waiting',
          notebook: { kernel_id: 'k', orphaned: true }
        })
      )
    ).toBe(true);
    // Only a real true.
    expect(
      isOrphan(aSession({ notebook: { kernel_id: 'k', orphaned: 'yes' } }))
    ).toBe(false);
    expect(isOrphan(aSession({ status: 'orphaned' }))).toBe(false);
    expect(isOrphan(null)).toBe(false);
  });
});

describe('holdsPhrase', () => {
  it('says what a session holds: executors and its driver', () => {
    expect(holdsPhrase(findSession(ORPHANED.sessions, 4)!)).toBe(
      '1 executor and its driver'
    );
  });

  it.each([
    [{ executors: 3, driver_cores: 0, driver_memory_mb: 0 }, '3 executors'],
    [{ executors: 0, driver_memory_mb: 1024 }, 'its driver'],
    [{ executors: 0 }, null],
    [{}, null]
  ])('says what a session holds: %j', (fields, phrase) => {
    expect(holdsPhrase(aSession(fields))).toBe(phrase);
  });
});
