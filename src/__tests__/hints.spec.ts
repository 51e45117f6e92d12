import hintsSchema from '../../schema/hints.json';
import { holdersPhrase, culpritsOf } from '../hints/holders';
import { notebookHint } from '../hints/hint';
import {
  findNotebookSession,
  INotebookInfo,
  isSparkmagicKernel
} from '../hints/notebook';
import { fixFor, starvationMessage, starvationNotices } from '../hints/notices';
import { StarvationTracker } from '../hints/tracker';
import { isOwnSession } from '../sessions';
import { DEFAULT_HINT_SETTINGS, readHintSettings } from '../hints/settings';
import { Session } from '../snapshot';
import { ISession, ISnapshot } from '../types';
import {
  aSession,
  aSnapshot,
  EXAMPLE_ANSWER,
  exampleAnswer,
  someAdvice,
  someSessions
} from './fixtures';

const SEED = EXAMPLE_ANSWER;
const KERNEL = '5b1c6f0e-3f7a-4c1e-9a53-2f7d4f1e8a10';
const NOW = Date.parse('2026-11-24T10:00:07Z');
const BOB: INotebookInfo = {
  kernelId: KERNEL,
  kernelName: 'python3',
  kernelDisplayName: 'Python 3 (ipykernel)',
  path: 'work/etl.ipynb'
};
const PYSPARK: INotebookInfo = {
  kernelId: 'another-kernel',
  kernelName: 'pysparkkernel',
  kernelDisplayName: 'PySpark',
  path: 'other.ipynb'
};
const PLAIN: INotebookInfo = {
  kernelId: 'plain-kernel',
  kernelName: 'python3',
  kernelDisplayName: 'Python 3 (ipykernel)',
  path: 'plain.ipynb'
};

const clone = exampleAnswer;

/**
 * The seed with bob's session (id 1) changed, and the starvation list and
 * the other sessions as given.
 */
function withBob(
  bob: Partial<ISession>,
  others: { [id: number]: Partial<ISession> } = {},
  keepStarvation = false
): ISnapshot {
  const s = clone();
  s.sessions = s.sessions!.map(x =>
    x.id === 1 ? { ...x, ...bob } : { ...x, ...(others[x.id] ?? {}) }
  );
  if (!keepStarvation) {
    s.starvation = [];
    s.advice = [];
  }
  return s;
}

/** The hint's tooltip contains each of `lines`. */
function expectTitle(h: { title: string }, lines: string[]): void {
  for (const line of lines) {
    expect(h.title).toContain(line);
  }
}

describe('isSparkmagicKernel', () => {
  it.each([
    ['pysparkkernel', null, true],
    ['sparkkernel', null, true],
    ['sparkrkernel', undefined, true],
    ['glue_pyspark', 'Glue PySpark', true],
    ['custom', 'Spark (Scala)', true],
    ['python3', 'Python 3 (ipykernel)', false],
    [null, null, false],
    [undefined, 'spark lowercase', false]
  ])('%s / %s -> %s', (name, display, expected) => {
    expect(isSparkmagicKernel(name, display)).toBe(expected);
  });
});

describe('findNotebookSession', () => {
  it('finds the session by kernel id', () => {
    expect(findNotebookSession(aSnapshot(SEED), BOB)?.id).toBe(1);
  });

  it('falls back to the notebook path', () => {
    expect(
      findNotebookSession(aSnapshot(SEED), {
        kernelId: 'unknown',
        path: 'work/etl.ipynb'
      })?.id
    ).toBe(1);
    expect(
      findNotebookSession(aSnapshot(SEED), {
        kernelId: null,
        path: '/work/etl.ipynb'
      })?.id
    ).toBe(1);
  });

  it('finds nothing for other notebooks, or without data', () => {
    expect(findNotebookSession(aSnapshot(SEED), PLAIN)).toBeNull();
    expect(findNotebookSession(null, BOB)).toBeNull();
    expect(findNotebookSession(aSnapshot({ sessions: null }), BOB)).toBeNull();
    expect(
      findNotebookSession(
        aSnapshot({ sessions: [null as any, { id: 3 }] }),
        BOB
      )
    ).toBeNull();
  });

  it('prefers the most urgent of several sessions of one kernel', () => {
    const s = clone();
    s.sessions!.push({
      id: 7,
      status: 'ok',
      notebook: { path: 'work/etl.ipynb', kernel_id: KERNEL }
    });
    expect(findNotebookSession(aSnapshot(s), BOB)?.id).toBe(1);
  });
});

