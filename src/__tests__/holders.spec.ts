import { culpritPhrases, holdersOf, holdersPhrase } from '../hints/holders';
import { findSession } from '../sessions';
import {
  aSnapshot,
  CANNOT_START,
  EXAMPLE,
  ORPHANED,
  someSessions
} from './fixtures';

const NIGHTLY = 'application_1796520293603_0003';

describe('holdersPhrase', () => {
  it('names the sessions the server names (real YARN)', () => {
    const blocked = findSession(CANNOT_START.sessions, 1)!;
    expect(
      holdersPhrase(CANNOT_START, holdersOf(CANNOT_START, blocked), [])
    ).toBe('livy-session-0 holds 5 of 5');
  });

  it('names applications outside Livy, the one holding the most first', () => {
    const report = findSession(ORPHANED.sessions, 5)!;
    const holders = holdersOf(ORPHANED, report);
    expect(holdersPhrase(ORPHANED, holders, [NIGHTLY])).toBe(
      'nightly etl (outside Livy) and 1 other hold 5 of 5'
    );
    expect(holdersPhrase(ORPHANED, [], [NIGHTLY])).toBe(
      'nightly etl (outside Livy) holds 4 of 5'
    );
    // An application the snapshot does not list: its id, what it holds unknown.
    expect(holdersPhrase(ORPHANED, [], ['application_9_9'])).toBe(
      'application_9_9 (outside Livy) holds them'
    );
    // Without outside applications, as before.
    expect(holdersPhrase(ORPHANED, holders)).toBe(
      'livy-session-4 holds 1 of 5'
    );
    expect(holdersPhrase(EXAMPLE, [])).toBe('9 of 9 executors in use');
  });
});

describe('culpritPhrases', () => {
  it('say what each holds, sessions first', () => {
    const report = findSession(ORPHANED.sessions, 5)!;
    expect(culpritPhrases(ORPHANED, report, [4])).toEqual([
      'livy-session-4 (dana) holds 1 of 5',
      `${NIGHTLY} (nightly etl, user etl) outside Livy holds 4 of 5`
    ]);
  });

  it("say only who they are at the queue's AM-resource limit", () => {
    const limited = aSnapshot({
      cluster: { max_executors: 6 },
      sessions: [
        { id: 0, owner: 'alice', executors: 2 },
        { id: 1, cannot_start: 'am-limit', outside_culprits: ['a_1'] }
      ],
      outside_livy: [{ app_id: 'a_1', name: 'batch', executors: 3 }]
    });
    expect(
      culpritPhrases(limited, findSession(limited.sessions, 1)!, [0])
    ).toEqual(['livy-session-0 (alice)', 'a_1 (batch) outside Livy']);
  });
});

describe('holdersPhrase', () => {
  it('without holders or cluster', () => {
    expect(holdersPhrase(aSnapshot({}), someSessions([]))).toBeNull();
    expect(holdersPhrase(aSnapshot({}), someSessions([{ id: 4 }]))).toBe(
      'livy-session-4 holds them'
    );
    expect(
      holdersPhrase(
        aSnapshot({}),
        someSessions([{ id: 4 }, { id: 5 }, { id: 6 }])
      )
    ).toBe('livy-session-4 and 2 others hold them');
  });
});
