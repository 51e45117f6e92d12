/**
 * The perf spec's data and its table: an endpoint with SESSIONS sessions,
 * poll after poll, and the quantiles of the measures.
 */

/** Sessions of the generated endpoint. */
export const SESSIONS = 200;

type Snapshot = any;

/**
 * The endpoint with SESSIONS sessions at its `poll`-th poll (5 s apart).
 *
 * Per 10 sessions: 1 hogging (8 executors), 3 starving (0), 2 ok (1), 4 idle.
 * From one poll to the next, `changing` sessions change (executors, tasks,
 * and a new sample in their history that differs from the one before).
 */
export function generate(
  real: Snapshot,
  poll: number,
  changing: (id: number) => boolean,
  now: number
): { snapshot: Snapshot; history: object } {
  const template = (status: string) =>
    real.sessions.find((s: any) => s.status === status) ?? real.sessions[0];
  const iso = (t: number) => new Date(t).toISOString();
  const kinds = [
    'hogging',
    'starving',
    'ok',
    'starving',
    'idle',
    'ok',
    'starving',
    'idle',
    'idle',
    'idle'
  ];
  const statusOf = (id: number) => kinds[id % 10];
  const ids = [...Array(SESSIONS).keys()];
  const hogs = ids.filter(id => statusOf(id) === 'hogging');
  const starving = ids.filter(id => statusOf(id) === 'starving');
  const capacity = 200;
  const fair = capacity / (hogs.length + starving.length + 2 * 20);

  const sessions = ids.map(id => {
    const status = statusOf(id);
    const base = template(status === 'ok' ? 'hogging' : status);
    const s = JSON.parse(JSON.stringify(base));
    const flip = changing(id) && poll % 2 === 1 ? 1 : 0;
    const executors =
      status === 'hogging' ? 8 - flip : status === 'ok' ? 1 + flip : 0;
    const running = executors * 8;
    const appId = `application_1764000000000_${String(id + 1).padStart(4, '0')}`;
    Object.assign(s, {
      id,
      name: `livy-session-${id}`,
      app_id: appId,
      owner: `user${id % 37}`,
      proxy_user: `user${id % 37}`,
      notebook: null,
      state: status === 'idle' ? 'idle' : 'busy',
      status,
      status_since: iso(now - (60 + id) * 1000),
      executors,
      cores: executors * 8,
      memory_mb: executors * 10240,
      share: Math.round((executors / capacity) * 1000) / 1000,
      need: status === 'hogging' ? 40 : status === 'starving' ? 5 : executors,
      fair_share: status === 'idle' ? 0 : Math.round(fair * 10) / 10,
      running_tasks: running,
      // A changing session's pending tasks differ at every poll (not only
      // in turn), so that a row left behind shows (see the end).
      pending_tasks:
        status === 'hogging'
          ? 300 + (changing(id) ? poll % 100 : 0)
          : status === 'starving'
            ? 40 + (changing(id) ? poll % 100 : 0)
            : 0,
      starved_by: status === 'starving' ? hogs : [],
      starving: status === 'hogging' ? starving : [],
      spark_ui_url:
        typeof s.spark_ui_url === 'string'
          ? s.spark_ui_url.replace(/application_\d+_\d+/, appId)
          : null,
      driver_log_url:
        typeof s.driver_log_url === 'string'
          ? s.driver_log_url.replace(/application_\d+_\d+/, appId)
          : null
    });
    return s;
  });

  const edge = real.starvation?.[0] ?? {};
  const starvation = starving.map(id => ({
    ...edge,
    session: id,
    by: hogs,
    weights: Object.fromEntries(hogs.map(h => [String(h), 8 - fair])),
    deficit_executors: Math.round(fair * 10) / 10,
    since: iso(now - (60 + id) * 1000)
  }));
  const advice = [
    ...hogs.map(id => ({
      ...(real.advice?.[0] ?? {}),
      session: id,
      text: `Restart livy-session-${id} with at most 2 executors.`
    })),
    ...(real.advice ?? []).filter((a: any) => a.session === null)
  ];
  const inUse = sessions.reduce((n: number, s: any) => n + s.executors, 0);
  const snapshot = {
    ...real,
    endpoint: {
      ...real.endpoint,
      polled_at: iso(now + poll * 1000),
      last_success_at: iso(now + poll * 1000),
      problems: []
    },
    cluster: {
      ...real.cluster,
      workers: capacity + 1,
      max_executors: capacity,
      executors_in_use: inUse,
      livy_executors: inUse,
      cores_in_use: inUse * 8,
      memory_in_use_mb: inUse * 10240
    },
    sessions,
    starvation,
    advice
  };

  // The last ten minutes at 5 s, one sample more per poll (as the server's
  // history grows). A changing session's samples alternate, so each poll's
  // new sample differs from the last; a steady session draws the same line.
  const last = Math.floor(now / 5000) + poll;
  const samples = [...Array(120).keys()].map(i => last - 119 + i);
  const times = samples.map(j => j * 5);
  const series: { [id: string]: number[] } = {};
  for (const s of sessions) {
    const base = s.status === 'hogging' ? 8 : s.status === 'ok' ? 1 : 0;
    series[String(s.id)] = samples.map(j =>
      changing(s.id) && j % 2 === 1 ? base + 1 : base
    );
  }
  return { snapshot, history: { poll_interval: 5, times, series } };
}

export function quantile(values: number[], q: number): number {
  if (!values.length) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function row(label: string, values: number[]): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
  return `| ${label} | ${values.length} | ${f(quantile(values, 0.5))} | ${f(
    quantile(values, 0.95)
  )} | ${f(Math.max(...values))} |`;
}
