import { notebookHint } from '../hints/hint';
import {
  aSnapshot,
  BOB_KERNEL,
  BOB_NOTEBOOK,
  CANNOT_START,
  ETL_NOTEBOOK,
  EXAMPLE_ANSWER,
  exampleAnswer,
  FORECAST_REOPENED,
  ORPHANED,
  PLAIN_NOTEBOOK,
  PYSPARK_NOTEBOOK,
  RECORDED_NOW,
  REPORT_NOTEBOOK,
  withBob
} from './fixtures';
import { INotebookInfo } from '../hints/notebook';
import { Snapshot } from '../snapshot';
import { ISession, ISnapshot } from '../types';

/** The hint of `notebook` at the recordings' clock. */
function hintAt(snapshot: Snapshot, notebook: INotebookInfo) {
  return notebookHint({ snapshot }, notebook, RECORDED_NOW);
}

describe('the hint of a notebook whose session cannot start', () => {
  it('says it cannot start and who holds the cluster (real YARN)', () => {
    const h = hintAt(CANNOT_START, ETL_NOTEBOOK);
    expect(h.state).toBe('starving');
    expect(h.sessionId).toBe(1);
    expect(h.text).toBe('Spark: cannot start - livy-session-0 holds 5 of 5');
  });

  // The ETL notebook's session 1 cannot start while session 0 holds the cluster.
  it.each([
    {
      why: 'while only waiting, too',
      cluster: { max_executors: 5, executors_in_use: 5 },
      holder: { id: 0, executors: 5, status: 'hogging' },
      short: {
        status: 'waiting',
        cannot_start: 'cluster-full',
        notebook: { kernel_id: ETL_NOTEBOOK.kernelId, path: ETL_NOTEBOOK.path }
      },
      text: 'Spark: cannot start - livy-session-0 holds 5 of 5'
    },
    {
      why: "names the queue's AM limit, not executors",
      cluster: { max_executors: 6, executors_in_use: 0 },
      holder: { id: 0, executors: 0, status: 'idle' },
      short: {
        status: 'starving',
        cannot_start: 'am-limit',
        starved_by: [0],
        notebook: { kernel_id: ETL_NOTEBOOK.kernelId }
      },
      text: "Spark: cannot start - queue's AM limit"
    }
  ])('$why', ({ cluster, holder, short, text }) => {
    const snapshot = aSnapshot({
      cluster,
      sessions: [
        holder,
        { id: 1, state: 'starting', culprits: [0], mine: true, ...short }
      ]
    });
    expect(hintAt(snapshot, ETL_NOTEBOOK).text).toBe(text);
  });

  it('says what its status says once it is no longer short', () => {
    const started = JSON.parse(JSON.stringify(CANNOT_START));
    started.sessions[1].status = 'starting';
    expect(hintAt(aSnapshot(started), ETL_NOTEBOOK).text).toBe(
      'Spark: starting livy-session-1'
    );
  });
});

describe('the hint names capacity held outside Livy', () => {
  it('with the sessions, the one holding the most first', () => {
    const h = hintAt(ORPHANED, REPORT_NOTEBOOK);
    expect(h.state).toBe('starving');
    expect(h.text).toBe(
      'Spark: starving 2 min - nightly etl (outside Livy) and 1 other hold 5 of 5'
    );
  });

  it('alone', () => {
    const alone = JSON.parse(JSON.stringify(ORPHANED));
    for (const s of alone.sessions) {
      s.culprits = [];
      s.starved_by = [];
    }
    expect(hintAt(aSnapshot(alone), REPORT_NOTEBOOK).text).toBe(
      'Spark: starving 2 min - nightly etl (outside Livy) holds 4 of 5'
    );
  });
});

describe('the hint of an orphaned session', () => {
  it('is found by its notebook path when the notebook is opened again', () => {
    const h = hintAt(ORPHANED, FORECAST_REOPENED);
    expect(h.state).toBe('orphaned');
    expect(h.text).toBe('Spark: livy-session-4 orphaned');
  });
});

