import {
  cannotStartSentence,
  sortAdvice,
  starvationSentence,
  starvationSentences,
  statusSentence,
  summary
} from '../words/sentences';
import { CANNOT_START_WORDS } from '../words/cannotStart';
import { capacity } from '../queries/cluster';
import { findSession } from '../queries/sessions';
import { Snapshot } from '../snapshot';
import {
  aSession,
  aSnapshot,
  CANNOT_START,
  EXAMPLE,
  ORPHANED,
  RECORDED_NOW,
  someAdvice
} from './fixtures';

/** The sentence of the first starvation of a recording, at its clock. */
function firstStarvationIn(snapshot: Snapshot): string {
  return starvationSentence(snapshot.starvation[0], snapshot, RECORDED_NOW);
}

/**
 * The status line of session `id` of `snapshot`, told all the snapshot
 * says (what is held outside Livy, the capacity, the starvation).
 */
function statusIn(snapshot: Snapshot, id: number): string {
  return statusSentence(
    findSession(snapshot.sessions, id)!,
    snapshot.sessions,
    RECORDED_NOW,
    {
      outside: snapshot.outside_livy,
      capacity: capacity(snapshot.cluster),
      starvation: snapshot.starvation
    }
  );
}

/**
 * The queue's AM-resource limit keeps livy-session-3 out: the drivers of
 * livy-session-0 (alice, idle) and livy-session-2, and a job outside Livy
 * holding an AM in its queue, take it (tests/test_cannot_start.py).
 */
const AM_LIMIT = aSnapshot({
  cluster: { max_executors: 6, executors_in_use: 2 },
  sessions: [
    { id: 0, owner: 'alice', state: 'idle', status: 'idle', executors: 0 },
    { id: 2, state: 'busy', status: 'ok', executors: 2, starving: [3] },
    {
      id: 3,
      owner: 'bob',
      state: 'starting',
      status: 'starving',
      status_since: '2026-11-24T09:59:00Z',
      executors: 0,
      cannot_start: 'am-limit',
      culprits: [0, 2],
      starved_by: [0, 2],
      outside_culprits: ['application_1_0009']
    }
  ],
  starvation: [
    { session: 3, deficit_executors: 1, since: '2026-11-24T09:58:00Z' }
  ],
  outside_livy: [
    { app_id: 'application_1_0009', name: 'batch', user: 'etl', executors: 0 }
  ]
});

describe('a session that cannot start', () => {
  it('says so, why, since when and who holds the cluster (real YARN)', () => {
    expect(statusIn(CANNOT_START, 1)).toBe(
      'livy-session-1 cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5'
    );
    expect(firstStarvationIn(CANNOT_START)).toBe(
      'livy-session-1 (etl.ipynb) cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5'
    );
    // The holder's sentence is a hog's, as for any short session.
    expect(statusIn(CANNOT_START, 0)).toBe(
      'Hogging for 2 min, starving livy-session-1'
    );
  });

  it('names the drivers that take the AM-resource limit, not what they hold', () => {
    const drivers =
      "livy-session-3 cannot start: the queue's AM-resource limit is reached, for 2 min: " +
      'the drivers of livy-session-0 (alice), livy-session-2 and application_1_0009 (batch, user etl) outside Livy take it';
    expect(statusIn(AM_LIMIT, 3)).toBe(drivers);
    expect(firstStarvationIn(AM_LIMIT)).toBe(
      drivers.replace('livy-session-3', 'livy-session-3 (bob)')
    );
  });

  it('while it only waits, since its status, without the starvation', () => {
    const waiting = aSnapshot({
      sessions: [
        {
          id: 1,
          status: 'waiting',
          status_since: '2026-11-24T09:59:37Z',
          cannot_start: 'cluster-full'
        }
      ]
    });
    expect(
      statusSentence(waiting.sessions[0], waiting.sessions, RECORDED_NOW)
    ).toBe('livy-session-1 cannot start: no room for its driver, for 30 s');
    // Not short (any more): its status says it.
    const started = aSnapshot({
      sessions: [{ id: 1, status: 'ok', cannot_start: 'cluster-full' }]
    });
    expect(
      statusSentence(started.sessions[0], started.sessions, RECORDED_NOW)
    ).toBe('OK');
  });

  it('reads right with nothing known but the reason', () => {
    const words = CANNOT_START_WORDS['cluster-full'];
    expect(cannotStartSentence('livy-session-7', words, null, [])).toBe(
      'livy-session-7 cannot start: no room for its driver'
    );
  });
});

