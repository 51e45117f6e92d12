import { starvationMessage, starvationNotices } from '../hints/notices';
import { findSession } from '../sessions';
import { aSnapshot, CANNOT_START, ORPHANED, RECORDED_NOW } from './fixtures';

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
