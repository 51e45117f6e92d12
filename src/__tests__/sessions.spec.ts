import {
  canStopSession,
  describeSession,
  executorSizeNote,
  pendingContainersPhrase,
  relations,
  sessionName,
  startingExecutors
} from '../queries/sessions';
import { aCluster, aSession, aSnapshot, EXAMPLE } from './fixtures';
import { ISession } from '../types';

const snapshot = EXAMPLE;

describe('session names', () => {
  it('names sessions', () => {
    expect(sessionName({ id: 3, name: null })).toBe('livy-session-3');
    expect(sessionName({ id: 3, name: 'custom' })).toBe('custom');
    expect(sessionName(null, 7)).toBe('livy-session-7');
    expect(sessionName(null)).toBe('livy-session-?');
  });

  it('describes a session by owner and notebook as far as known', () => {
    const [alice, bob] = snapshot.sessions!;
    expect(describeSession(bob)).toBe('livy-session-1 (bob, etl.ipynb)');
    expect(describeSession(alice)).toBe('livy-session-0 (alice)');
    expect(describeSession(aSession({ id: 4 }))).toBe('livy-session-4');
    // Another instance's session: its owner and notebook labels say who to ask.
    expect(
      describeSession(
        aSession({
          id: 7,
          owner: 'alice@nb-1',
          notebook: null,
          notebook_label: 'team/etl.ipynb'
        })
      )
    ).toBe('livy-session-7 (alice@nb-1, etl.ipynb)');
    expect(describeSession(null, 9)).toBe('livy-session-9');
  });
});

describe('relations', () => {
  it('finds who starves a session and whom it starves', () => {
    expect(relations(snapshot, 1)).toEqual({
      starvedBy: new Set([0]),
      starving: new Set()
    });
    expect(relations(snapshot, 0)).toEqual({
      starvedBy: new Set(),
      starving: new Set([1])
    });
  });

  it('reads the edges from the sessions, where the server sends them once', () => {
    const snap = aSnapshot({
      sessions: [
        { id: 0, starving: [1] },
        { id: 1, starved_by: [0] }
      ],
      starvation: [{ session: 1 }]
    });
    expect(relations(snap, 0).starving).toEqual(new Set([1]));
    expect(relations(snap, 1).starvedBy).toEqual(new Set([0]));
    expect(relations(snap, null).starving.size).toBe(0);
    expect(relations(null, 1).starvedBy.size).toBe(0);
  });
});

describe('startingExecutors', () => {
  it('reads starting_executors, else granted minus registered', () => {
    expect(startingExecutors(aSession({ id: 0, starting_executors: 2 }))).toBe(
      2
    );
    expect(
      startingExecutors(
        aSession({ id: 0, executors: 4, registered_executors: 1 })
      )
    ).toBe(3);
    expect(
      startingExecutors(
        aSession({ id: 0, executors: 4, registered_executors: 4 })
      )
    ).toBe(0);
    expect(
      startingExecutors(
        aSession({ id: 0, executors: 2, registered_executors: 3 })
      )
    ).toBe(0);
  });

  it('is null when unknown (older servers, standalone without Spark)', () => {
    expect(startingExecutors(snapshot.sessions![0])).toBe(0);
    expect(startingExecutors(aSession({ id: 0, executors: 4 }))).toBeNull();
    expect(
      startingExecutors(
        aSession({ id: 0, starting_executors: null, executors: 4 })
      )
    ).toBeNull();
    expect(
      startingExecutors(aSession({ id: 0, starting_executors: -1 }))
    ).toBeNull();
    expect(startingExecutors(null)).toBeNull();
  });
});

describe('pendingContainersPhrase', () => {
  it('counts the YARN containers not allocated yet, when there are some', () => {
    expect(
      pendingContainersPhrase(aSession({ id: 0, pending_containers: 6 }))
    ).toBe('6 containers pending');
    expect(
      pendingContainersPhrase(aSession({ id: 0, pending_containers: 1 }))
    ).toBe('1 container pending');
    expect(
      pendingContainersPhrase(aSession({ id: 0, pending_containers: 0 }))
    ).toBeNull();
    expect(
      pendingContainersPhrase(aSession({ id: 0, pending_containers: null }))
    ).toBeNull();
    expect(pendingContainersPhrase(aSession({ id: 0 }))).toBeNull();
  });
});

describe('executorSizeNote', () => {
  const cluster = aCluster({ executor_cores: 8, executor_memory_mb: 10240 });

  it('says the size only when it differs from the cluster line', () => {
    expect(executorSizeNote(snapshot.sessions![0], snapshot.cluster)).toBe(
      null
    );
    expect(
      executorSizeNote(
        aSession({ id: 0, executor_cores: 4, executor_memory_mb: 8192 }),
        cluster
      )
    ).toBe('4 cores · 8 GiB');
    expect(
      executorSizeNote(
        aSession({ id: 0, executor_cores: 8, executor_memory_mb: 4096 }),
        cluster
      )
    ).toBe('8 cores · 4 GiB');
    expect(
      executorSizeNote(
        aSession({ id: 0, executor_cores: 8, executor_memory_mb: null }),
        aCluster({
          executor_cores: 8,
          executor_memory_mb: 4096
        })
      )
    ).toBeNull();
  });

  it('says it when the cluster does not tell its size', () => {
    expect(
      executorSizeNote(
        aSession({ id: 0, executor_cores: 2, executor_memory_mb: 3072 }),
        null
      )
    ).toBe('2 cores · 3 GiB');
    expect(
      executorSizeNote(aSession({ id: 0, executor_cores: 2 }), aCluster({}))
    ).toBe('2 cores');
  });

  it('is null when the session does not tell', () => {
    expect(executorSizeNote(aSession({ id: 0 }), cluster)).toBeNull();
    expect(executorSizeNote(null, null)).toBeNull();
  });
});

const own: ISession = {
  id: 3,
  name: 'livy-session-3',
  notebook: { path: 'work/etl.ipynb', kernel_id: 'k' },
  mine: true,
  can_stop: true
};
const other: ISession = { id: 4, notebook: null, mine: false, can_stop: false };

describe('canStopSession', () => {
  // The server decides (allow_stop_sessions and a notebook of its own drives
  // the session: tests/test_actions.py); the panel shows what it decided.
  it('is true only when the server says the session can be stopped', () => {
    expect(canStopSession(aSession(own))).toBe(true);
    // A notebook whose path is not known yet is still this server's.
    expect(
      canStopSession(
        aSession({
          id: 5,
          notebook: { path: null, kernel_id: 'k' },
          can_stop: true
        })
      )
    ).toBe(true);
    expect(canStopSession(aSession(other))).toBe(false);
    expect(canStopSession(aSession({ id: 6 }))).toBe(false);
    expect(canStopSession(null)).toBe(false);
    // A notebook here, but the server does not allow it.
    expect(canStopSession(aSession({ ...own, can_stop: false }))).toBe(false);
    expect(canStopSession(aSession({ ...own, can_stop: null }))).toBe(false);
    // Only a real true: not a string, not 1.
    expect(canStopSession(aSession({ ...own, can_stop: 'true' as any }))).toBe(
      false
    );
    expect(canStopSession(aSession({ ...own, can_stop: 1 as any }))).toBe(
      false
    );
    expect(canStopSession(aSession({ ...own, id: NaN }))).toBe(false);
  });
});