describe('an orphaned session', () => {
  it('says how long, what it holds, and whom it starves', () => {
    expect(statusIn(ORPHANED, 4)).toBe(
      'Orphaned for 12 min, holding 1 executor and its driver, starving livy-session-5'
    );
    const empty = aSnapshot({
      sessions: [{ id: 4, status: 'orphaned', executors: 0 }]
    });
    expect(statusSentence(empty.sessions[0], [], RECORDED_NOW)).toBe(
      'Orphaned'
    );
  });
});

describe('capacity held outside Livy', () => {
  it('is named among the culprits of a starving session', () => {
    expect(statusIn(ORPHANED, 5)).toBe(
      'Starving for 2 min, starved by livy-session-4 and application_1796520293603_0003 (nightly etl, user etl) outside Livy'
    );
    expect(firstStarvationIn(ORPHANED)).toBe(
      'livy-session-5 (dana, report.ipynb) has waited 2 min with 0 of its fair 2.5 executors: ' +
        'livy-session-4 (dana) holds 1 of 5 and ' +
        'application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5'
    );
    const [item] = starvationSentences(ORPHANED, RECORDED_NOW);
    expect(item.by).toEqual([4]);
    expect(item.outside).toEqual(['nightly etl']);
  });

  it('is named alone when it is the only holder', () => {
    const alone = aSnapshot({
      ...JSON.parse(JSON.stringify(ORPHANED)),
      sessions: ORPHANED.sessions.map(s =>
        s.id === 5 ? { ...s, starved_by: [], culprits: [] } : s
      )
    });
    expect(firstStarvationIn(alone)).toBe(
      'livy-session-5 (dana, report.ipynb) has waited 2 min with 0 of its fair 2.5 executors: ' +
        'application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5'
    );
    expect(statusIn(alone, 5)).toBe(
      'Starving for 2 min, starved by application_1796520293603_0003 (nightly etl, user etl) outside Livy'
    );
  });

  it('is in the summary', () => {
    expect(summary(ORPHANED)).toBe(
      '2 sessions, 5 of 5 executors in use (4 outside Livy), 1 starving'
    );
    expect(summary(EXAMPLE)).toBe(
      '2 sessions, 9 of 9 executors in use, 1 starving'
    );
  });

  it('leaves the sentences of the seed as they were', () => {
    expect(
      statusSentence(EXAMPLE.sessions[1], EXAMPLE.sessions, RECORDED_NOW)
    ).toBe('Starving for 3 min, starved by livy-session-0');
    expect(starvationSentences(EXAMPLE, RECORDED_NOW)[0].outside).toEqual([]);
  });
});

const snapshot = EXAMPLE;
const SINCE = Date.parse('2026-11-24T09:57:00Z');