describe('notebookHint', () => {
  const hint = (snapshot: ISnapshot | null, nb = BOB, error?: any) =>
    notebookHint({ snapshot: snapshot && aSnapshot(snapshot), error }, nb, NOW);

  it('starving: how long, and who holds the executors', () => {
    const h = hint(SEED);
    expect(h.state).toBe('starving');
    expect(h.text).toBe('Spark: starving 3 min - livy-session-0 holds 9 of 9');
    expect(h.sessionId).toBe(1);
    expectTitle(h, [
      'livy-session-1 (bob, etl.ipynb): starving for 3 min',
      'Executors: 0 held, fair share 4.5, needs 5 (cluster: 9 of 9 in use)',
      'Cores: 0, memory: 0 MiB',
      'Tasks: 0 running, 40 pending',
      'Starved by: livy-session-0 (alice) holds 9 of 9',
      'Click to show livy-session-1 in Spark executor sharing.'
    ]);
  });

  it('starting', () => {
    const h = hint(
      withBob({
        status: 'starting',
        name: 'livy-session-4',
        starved_by: [],
        culprits: []
      })
    );
    expect(h.state).toBe('starting');
    expect(h.text).toBe('Spark: starting livy-session-4');
  });

  it('ok: executors held of the cluster', () => {
    const h = hint(
      withBob(
        { status: 'ok', executors: 3, starved_by: [], culprits: [] },
        { 0: { executors: 6, status: 'ok', starving: [] } }
      )
    );
    expect(h.state).toBe('ok');
    expect(h.text).toBe('Spark: 3 of 9 executors');
  });

  it('ok: says how many executors are still starting', () => {
    const h = hint(
      withBob(
        {
          status: 'ok',
          executors: 4,
          registered_executors: 2,
          starting_executors: 2,
          starved_by: [],
          culprits: []
        },
        { 0: { executors: 5, status: 'ok', starving: [] } }
      )
    );
    expect(h.text).toBe('Spark: 4 of 9 executors (2 still starting)');
    expect(h.title).toContain(
      'Executors: 4 held (2 still starting), fair share 4.5, needs 5 (cluster: 9 of 9 in use)'
    );
    const s = withBob({
      status: 'ok',
      executors: 4,
      registered_executors: 1,
      starting_executors: null
    });
    s.cluster = null;
    expect(hint(s).text).toBe('Spark: 4 executors (3 still starting)');
    const none = withBob({ status: 'ok', executors: 4, starting_executors: 0 });
    expect(hint(none).text).toBe('Spark: 4 of 9 executors');
    expect(hint(none).title).toContain('Executors: 4 held, fair share');
  });

  it('tooltip: pending YARN containers and the executor and driver size', () => {
    const h = hint(
      withBob({
        pending_containers: 6,
        executor_cores: 4,
        executor_memory_mb: 8192,
        driver_cores: 1,
        driver_memory_mb: 1024
      })
    );
    const lines = h.title.split('\n');
    expect(lines).toContain(
      'YARN: 6 executor containers pending (waiting for cluster capacity)'
    );
    expect(lines).toContain(
      'Each executor: 4 cores · 8 GiB; driver: 1 core · 1 GiB'
    );
    const driverOnly = hint(
      withBob({
        executor_cores: null,
        executor_memory_mb: null,
        driver_cores: 1
      })
    );
    expect(driverOnly.title.split('\n')).toContain('Driver: 1 core');
    const seed = hint(SEED).title.split('\n');
    expect(seed).toContain('Each executor: 8 cores · 10 GiB');
    expect(seed.some(l => l.startsWith('YARN:'))).toBe(false);
  });

  it('ok without a known capacity, or without executors', () => {
    const s = withBob({
      status: 'ok',
      executors: 1,
      starved_by: [],
      culprits: []
    });
    s.cluster = null;
    expect(hint(s).text).toBe('Spark: 1 executor');
    expect(hint(withBob({ status: 'ok', executors: null })).text).toBe(
      'Spark: livy-session-1 running'
    );
  });

  it('waiting: the sessions above their fair share', () => {
    const h = hint(
      withBob({ status: 'waiting', starved_by: [] }, { 0: { starving: [] } })
    );
    expect(h.state).toBe('waiting');
    expect(h.text).toBe('Spark: waiting - livy-session-0 holds 9 of 9');
    expect(h.title).toContain(
      'Above their fair share: livy-session-0 (alice) holds 9 of 9'
    );
  });

  it('waiting with several holders, or none known', () => {
    const s = withBob(
      { status: 'waiting', starved_by: [], culprits: [0, 2] },
      { 0: { executors: 5, fair_share: 3 } }
    );
    s.sessions!.push({ id: 2, executors: 4, fair_share: 3 });
    expect(hint(s).text).toBe(
      'Spark: waiting - livy-session-0 and 1 other hold 9 of 9'
    );
    const fair = withBob(
      { status: 'waiting', starved_by: [], culprits: [] },
      { 0: { executors: 4.5 } }
    );
    expect(hint(fair).text).toBe('Spark: waiting - 9 of 9 executors in use');
    fair.cluster = null;
    expect(hint(fair).text).toBe('Spark: waiting for executors');
  });

  it('starving without a known start or culprit', () => {
    const s = withBob({
      status: 'starving',
      status_since: null,
      starved_by: [],
      culprits: []
    });
    s.cluster = null;
    s.sessions = s.sessions!.filter(x => x.id === 1);
    expect(hint(s).text).toBe('Spark: starving');
  });

  it('hogging: the notebook is the culprit', () => {
    const s = clone();
    s.sessions![0].notebook = { path: 'sales.ipynb', kernel_id: 'k-alice' };
    const h = notebookHint(
      { snapshot: aSnapshot(s) },
      { kernelId: 'k-alice', kernelName: 'pysparkkernel', path: 'sales.ipynb' },
      NOW
    );
    expect(h.state).toBe('hogging');
    expect(h.text).toBe('Spark: hogging 9 of 9');
    expect(h.sessionId).toBe(0);
    expectTitle(h, [
      'Starving: livy-session-1 (bob, etl.ipynb)',
      'This notebook holds more than its fair share while others wait.',
      'Advice: Restart livy-session-0 with at most 4 executors.'
    ]);
  });

  it('idle-hoarding', () => {
    const h = hint(
      withBob({
        status: 'idle-hoarding',
        executors: 3,
        running_tasks: 0,
        pending_tasks: 0,
        starved_by: [],
        culprits: []
      })
    );
    expect(h.state).toBe('idle-hoarding');
    expect(h.text).toBe('Spark: idle, holding 3 executors');
  });

  it('idle, gone and unknown statuses', () => {
    expect(hint(withBob({ status: 'idle', executors: 0 })).text).toBe(
      'Spark: idle'
    );
    expect(hint(withBob({ status: 'gone' })).text).toBe(
      'Spark: livy-session-1 ended'
    );
    const odd = hint(withBob({ status: 'weird' }));
    expect(odd.state).toBe('unknown');
    expect(odd.text).toBe('Spark: livy-session-1');
  });

  it('endpoint unreachable, with the last known session', () => {
    const s = clone();
    s.endpoint = {
      ...s.endpoint,
      reachable: false,
      down_since: '2026-11-24T09:59:07Z',
      error: 'Connection refused'
    };
    const h = hint(s);
    expect(h.state).toBe('unreachable');
    expect(h.text).toBe('Spark: endpoint unreachable');
    expect(h.sessionId).toBe(1);
    expectTitle(h, [
      'http://127.0.0.1:8998 has not answered for 1 min.',
      'Connection refused'
    ]);
    // A sparkmagic kernel without a session sees it too, a plain one does not.
    expect(hint(s, PYSPARK).text).toBe('Spark: endpoint unreachable');
    expect(hint(s, PLAIN).state).toBe('none');
  });

  it('a sparkmagic kernel without a session', () => {
    const h = hint(SEED, PYSPARK);
    expect(h.state).toBe('no-session');
    expect(h.text).toBe('Spark: no session yet');
    expect(h.sessionId).toBeNull();
  });

  it('nothing for a plain kernel without a session', () => {
    expect(hint(SEED, PLAIN)).toEqual({
      state: 'none',
      text: '',
      title: '',
      sessionId: null
    });
    expect(hint(null, PLAIN).state).toBe('none');
    expect(hint(null, PLAIN, { message: 'down' }).state).toBe('none');
  });

  it('before the first answer, and when the server does not answer', () => {
    expect(hint(null, PYSPARK).text).toBe('Spark: checking…');
    const h = hint(null, PYSPARK, { message: 'Not Found' });
    expect(h.state).toBe('unavailable');
    expect(h.text).toBe('Spark: status unavailable');
    expect(h.title).toContain('Not Found');
  });

  it('keeps the last known state when a later request failed', () => {
    const h = hint(SEED, BOB, {
      message: 'The Jupyter server does not answer.'
    });
    expect(h.state).toBe('starving');
    expect(h.title).toContain('Last known state');
  });

  it('survives garbage', () => {
    const garbage = {
      sessions: [
        { id: 1, notebook: { kernel_id: KERNEL }, status: 'ok' } as ISession
      ],
      cluster: { max_executors: 'x' as any },
      starvation: 'nope' as any
    } as ISnapshot;
    expect(hint(garbage).text).toBe('Spark: livy-session-1 running');
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

describe('starvation notifications', () => {
  it('says whose notebook waits, how long, and who holds the executors', () => {
    const bob = SEED.sessions![1];
    expect(starvationMessage(aSnapshot(SEED), aSession(bob), [0], NOW)).toBe(
      'Your notebook etl.ipynb (livy-session-1) has been waiting 3 min with 0 of its fair 4.5 executors: livy-session-0 (alice) holds 9 of 9.'
    );
    const noPath = { ...bob, notebook: { kernel_id: KERNEL } };
    const s = clone();
    s.starvation = [];
    expect(
      starvationMessage(
        aSnapshot(s),
        aSession({ ...noPath, status_since: null, fair_share: null }),
        [],
        NOW
      )
    ).toBe(
      'Your session livy-session-1 is waiting with 0 executors: 9 of 9 executors are in use.'
    );
  });

  it('only for the user own starving sessions', () => {
    const notices = starvationNotices(aSnapshot(SEED), NOW);
    expect(notices).toHaveLength(1);
    expect(notices[0].sessionId).toBe(1);
    expect(notices[0].key).toBe('1:0');
    expect(notices[0].fix).toBe(
      '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "4"}}'
    );
    const other = clone();
    other.sessions![1].notebook = null;
    other.sessions![1].mine = false;
    expect(starvationNotices(aSnapshot(other), NOW)).toEqual([]);
    expect(starvationNotices(null, NOW)).toEqual([]);
    expect(
      isOwnSession(aSession({ id: 1, notebook: { path: '', kernel_id: null } }))
    ).toBe(false);
  });

  it('not for sessions the caller does not accept (a kernel it does not know)', () => {
    expect(starvationNotices(aSnapshot(SEED), NOW, () => false)).toEqual([]);
    const tracker = new StarvationTracker();
    const unknown = (s: Session) => s.notebook?.kernel_id !== KERNEL;
    expect(tracker.update(aSnapshot(SEED), NOW, unknown).show).toEqual([]);
    expect(tracker.update(aSnapshot(SEED), NOW).show).toHaveLength(1);
    // The kernel goes away: the notification is withdrawn.
    expect(tracker.update(aSnapshot(SEED), NOW, unknown).withdraw).toEqual([
      '1:0'
    ]);
  });

  it('culprits: those the server names, by id', () => {
    const s = clone();
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

  it('notifies once per starvation and set of culprits', () => {
    const tracker = new StarvationTracker();
    let r = tracker.update(aSnapshot(SEED), NOW);
    expect(r.show.map(n => n.key)).toEqual(['1:0']);
    expect(r.withdraw).toEqual([]);

    // Nothing changed (even the time): nothing new.
    r = tracker.update(aSnapshot(SEED), NOW + 60000);
    expect(r).toEqual({ show: [], withdraw: [] });

    // The endpoint goes down: no news, no change.
    const down = clone();
    down.endpoint!.reachable = false;
    down.starvation = [];
    expect(tracker.update(aSnapshot(down), NOW)).toEqual({
      show: [],
      withdraw: []
    });
    expect(tracker.update(aSnapshot(SEED), NOW)).toEqual({
      show: [],
      withdraw: []
    });

    // The culprits change: withdraw and notify anew.
    const more = clone();
    more.sessions![1].starved_by = [0, 2];
    more.sessions![1].culprits = [0, 2];
    r = tracker.update(aSnapshot(more), NOW);
    expect(r.withdraw).toEqual(['1:0']);
    expect(r.show.map(n => n.key)).toEqual(['1:0,2']);

    // The starvation ends, then starts again.
    const fed = withBob({
      status: 'ok',
      executors: 4,
      starved_by: [],
      culprits: []
    });
    r = tracker.update(aSnapshot(fed), NOW);
    expect(r).toEqual({ show: [], withdraw: ['1:0,2'] });
    expect(tracker.active.size).toBe(0);
    r = tracker.update(aSnapshot(SEED), NOW);
    expect(r.show.map(n => n.key)).toEqual(['1:0']);

    tracker.reset();
    expect(tracker.update(aSnapshot(SEED), NOW).show).toHaveLength(1);
    expect(tracker.update(null, NOW)).toEqual({ show: [], withdraw: [] });
  });
});

describe('readHintSettings', () => {
  it('reads the settings with defaults', () => {
    expect(readHintSettings(null)).toEqual(DEFAULT_HINT_SETTINGS);
    expect(
      readHintSettings({ showInToolbar: false, notifyStarvation: 'no' })
    ).toEqual({ showInToolbar: false, notifyStarvation: true });
  });

  it('has the same defaults as the schema', () => {
    const defaults: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(hintsSchema.properties)) {
      defaults[key] = (value as { default: unknown }).default;
    }
    expect(defaults).toEqual(DEFAULT_HINT_SETTINGS);
  });
});
