import { clusterNote, driversPhrase } from '../cluster';
import {
  describeSession,
  executorSizeNote,
  pendingContainersPhrase,
  relations,
  sessionName,
  startingExecutors
} from '../sessions';
import {
  sortAdvice,
  starvationSentence,
  starvationSentences,
  statusSentence,
  summary
} from '../sentences';
import { historyGap, sparklineFrame, sparklinePaths } from '../sparkline';
import { sortSessions, statusOf, statusSeverity } from '../status';
import {
  formatDuration,
  formatMemory,
  formatNumber,
  formatPercent,
  formatResources,
  joinWords,
  notebookName,
  safeHttpUrl
} from '../text';
import { formatAgo, formatClock } from '../time';
import {
  aCluster,
  aHistory,
  aSession,
  aSnapshot,
  EXAMPLE,
  someAdvice
} from './fixtures';

const snapshot = EXAMPLE;
const SINCE = Date.parse('2026-11-24T09:57:00Z');

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [0.9, '0 s'],
    [45, '45 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [180, '3 min'],
    [199, '3 min'],
    [3600, '1 h'],
    [3900, '1 h 5 min'],
    [86400, '1 d'],
    [86400 + 3 * 3600 + 59, '1 d 3 h'],
    [-5, '0 s']
  ])('%p s reads %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows unknown values as a dash', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(NaN)).toBe('–');
  });
});

describe('formatMemory', () => {
  it.each([
    [0, '0 MiB'],
    [512, '512 MiB'],
    [1024, '1 GiB'],
    [10240, '10 GiB'],
    [92160, '90 GiB'],
    [1536, '1.5 GiB'],
    [1024 * 1024 * 1.5, '1.5 TiB']
  ])('%p MiB reads %p', (mb, text) => {
    expect(formatMemory(mb)).toBe(text);
  });

  it('shows unknown values as a dash', () => {
    expect(formatMemory(null)).toBe('–');
  });
});

describe('formatNumber and formatPercent', () => {
  it('keeps at most one decimal', () => {
    expect(formatNumber(4.5)).toBe('4.5');
    expect(formatNumber(4)).toBe('4');
    expect(formatNumber(4.25)).toBe('4.3');
    expect(formatNumber(-0.01)).toBe('0');
    expect(formatNumber(undefined)).toBe('–');
  });

  it('reads shares in percent', () => {
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.123)).toBe('12%');
    expect(formatPercent(0.004)).toBe('0.4%');
    expect(formatPercent(null)).toBe('–');
  });
});

describe('times', () => {
  it('says how long ago', () => {
    const now = Date.parse('2026-11-24T10:00:05Z');
    expect(formatAgo('2026-11-24T10:00:05Z', now)).toBe('just now');
    expect(formatAgo('2026-11-24T10:00:00Z', now)).toBe('5 s ago');
    expect(formatAgo('2026-11-24T09:57:00Z', now)).toBe('3 min ago');
    expect(formatAgo('not a time', now)).toBe('–');
    expect(formatAgo(null, now)).toBe('–');
  });

  it('gives the clock time, with the date when not today', () => {
    const t = new Date(2026, 10, 24, 9, 7).getTime();
    const iso = new Date(t).toISOString();
    expect(formatClock(iso, t + 60000)).toBe('09:07');
    expect(formatClock(iso, t + 2 * 86400000)).toBe('2026-11-24 09:07');
    expect(formatClock(undefined, t)).toBe('–');
  });
});

