import {
  describeSession,
  executorSizeNote,
  pendingContainersPhrase,
  relations,
  sessionName,
  startingExecutors
} from '../sessions';
import { aCluster, aSession, aSnapshot, EXAMPLE } from './fixtures';

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