describe('starvation sentences', () => {
  it('says who waits, for how long, and who holds the executors', () => {
    const now = SINCE + 3 * 60 * 1000 + 20 * 1000;
    expect(starvationSentence(snapshot.starvation![0], snapshot, now)).toBe(
      'livy-session-1 (bob, etl.ipynb) has waited 3 min with 0 of its fair 4.5 executors: livy-session-0 (alice) holds 9 of 9'
    );
  });

  it('names several holders', () => {
    const snap = aSnapshot({
      cluster: { max_executors: 9, executors_in_use: 9 },
      sessions: [
        { id: 0, owner: 'alice', executors: 6 },
        { id: 2, owner: 'carol', executors: 3 },
        { id: 1, owner: 'bob', executors: 0, fair_share: 3, starved_by: [0, 2] }
      ],
      starvation: [{ session: 1, since: '2026-11-24T09:59:15Z' }]
    });
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(starvationSentence(snap.starvation![0], snap, now)).toBe(
      'livy-session-1 (bob) has waited 45 s with 0 of its fair 3 executors: livy-session-0 (alice) holds 6 of 9 and livy-session-2 (carol) holds 3 of 9'
    );
  });

  it('says what is known when fields are missing', () => {
    const snap = aSnapshot({
      sessions: [{ id: 1, starved_by: [7] }],
      starvation: [{ session: 1, deficit_executors: 2 }]
    });
    expect(starvationSentence(snap.starvation![0], snap, 0)).toBe(
      'livy-session-1 is waiting, 2 executors short: livy-session-7'
    );
    const bare = aSnapshot({
      cluster: { max_executors: 4, executors_in_use: 4 },
      starvation: [{ session: 3 }]
    });
    expect(starvationSentence(bare.starvation![0], bare, 0)).toBe(
      'livy-session-3 is waiting: 4 of 4 executors are in use'
    );
  });

  it('lists the longest waits first and skips malformed entries', () => {
    const snap = aSnapshot({
      sessions: [{ id: 2, starved_by: [0] }],
      starvation: [
        { session: 1, since: '2026-11-24T09:59:00Z' },
        null as any,
        { session: 'x' as any },
        { session: 2, since: '2026-11-24T09:50:00Z' }
      ]
    });
    const items = starvationSentences(snap, Date.parse('2026-11-24T10:00:00Z'));
    expect(items.map(i => i.session)).toEqual([2, 1]);
    expect(items[0].by).toEqual([0]);
    expect(starvationSentences(null, 0)).toEqual([]);
    expect(starvationSentences(aSnapshot({}), 0)).toEqual([]);
  });
});

describe('advice', () => {
  it('puts advice about the user own sessions first', () => {
    const sessions = snapshot.sessions!;
    const sorted = sortAdvice(
      someAdvice([
        { session: null, text: 'general' },
        { session: 0 },
        { session: 1 }
      ]),
      sessions
    );
    expect(sorted.map(a => a.session)).toEqual([1, 0, null]);
    expect(sortAdvice(someAdvice(undefined), sessions)).toEqual([]);
  });
});

describe('summary', () => {
  it('sums up the endpoint', () => {
    expect(summary(snapshot)).toBe(
      '2 sessions, 9 of 9 executors in use, 1 starving'
    );
    expect(summary(null)).toBe('No data yet');
    expect(summary(aSnapshot({ endpoint: { reachable: false } }))).toBe(
      'Endpoint unreachable'
    );
    expect(summary(aSnapshot({}))).toBe('0 sessions');
  });
});

describe('statusSentence', () => {
  const sessions = snapshot.sessions!;
  const now = SINCE + 3 * 60 * 1000 + 5000;

  it('says how long and the starvation edges', () => {
    expect(statusSentence(sessions[1], sessions, now)).toBe(
      'Starving for 3 min, starved by livy-session-0'
    );
    expect(statusSentence(sessions[0], sessions, now)).toBe(
      'Hogging for 3 min, starving livy-session-1'
    );
  });

  it('reads statuses as words, and what is missing as unknown', () => {
    expect(
      statusSentence(aSession({ id: 3, status: 'idle-hoarding' }), [], now)
    ).toBe('Idle hoarding');
    expect(
      statusSentence(
        aSession({ id: 3, status: 'ok', status_since: 'bad' }),
        [],
        now
      )
    ).toBe('OK');
    expect(statusSentence(aSession({ id: 3, starved_by: [9] }), [], now)).toBe(
      'Status unknown, starved by livy-session-9'
    );
  });
});