describe('names', () => {
  it('names sessions', () => {
    expect(sessionName({ id: 3, name: null })).toBe('livy-session-3');
    expect(sessionName({ id: 3, name: 'custom' })).toBe('custom');
    expect(sessionName(null, 7)).toBe('livy-session-7');
    expect(sessionName(null)).toBe('livy-session-?');
  });

  it('takes the file name of a notebook', () => {
    expect(notebookName('work/etl.ipynb')).toBe('etl.ipynb');
    expect(notebookName('etl.ipynb')).toBe('etl.ipynb');
    expect(notebookName('')).toBeNull();
    expect(notebookName(null)).toBeNull();
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

  it('joins words', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['a'])).toBe('a');
    expect(joinWords(['a', 'b'])).toBe('a and b');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('safeHttpUrl', () => {
  it('keeps absolute http and https URLs', () => {
    expect(safeHttpUrl('http://ip-172-32-1-1:20888/proxy/app/')).toBe(
      'http://ip-172-32-1-1:20888/proxy/app/'
    );
    expect(safeHttpUrl(' https://example.org/x ')).toBe(
      'https://example.org/x'
    );
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    '/relative/path',
    '//evil.example/x',
    '',
    null,
    undefined,
    42,
    { href: 'http://x' }
  ])('drops %p', url => {
    expect(safeHttpUrl(url)).toBeNull();
  });
});

describe('sorting by status severity', () => {
  const s = (id: number, status: string | null, executors?: number) =>
    aSession({ id, status, executors });

  it('orders statuses from the most urgent', () => {
    expect(statusSeverity('starving')).toBeLessThan(statusSeverity('hogging'));
    expect(statusSeverity('hogging')).toBeLessThan(
      statusSeverity('idle-hoarding')
    );
    expect(statusSeverity('waiting')).toBeLessThan(statusSeverity('ok'));
    expect(statusSeverity('ok')).toBeLessThan(statusSeverity('idle'));
    expect(statusSeverity('idle')).toBeLessThan(statusSeverity('gone'));
    expect(statusSeverity('gone')).toBeLessThan(statusSeverity('whatever'));
  });

  it('sorts sessions by severity, then id (not by executors held)', () => {
    const sorted = sortSessions([
      s(5, 'idle', 0),
      s(4, 'ok', 6),
      s(3, 'ok', 2),
      s(2, 'hogging', 9),
      s(1, 'starving', 0),
      s(0, null),
      s(6, 'ok', 2)
    ]);
    expect(sorted.map(x => x.id)).toEqual([1, 2, 3, 4, 6, 5, 0]);
  });

  it('does not modify its input', () => {
    const input = [s(1, 'ok'), s(0, 'starving')];
    sortSessions(input);
    expect(input.map(x => x.id)).toEqual([1, 0]);
  });

  it('treats unknown statuses as unknown', () => {
    expect(statusOf(aSession({ status: 'hogging' }))).toBe('hogging');
    expect(statusOf(aSession({ status: '<b>bad</b>' }))).toBe('unknown');
    expect(statusOf(aSession({ status: null }))).toBe('unknown');
  });
});

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

describe('sparklines', () => {
  const history = aHistory({
    poll_interval: 5,
    times: [100, 105, 110, 115, 120, 125],
    series: { '0': [0, 3, null, 9, 9, 9], '1': [null, null, 0, 0] }
  });
  const box = { width: 50, height: 10, max: 9 };
  const series = (id: number) => history.series[String(id)];

  it('takes the samples of the window', () => {
    const last = sparklineFrame(history.times, { ...box, start: 115 });
    expect(last.first).toBe(3);
    expect(last.relative).toEqual([-10, -5, 0]);
    expect(last.x).toEqual(['0.0', '25.0', '50.0']);
    expect(sparklinePaths(last, series(0))).toEqual([
      '0.0,1.0 25.0,1.0 50.0,1.0'
    ]);
    // A short series is completed with unknown values when normalized, a
    // long one cut, and what is not a number is unknown.
    expect(series(1)).toEqual([null, null, 0, 0, null, null]);
    const odd = aHistory({ times: [1, 2], series: { '0': [1, 'x', 3] } });
    expect(odd.series['0']).toEqual([1, null]);
    expect(sparklineFrame([], box).x).toEqual([]);
  });

  it('breaks lines at unknown values', () => {
    const paths = sparklinePaths(sparklineFrame(history.times, box), series(0));
    expect(paths).toHaveLength(2);
    expect(paths[0].split(' ')).toHaveLength(2);
    expect(paths[1].split(' ')).toHaveLength(3);
    // The top of the scale is the top of the box, zero its bottom.
    expect(paths[0].startsWith('0.0,9.0')).toBe(true);
    expect(paths[1].endsWith('50.0,1.0')).toBe(true);
  });

  it('breaks lines at a gap: samples further apart than 2 poll intervals', () => {
    // Polled every 5 s, then slowly (nobody watched) from 110 to 170.
    const slow = aHistory({
      poll_interval: 5,
      times: [100, 105, 110, 170, 175, 180],
      series: { '0': [2, 2, 2, 4, 4, 4] }
    });
    const over = { width: 80, height: 10, max: 4, start: 100, end: 180 };
    expect(historyGap(slow)).toBe(10);
    expect(historyGap(aHistory({ poll_interval: null }))).toBeUndefined();
    // Without the gap rule the two sides would be joined by a line.
    expect(
      sparklinePaths(sparklineFrame(slow.times, over), slow.series['0'])
    ).toHaveLength(1);
    const gapped = { ...over, maxGap: historyGap(slow) };
    const paths = sparklinePaths(
      sparklineFrame(slow.times, gapped),
      slow.series['0']
    );
    expect(paths).toEqual([
      '0.0,5.0 5.0,5.0 10.0,5.0',
      '70.0,1.0 75.0,1.0 80.0,1.0'
    ]);
    // The server's gap marker (a time where every series is null) breaks it too.
    const marked = aHistory({
      poll_interval: 5,
      times: [100, 105, 110, 115, 170, 175, 180],
      series: { '0': [2, 2, 2, null, 4, 4, 4] }
    });
    expect(
      sparklinePaths(sparklineFrame(marked.times, over), marked.series['0'])
    ).toEqual(paths);
    // A lone sample between two gaps stays visible, as a single point does.
    const lone = sparklinePaths(
      sparklineFrame([100, 160, 220], {
        width: 120,
        height: 10,
        max: 3,
        start: 100,
        end: 220,
        maxGap: 10
      }),
      [1, 2, 3]
    );
    expect(lone).toHaveLength(3);
    expect(lone[1]).toBe('60.0,3.7 60.0,3.7');
  });

  it('draws a single point as a visible flat line', () => {
    const one = { width: 10, height: 10, max: 2 };
    expect(sparklinePaths(sparklineFrame([5], one), [1])).toEqual([
      '10.0,5.0 10.0,5.0'
    ]);
    expect(sparklinePaths(sparklineFrame([], one), [])).toEqual([]);
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

describe('formatResources', () => {
  it.each([
    [8, 10240, '8 cores · 10 GiB'],
    [1, 1024, '1 core · 1 GiB'],
    [2, null, '2 cores'],
    [null, 512, '512 MiB'],
    [0, 0, '0 cores · 0 MiB'],
    [null, null, null],
    [-1, NaN, null]
  ])('%p cores, %p MiB -> %p', (cores, mb, expected) => {
    expect(formatResources(cores, mb)).toBe(expected);
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

describe('driversPhrase', () => {
  it('says what the drivers hold', () => {
    expect(
      driversPhrase(
        aCluster({ drivers: 2, driver_cores: 2, driver_memory_mb: 2048 })
      )
    ).toBe('2 drivers hold 2 cores · 2 GiB');
    expect(
      driversPhrase(
        aCluster({ drivers: 1, driver_cores: 1, driver_memory_mb: 896 })
      )
    ).toBe('1 driver holds 1 core · 896 MiB');
    expect(
      driversPhrase(aCluster({ drivers: 3, driver_memory_mb: 3072 }))
    ).toBe('3 drivers hold 3 GiB');
  });

  it('says that there are some when their size is unknown', () => {
    expect(driversPhrase(aCluster({ drivers: 2 }))).toBe(
      '2 drivers run outside the executor slots'
    );
    expect(driversPhrase(aCluster({ drivers: 1, driver_cores: null }))).toBe(
      '1 driver runs outside the executor slots'
    );
  });

  it('is null without drivers or when the topology cannot tell', () => {
    expect(driversPhrase(snapshot.cluster)).toBeNull();
    expect(driversPhrase(aCluster({ drivers: 0, driver_cores: 0 }))).toBeNull();
    expect(driversPhrase(aCluster({ drivers: null }))).toBeNull();
    expect(driversPhrase(null)).toBeNull();
  });
});

describe('clusterNote', () => {
  it('is the server sentence, or null', () => {
    const note =
      "Capacity from Glue's worker-type table (G.1X x 5): YARN is not configured.";
    expect(clusterNote(aCluster({ note }))).toBe(note);
    expect(clusterNote(aCluster({ note: `  ${note}\n` }))).toBe(note);
    expect(clusterNote(aCluster({ note: '  ' }))).toBeNull();
    expect(clusterNote(aCluster({ note: null }))).toBeNull();
    expect(clusterNote(aCluster({ note: 42 as unknown as string }))).toBeNull();
    expect(clusterNote(snapshot.cluster)).toBeNull();
    expect(clusterNote(null)).toBeNull();
  });
});
