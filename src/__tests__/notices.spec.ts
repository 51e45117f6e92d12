import { fixFor, starvationMessage, starvationNotices } from '../hints/notices';
import { findSession, isOwnSession } from '../sessions';
import {
  aSession,
  aSnapshot,
  BOB_KERNEL,
  CANNOT_START,
  EXAMPLE_ANSWER,
  exampleAnswer,
  ORPHANED,
  RECORDED_NOW,
  someAdvice
} from './fixtures';
import { culpritsOf } from '../hints/holders';

describe('the notification of a session that cannot start', () => {
  it('says it cannot start, why, since when and who holds the cluster', () => {
    const [notice] = starvationNotices(CANNOT_START, RECORDED_NOW);
    expect(notice.sessionId).toBe(1);
    expect(notice.message).toBe(
      'Your notebook etl.ipynb (livy-session-1) cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5.'
    );
    // The fix: the cell of the advice about the culprit.
    expect(notice.fix).toBe(
      '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "2"}}'
    );
  });

  it("names the drivers at the queue's AM-resource limit", () => {
    const limited = aSnapshot({
      sessions: [
        { id: 0, owner: 'alice', executors: 0 },
        {
          id: 3,
          status: 'starving',
          cannot_start: 'am-limit',
          culprits: [0],
          notebook: { path: 'etl.ipynb', kernel_id: 'k' },
          mine: true
        }
      ],
      starvation: [{ session: 3, since: '2026-11-24T09:59:07Z' }]
    });
    expect(
      starvationMessage(
        limited,
        findSession(limited.sessions, 3)!,
        [0],
        RECORDED_NOW
      )
    ).toBe(
      "Your notebook etl.ipynb (livy-session-3) cannot start: the queue's AM-resource limit is reached, for 1 min: the drivers of livy-session-0 (alice) take it."
    );
  });
});

describe('the notification names capacity held outside Livy', () => {
  it('after the sessions, and a new one comes when it changes', () => {
    const [notice] = starvationNotices(ORPHANED, RECORDED_NOW);
    expect(notice.message).toBe(
      'Your notebook report.ipynb (livy-session-5) has been waiting 2 min with 0 of its fair 2.5 executors: ' +
        'livy-session-4 (dana) holds 1 of 5 and ' +
        'application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5.'
    );
    expect(notice.key).toBe('5:4,application_1796520293603_0003');
    const other = JSON.parse(JSON.stringify(ORPHANED));
    other.sessions[1].outside_culprits = ['application_1796520293603_0008'];
    expect(starvationNotices(aSnapshot(other), RECORDED_NOW)[0].key).not.toBe(
      notice.key
    );
  });

  it('is about the starving notebook only, not the orphan', () => {
    const ids = starvationNotices(ORPHANED, RECORDED_NOW).map(n => n.sessionId);
    expect(ids).toEqual([5]);
  });
});

describe('starvation notifications', () => {
  it('says whose notebook waits, how long, and who holds the executors', () => {
    const bob = EXAMPLE_ANSWER.sessions![1];
    expect(
      starvationMessage(
        aSnapshot(EXAMPLE_ANSWER),
        aSession(bob),
        [0],
        RECORDED_NOW
      )
    ).toBe(
      'Your notebook etl.ipynb (livy-session-1) has been waiting 3 min with 0 of its fair 4.5 executors: livy-session-0 (alice) holds 9 of 9.'
    );
    const noPath = { ...bob, notebook: { kernel_id: BOB_KERNEL } };
    const s = exampleAnswer();
    s.starvation = [];
    expect(
      starvationMessage(
        aSnapshot(s),
        aSession({ ...noPath, status_since: null, fair_share: null }),
        [],
        RECORDED_NOW
      )
    ).toBe(
      'Your session livy-session-1 is waiting with 0 executors: 9 of 9 executors are in use.'
    );
  });

  it('only for the user own starving sessions', () => {
    const notices = starvationNotices(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW);
    expect(notices).toHaveLength(1);
    expect(notices[0].sessionId).toBe(1);
    expect(notices[0].key).toBe('1:0');
    expect(notices[0].fix).toBe(
      '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "4"}}'
    );
    const other = exampleAnswer();
    other.sessions![1].notebook = null;
    other.sessions![1].mine = false;
    expect(starvationNotices(aSnapshot(other), RECORDED_NOW)).toEqual([]);
    expect(starvationNotices(null, RECORDED_NOW)).toEqual([]);
    expect(
      isOwnSession(aSession({ id: 1, notebook: { path: '', kernel_id: null } }))
    ).toBe(false);
  });

  it('culprits: those the server names, by id', () => {
    const s = exampleAnswer();
    expect(culpritsOf(aSession(s.sessions![1]))).toEqual([0]);
    s.starvation = [];
    s.sessions![1].culprits = [3, 0, 3, 1];
    expect(culpritsOf(aSession(s.sessions![1]))).toEqual([0, 3]);
  });

  it('the fix: the culprit advice, else general, else any, else text', () => {
    const culprit = { session: 0, configure: 'A' };
    const general = { session: null, configure: 'G' };
    const other = { session: 5, configure: 'O' };
    expect(fixFor(someAdvice([general, culprit]), [0])).toBe('A');
    expect(fixFor(someAdvice([other, general]), [0])).toBe('G');
    expect(fixFor(someAdvice([other]), [0])).toBe('O');
    expect(fixFor(someAdvice([{ session: 2, text: 'Unpersist.' }]), [0])).toBe(
      'Unpersist.'
    );
    expect(fixFor(someAdvice(null), [0])).toBeNull();
  });
});