/** The hint's tooltip contains each of `lines`. */
function expectTitle(h: { title: string }, lines: string[]): void {
  for (const line of lines) {
    expect(h.title).toContain(line);
  }
}

describe('notebookHint', () => {
  const hint = (snapshot: ISnapshot | null, nb = BOB_NOTEBOOK, error?: any) =>
    notebookHint(
      { snapshot: snapshot && aSnapshot(snapshot), error },
      nb,
      RECORDED_NOW
    );

  it('starving: how long, and who holds the executors', () => {
    const h = hint(EXAMPLE_ANSWER);
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

  // Bob's session in a status of its own, short of nothing.
  it.each([
    {
      status: 'starting',
      bob: { name: 'livy-session-4' },
      text: 'Spark: starting livy-session-4'
    },
    {
      status: 'idle-hoarding',
      bob: { executors: 3, running_tasks: 0, pending_tasks: 0 },
      text: 'Spark: idle, holding 3 executors'
    }
  ])('$status', ({ status, bob, text }) => {
    const h = hint(withBob({ status, ...bob, starved_by: [], culprits: [] }));
    expect(h.state).toBe(status);
    expect(h.text).toBe(text);
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
    const seed = hint(EXAMPLE_ANSWER).title.split('\n');
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
    const s = exampleAnswer();
    s.sessions![0].notebook = { path: 'sales.ipynb', kernel_id: 'k-alice' };
    const h = hintAt(aSnapshot(s), {
      kernelId: 'k-alice',
      kernelName: 'pysparkkernel',
      path: 'sales.ipynb'
    });
    expect(h.state).toBe('hogging');
    expect(h.text).toBe('Spark: hogging 9 of 9');
    expect(h.sessionId).toBe(0);
    expectTitle(h, [
      'Starving: livy-session-1 (bob, etl.ipynb)',
      'This notebook holds more than its fair share while others wait.',
      'Advice: Restart livy-session-0 with at most 4 executors.'
    ]);
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
    const s = exampleAnswer();
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
    expect(hint(s, PYSPARK_NOTEBOOK).text).toBe('Spark: endpoint unreachable');
    expect(hint(s, PLAIN_NOTEBOOK).state).toBe('none');
  });

  it('a sparkmagic kernel without a session', () => {
    const h = hint(EXAMPLE_ANSWER, PYSPARK_NOTEBOOK);
    expect(h.state).toBe('no-session');
    expect(h.text).toBe('Spark: no session yet');
    expect(h.sessionId).toBeNull();
  });

  it('nothing for a plain kernel without a session', () => {
    expect(hint(EXAMPLE_ANSWER, PLAIN_NOTEBOOK)).toEqual({
      state: 'none',
      text: '',
      title: '',
      sessionId: null
    });
    expect(hint(null, PLAIN_NOTEBOOK).state).toBe('none');
    expect(hint(null, PLAIN_NOTEBOOK, { message: 'down' }).state).toBe('none');
  });

  it('before the first answer, and when the server does not answer', () => {
    expect(hint(null, PYSPARK_NOTEBOOK).text).toBe('Spark: checking…');
    const h = hint(null, PYSPARK_NOTEBOOK, { message: 'Not Found' });
    expect(h.state).toBe('unavailable');
    expect(h.text).toBe('Spark: status unavailable');
    expect(h.title).toContain('Not Found');
  });

  it('keeps the last known state when a later request failed', () => {
    const h = hint(EXAMPLE_ANSWER, BOB_NOTEBOOK, {
      message: 'The Jupyter server does not answer.'
    });
    expect(h.state).toBe('starving');
    expect(h.title).toContain('Last known state');
  });

  it('survives garbage', () => {
    const garbage = {
      sessions: [
        { id: 1, notebook: { kernel_id: BOB_KERNEL }, status: 'ok' } as ISession
      ],
      cluster: { max_executors: 'x' as any },
      starvation: 'nope' as any
    } as ISnapshot;
    expect(hint(garbage).text).toBe('Spark: livy-session-1 running');
  });
});
