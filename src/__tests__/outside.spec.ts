// Every export of the module is under test: one namespace, not a list.
import * as outside from '../queries/outside';
import { findSession } from '../queries/sessions';
import { aSession, aSnapshot, ORPHANED } from './fixtures';

const NIGHTLY = 'application_1796520293603_0003';
const nightly = outside.findOutsideApp(ORPHANED.outside_livy, NIGHTLY);

describe('applications outside Livy', () => {
  it('are found by app id', () => {
    expect(nightly?.name).toBe('nightly etl');
    expect(
      outside.findOutsideApp(ORPHANED.outside_livy, 'application_9_9')
    ).toBeNull();
    expect(outside.findOutsideApp([], NIGHTLY)).toBeNull();
  });

  it('are named by id, name and user', () => {
    expect(outside.describeOutside(nightly, NIGHTLY)).toBe(
      'application_1796520293603_0003 (nightly etl, user etl)'
    );
    // Only what is known.
    const bare = aSnapshot({ outside_livy: [{ app_id: 'a_1' }] })
      .outside_livy[0];
    expect(outside.describeOutside(bare, 'a_1')).toBe('a_1');
    expect(outside.describeOutside(null, 'a_2')).toBe('a_2');
    const unnamed = aSnapshot({
      outside_livy: [{ app_id: 'a_3', user: 'bob' }]
    }).outside_livy[0];
    expect(outside.describeOutside(unnamed, 'a_3')).toBe('a_3 (user bob)');
  });

  it('say what they hold of the executor slots', () => {
    expect(outside.outsideHolding(nightly, NIGHTLY, 5)).toBe(
      'application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4 of 5'
    );
    expect(outside.outsideHolding(nightly, NIGHTLY, null)).toBe(
      'application_1796520293603_0003 (nightly etl, user etl) outside Livy holds 4'
    );
    expect(outside.outsideHolding(null, 'a_9', 5)).toBe('a_9 outside Livy');
  });

  it('cut long untrusted names to fit', () => {
    const name = `${'very long name '.repeat(10)}<b>bold</b>`;
    const app = aSnapshot({
      outside_livy: [{ app_id: 'a_1', name, user: 'u'.repeat(80) }]
    }).outside_livy[0];
    const described = outside.describeOutside(app, 'a_1');
    expect(described.length).toBeLessThan(100);
    expect(described).toMatch(/^a_1 \(very long name.*…, user u+…\)$/);
    expect(outside.outsideShortName(app, 'a_1').length).toBeLessThanOrEqual(24);
    expect(outside.outsideShortName(nightly, NIGHTLY)).toBe('nightly etl');
    expect(outside.outsideShortName(null, NIGHTLY)).toBe(NIGHTLY);
  });

  it('add up what they hold', () => {
    expect(outside.outsideExecutors(ORPHANED.outside_livy)).toBe(4);
    const apps = aSnapshot({
      outside_livy: [
        { app_id: 'a', executors: 2 },
        { app_id: 'b', executors: null },
        { app_id: 'c', executors: -3 },
        { app_id: 'd', executors: 1 }
      ]
    }).outside_livy;
    expect(outside.outsideExecutors(apps)).toBe(3);
    expect(outside.outsideExecutors([])).toBe(0);
  });
});

describe('outsideCulpritsOf', () => {
  it('are the app ids the server names for a short session, once each', () => {
    expect(
      outside.outsideCulpritsOf(findSession(ORPHANED.sessions, 5))
    ).toEqual([NIGHTLY]);
    expect(
      outside.outsideCulpritsOf(findSession(ORPHANED.sessions, 4))
    ).toEqual([]);
    expect(
      outside.outsideCulpritsOf(
        aSession({ outside_culprits: ['b', 'a', 'b', 7] })
      )
    ).toEqual(['b', 'a']);
    expect(outside.outsideCulpritsOf(null)).toEqual([]);
  });
});
