/**
 * Pure view logic: formatting, sorting, sentences. No DOM, no I/O.
 *
 * Everything here accepts missing or malformed values (the server may be
 * older, or a peer may have answered garbage) and returns something readable.
 */
import {
  IAdvice,
  ICluster,
  IHistory,
  ISession,
  ISnapshot,
  IStarvation,
  SessionStatus
} from './types';

/**
 * Shown where a value is unknown.
 */
export const UNKNOWN = '–';

/**
 * The statuses the panel knows, most urgent first.
 */
export const STATUS_ORDER: readonly SessionStatus[] = [
  'starving',
  'hogging',
  'idle-hoarding',
  'waiting',
  'starting',
  'ok',
  'idle',
  'gone'
];

/**
 * A short explanation of each status, for tooltips and screen readers.
 */
export const STATUS_HELP: { [status: string]: string } = {
  ok: 'Runs with the executors it needs.',
  starting: 'The Spark application is starting.',
  idle: 'No job running and no executors held.',
  waiting:
    'Has tasks but fewer executors than it needs, for less time than the starvation threshold (or the cluster is simply full).',
  starving:
    'Has held fewer executors than its fair share for longer than the starvation threshold, while others hold more than theirs.',
  hogging: 'Holds more executors than its fair share while others wait.',
  'idle-hoarding':
    'Holds executors with no task to run (cached data pins executors).',
  gone: 'The session ended or is no longer visible.'
};

/**
 * Whether a value is a finite number.
 */
export function isNum(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A known status, or 'unknown'.
 */
export function statusOf(session: Pick<ISession, 'status'>): string {
  const s = session.status;
  return typeof s === 'string' && (STATUS_ORDER as string[]).includes(s)
    ? s
    : 'unknown';
}

/**
 * Severity rank of a status: 0 is the most urgent.
 */
export function statusSeverity(status: string | null | undefined): number {
  const i = (STATUS_ORDER as readonly string[]).indexOf(status ?? '');
  return i < 0 ? STATUS_ORDER.length : i;
}

/**
 * Sessions sorted most urgent first, then by executors held (most first),
 * then by id. Does not modify its input.
 */
export function sortSessions(sessions: readonly ISession[]): ISession[] {
  return [...sessions].sort((a, b) => {
    const bySeverity =
      statusSeverity(statusOf(a)) - statusSeverity(statusOf(b));
    if (bySeverity !== 0) {
      return bySeverity;
    }
    const byExecutors =
      (isNum(b.executors) ? b.executors : -1) -
      (isNum(a.executors) ? a.executors : -1);
    if (byExecutors !== 0) {
      return byExecutors;
    }
    return (isNum(a.id) ? a.id : 0) - (isNum(b.id) ? b.id : 0);
  });
}

/**
 * A number with at most one decimal ("4.5", "4", "0.3").
 */
export function formatNumber(value: number | null | undefined): string {
  if (!isNum(value)) {
    return UNKNOWN;
  }
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/**
 * A duration in seconds, coarse enough to read at a glance:
 * "12 s", "3 min", "1 h 5 min", "2 d 3 h".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNum(seconds)) {
    return UNKNOWN;
  }
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const m = minutes % 60;
    return m ? `${hours} h ${m} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${days} d ${h} h` : `${days} d`;
}

/**
 * Milliseconds since the epoch of an ISO 8601 time, or null.
 */
export function parseTime(iso: string | null | undefined): number | null {
  if (typeof iso !== 'string' || !iso) {
    return null;
  }
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/**
 * Seconds elapsed from an ISO time until `now` (ms), or null.
 */
export function secondsSince(
  iso: string | null | undefined,
  now: number
): number | null {
  const t = parseTime(iso);
  return t === null ? null : Math.max(0, (now - t) / 1000);
}

/**
 * "12 s ago", "3 min ago", "just now"; UNKNOWN when the time is unknown.
 */
export function formatAgo(iso: string | null | undefined, now: number): string {
  const s = secondsSince(iso, now);
  if (s === null) {
    return UNKNOWN;
  }
  if (s < 2) {
    return 'just now';
  }
  return `${formatDuration(s)} ago`;
}

/**
 * The wall clock time of an ISO time ("10:03"), with the date when it is not today.
 */
export function formatClock(
  iso: string | null | undefined,
  now: number
): string {
  const t = parseTime(iso);
  if (t === null) {
    return UNKNOWN;
  }
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  if (
    d.getFullYear() === today.getFullYear() &&
    d.getMonth() === today.getMonth() &&
    d.getDate() === today.getDate()
  ) {
    return clock;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}

/**
 * Memory given in MiB, in binary units as Spark writes them: "512 MiB", "10 GiB", "1.5 TiB".
 */
export function formatMemory(mb: number | null | undefined): string {
  if (!isNum(mb)) {
    return UNKNOWN;
  }
  if (mb <= 0) {
    return '0 MiB';
  }
  const units = ['MiB', 'GiB', 'TiB', 'PiB'];
  let value = mb;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value)} ${units[unit]}`;
}

/**
 * A share (0..1) in percent: "100%", "12%", "0.5%".
 */
export function formatPercent(share: number | null | undefined): string {
  if (!isNum(share)) {
    return UNKNOWN;
  }
  const p = share * 100;
  if (p > 0 && p < 1) {
    return `${formatNumber(p)}%`;
  }
  return `${Math.round(p)}%`;
}

/**
 * "1 executor", "4.5 executors".
 */
export function plural(
  value: number | null | undefined,
  word: string,
  words = `${word}s`
): string {
  return `${formatNumber(value)} ${value === 1 ? word : words}`;
}

/**
 * A URL that is safe to put in a link: only absolute http(s), else null.
 */
export function safeHttpUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url.trim()) {
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return null;
  }
  return parsed.href;
}

/**
 * The name of a session: its Livy name, else livy-session-N.
 */
export function sessionName(
  session: Pick<ISession, 'id' | 'name'> | null | undefined,
  id?: number
): string {
  if (session && typeof session.name === 'string' && session.name) {
    return session.name;
  }
  const n = session && isNum(session.id) ? session.id : id;
  return isNum(n) ? `livy-session-${n}` : 'livy-session-?';
}

/**
 * The file name of a notebook path ("work/etl.ipynb" -> "etl.ipynb").
 */
export function notebookName(path: string | null | undefined): string | null {
  if (typeof path !== 'string' || !path) {
    return null;
  }
  const parts = path.split('/').filter(p => p);
  return parts.length ? parts[parts.length - 1] : null;
}

/**
 * Whether a session is driven by a notebook of this Jupyter server, as the
 * server decided (`mine`).
 */
export function isOwnSession(session: ISession | null | undefined): boolean {
  return session?.mine === true;
}

/**
 * Whether the panel offers to stop a session, as the server decided
 * (`can_stop`: it allows stopping and one of its notebooks drives the
 * session). The server checks again when asked.
 */
export function canStopSession(session: ISession | null | undefined): boolean {
  return !!session && isNum(session.id) && session.can_stop === true;
}

/**
 * The question asked before stopping a session, e.g. "Stop livy-session-3
 * (etl.ipynb)? Its Spark application and cached data go away; the
 * notebook's next cell starts a new session."
 */
export function stopQuestion(session: ISession): string {
  const nb = notebookName(session.notebook?.path);
  const who = nb ? `${sessionName(session)} (${nb})` : sessionName(session);
  return (
    `Stop ${who}? Its Spark application and cached data go away; ` +
    "the notebook's next cell starts a new session."
  );
}

/**
 * "livy-session-1 (bob, etl.ipynb)": who and where, as far as known.
 */
export function describeSession(
  session: ISession | null | undefined,
  id?: number
): string {
  const name = sessionName(session, id);
  if (!session) {
    return name;
  }
  const details: string[] = [];
  if (typeof session.owner === 'string' && session.owner) {
    details.push(session.owner);
  }
  // This server's notebook, else the notebook label another instance's kernel set.
  const nb = notebookName(session.notebook?.path ?? session.notebook_label);
  if (nb) {
    details.push(nb);
  }
  return details.length ? `${name} (${details.join(', ')})` : name;
}

/**
 * Find a session by id.
 */
export function findSession(
  sessions: readonly ISession[] | null | undefined,
  id: number | null | undefined
): ISession | null {
  if (!sessions || !isNum(id)) {
    return null;
  }
  if (sessions.length < 16 || !Array.isArray(sessions)) {
    return sessions.find(s => s && s.id === id) ?? null;
  }
  // Long lists (hundreds of sessions, each naming many others): an index per
  // array, built once. Arrays from the server are never modified in place.
  let index = Private.indexes.get(sessions);
  if (!index) {
    index = new Map();
    for (const s of sessions) {
      if (s && isNum(s.id) && !index.has(s.id)) {
        index.set(s.id, s);
      }
    }
    Private.indexes.set(sessions, index);
  }
  return index.get(id) ?? null;
}

/**
 * Join words as a sentence does: "a", "a and b", "a, b and c".
 */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) {
    return words.join('');
  }
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The executor capacity C of the endpoint, if known.
 */
export function capacity(cluster: ICluster | null | undefined): number | null {
  return cluster && isNum(cluster.max_executors) && cluster.max_executors > 0
    ? cluster.max_executors
    : null;
}

/**
 * A non-negative count, or null.
 */
function count(value: unknown): number | null {
  return isNum(value) && value >= 0 ? value : null;
}

/**
 * Cores and memory in a few words: "8 cores · 10 GiB", "1 core", "2 GiB";
 * null when neither is known.
 */
export function formatResources(
  cores: number | null | undefined,
  memoryMb: number | null | undefined
): string | null {
  const parts: string[] = [];
  if (count(cores) !== null) {
    parts.push(plural(cores, 'core'));
  }
  if (count(memoryMb) !== null) {
    parts.push(formatMemory(memoryMb));
  }
  return parts.length ? parts.join(' · ') : null;
}

/**
 * Executors of a session that the cluster manager has granted but that have
 * not registered with the Spark driver yet: `starting_executors`, else
 * `executors - registered_executors`; null when unknown.
 */
export function startingExecutors(
  session: ISession | null | undefined
): number | null {
  if (!session) {
    return null;
  }
  const starting = count(session.starting_executors);
  if (starting !== null) {
    return starting;
  }
  const granted = count(session.executors);
  const registered = count(session.registered_executors);
  return granted !== null && registered !== null
    ? Math.max(0, granted - registered)
    : null;
}

/**
 * YARN: executor containers a session asked for that YARN has not allocated
 * yet (it waits on the cluster), when there are some; else null.
 */
export function pendingContainers(
  session: ISession | null | undefined
): number | null {
  const pending = count(session?.pending_containers);
  return pending ? pending : null;
}

/**
 * "6 containers pending", or null when none are.
 */
export function pendingContainersPhrase(
  session: ISession | null | undefined
): string | null {
  const pending = pendingContainers(session);
  return pending === null ? null : `${plural(pending, 'container')} pending`;
}

/**
 * The size of one executor of a session, "4 cores · 8 GiB", when it is
 * known and differs from the cluster's executor size; null otherwise (the
 * cluster line says that size, repeating it on every row is clutter).
 */
export function executorSizeNote(
  session: ISession | null | undefined,
  cluster: ICluster | null | undefined
): string | null {
  const cores = count(session?.executor_cores);
  const memory = count(session?.executor_memory_mb);
  const differs = (own: number | null, common: unknown) =>
    own !== null && own !== count(common);
  if (
    !differs(cores, cluster?.executor_cores) &&
    !differs(memory, cluster?.executor_memory_mb)
  ) {
    return null;
  }
  return formatResources(cores, memory);
}

/**
 * The driver (YARN application master) containers of the cluster, e.g.
 * "2 drivers hold 2 cores · 2 GiB"; null unless there are some.
 */
export function driversPhrase(
  cluster: ICluster | null | undefined
): string | null {
  const drivers = count(cluster?.drivers);
  if (!drivers) {
    return null;
  }
  const held = formatResources(
    cluster?.driver_cores,
    cluster?.driver_memory_mb
  );
  const who = plural(drivers, 'driver');
  const verb = drivers === 1 ? 'holds' : 'hold';
  return held
    ? `${who} ${verb} ${held}`
    : `${who} ${drivers === 1 ? 'runs' : 'run'} outside the executor slots`;
}

/**
 * The server's note on where the capacity comes from, or null.
 */
export function clusterNote(
  cluster: ICluster | null | undefined
): string | null {
  const note = cluster?.note;
  return typeof note === 'string' && note.trim() ? note.trim() : null;
}

/**
 * The starvation of one session in words, e.g.
 * "livy-session-1 (bob, etl.ipynb) has waited 3 min with 0 of its fair 4.5
 * executors: livy-session-0 (alice) holds 9 of 9".
 * `phrases` (optional): the holders' phrases by session id, shared by the
 * sentences of one snapshot at one time.
 */
export function starvationSentence(
  entry: IStarvation,
  snapshot: ISnapshot,
  now: number,
  phrases?: Map<number, string>
): string {
  const sessions = snapshot.sessions ?? [];
  const victim = findSession(sessions, entry.session);
  const who = describeSession(victim, entry.session);
  const by = starvedByOf(victim);
  const held = victim && isNum(victim.executors) ? victim.executors : null;
  const fair = victim && isNum(victim.fair_share) ? victim.fair_share : null;
  const waited = secondsSince(entry.since, now);

  let sentence = who;
  sentence +=
    waited === null ? ' is waiting' : ` has waited ${formatDuration(waited)}`;
  if (held !== null && fair !== null) {
    sentence += ` with ${formatNumber(held)} of its fair ${plural(fair, 'executor')}`;
  } else if (held !== null) {
    sentence += ` with ${plural(held, 'executor')}`;
  } else if (isNum(entry.deficit_executors)) {
    sentence += `, ${plural(entry.deficit_executors, 'executor')} short`;
  }

  const c = capacity(snapshot.cluster);
  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  if (by.length) {
    const holders = by.map(id => {
      const made = phrases?.get(id);
      if (made !== undefined) {
        return made;
      }
      const hog = findSession(sessions, id);
      const name = describeOwner(hog, id);
      const h = hog && isNum(hog.executors) ? hog.executors : null;
      const phrase =
        h === null ? name : `${name} holds ${formatNumber(h)}${of}`;
      phrases?.set(id, phrase);
      return phrase;
    });
    sentence += `: ${joinWords(holders)}`;
  } else if (c !== null && isNum(snapshot.cluster?.executors_in_use)) {
    sentence += `: ${formatNumber(snapshot.cluster?.executors_in_use)}${of} executors are in use`;
  }
  return sentence;
}

/**
 * The sessions that starve a session: its `starved_by` (the server's edges).
 */
export function starvedByOf(session: ISession | null | undefined): number[] {
  return Array.isArray(session?.starved_by)
    ? session.starved_by.filter(isNum)
    : [];
}

/**
 * The starving sessions a session starves: its `starving` (the other end of
 * the same edges).
 */
export function victimsOf(session: ISession | null | undefined): number[] {
  return Array.isArray(session?.starving) ? session.starving.filter(isNum) : [];
}

/**
 * "livy-session-0 (alice)": the name and owner only (the holder side of a sentence).
 */
export function describeOwner(
  session: ISession | null | undefined,
  id?: number
): string {
  const name = sessionName(session, id);
  return session && typeof session.owner === 'string' && session.owner
    ? `${name} (${session.owner})`
    : name;
}

/**
 * All starvation sentences of a snapshot, the longest waits first.
 */
export function starvationSentences(
  snapshot: ISnapshot | null | undefined,
  now: number
): { session: number; by: number[]; text: string }[] {
  if (!snapshot || !Array.isArray(snapshot.starvation)) {
    return [];
  }
  // Hundreds of edges name the same few holders: each time and each
  // holder's phrase is made once.
  const since = new Map<IStarvation, number>();
  const at = (e: IStarvation) => {
    let t = since.get(e);
    if (t === undefined) {
      t = parseTime(e.since) ?? Infinity;
      since.set(e, t);
    }
    return t;
  };
  const phrases = new Map<number, string>();
  return snapshot.starvation
    .filter(e => e && isNum(e.session))
    .sort((a, b) => at(a) - at(b))
    .map(e => ({
      session: e.session,
      by: starvedByOf(findSession(snapshot.sessions, e.session)),
      text: starvationSentence(e, snapshot, now, phrases)
    }));
}

/**
 * Who starves a session and whom it starves: its `starved_by` and `starving`
 * (the server sends each starvation edge once, in the sessions).
 */
export function relations(
  snapshot: ISnapshot | null | undefined,
  id: number | null | undefined
): { starvedBy: Set<number>; starving: Set<number> } {
  const session =
    snapshot && isNum(id) ? findSession(snapshot.sessions, id) : null;
  const starvedBy = new Set(starvedByOf(session));
  const starving = new Set(victimsOf(session));
  starvedBy.delete(id as number);
  starving.delete(id as number);
  return { starvedBy, starving };
}

/**
 * One line on a session's status: how long, and its starvation edges, e.g.
 * "Starving for 3 min, starved by livy-session-0" or "Hogging for 3 min,
 * starving livy-session-1 and livy-session-2".
 */
export function statusSentence(
  session: ISession,
  sessions: readonly ISession[],
  now: number
): string {
  const status = statusOf(session);
  const names = (ids: number[] | null | undefined) =>
    joinWords(
      (Array.isArray(ids) ? ids : [])
        .filter(isNum)
        .map(id => sessionName(findSession(sessions, id), id))
    );
  const label =
    status === 'unknown'
      ? 'Status unknown'
      : status === 'ok'
        ? 'OK'
        : status.charAt(0).toUpperCase() + status.slice(1).replace('-', ' ');
  const since = secondsSince(session.status_since, now);
  const parts = [
    since === null || status === 'unknown'
      ? label
      : `${label} for ${formatDuration(since)}`
  ];
  const by = names(session.starved_by);
  if (by) {
    parts.push(`starved by ${by}`);
  }
  const victims = names(session.starving);
  if (victims) {
    parts.push(`starving ${victims}`);
  }
  return parts.join(', ');
}

/**
 * Advice sorted: advice about the user's own sessions first, then general.
 */
export function sortAdvice(
  advice: readonly IAdvice[] | null | undefined,
  sessions: readonly ISession[] | null | undefined
): IAdvice[] {
  if (!Array.isArray(advice)) {
    return [];
  }
  const rank = (a: IAdvice) => {
    const s = findSession(sessions, a.session);
    if (s && isOwnSession(s)) {
      return 0;
    }
    return s ? 1 : 2;
  };
  return advice
    .filter(a => a && typeof a === 'object')
    .sort((a, b) => rank(a) - rank(b));
}

/**
 * The points of one session's sparkline: executors over the last `windowSeconds`
 * of the history, as [epoch seconds, executors or null].
 */
export function sparklineSeries(
  history: IHistory | null | undefined,
  id: number,
  windowSeconds: number
): [number, number | null][] {
  if (!history || !Array.isArray(history.times) || !history.series) {
    return [];
  }
  const values = history.series[String(id)];
  if (!Array.isArray(values)) {
    return [];
  }
  const times = history.times;
  const n = Math.min(times.length, values.length);
  if (n === 0) {
    return [];
  }
  const last = times[n - 1];
  const out: [number, number | null][] = [];
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (!isNum(t) || (isNum(last) && t < last - windowSeconds)) {
      continue;
    }
    const v = values[i];
    out.push([t, isNum(v) ? v : null]);
  }
  return out;
}

/**
 * Two history samples further apart than this (seconds) have unobserved time
 * between them (the server polled slowly, or Livy did not answer): no line
 * joins them. Undefined when the history does not tell its poll interval.
 */
export function historyGap(
  history: IHistory | null | undefined
): number | undefined {
  const interval = history?.poll_interval;
  return isNum(interval) && interval > 0 ? 2 * interval : undefined;
}

/**
 * SVG polyline paths (one per run of known values) for a sparkline of the given size.
 * A run also ends at a gap: two points further apart in time than `maxGap`.
 */
export function sparklinePaths(
  points: readonly [number, number | null][],
  width: number,
  height: number,
  maxValue: number,
  startTime?: number,
  endTime?: number,
  maxGap?: number
): string[] {
  if (!points.length) {
    return [];
  }
  const t0 = startTime ?? points[0][0];
  const t1 = endTime ?? points[points.length - 1][0];
  const span = t1 - t0 || 1;
  const top = maxValue > 0 ? maxValue : 1;
  const x = (t: number) =>
    points.length === 1 && startTime === undefined
      ? width
      : ((t - t0) / span) * width;
  const y = (v: number) => height - 1 - (Math.min(v, top) / top) * (height - 2);
  const paths: string[] = [];
  let current: string[] = [];
  let previous = NaN;
  for (const [t, v] of points) {
    const gap = maxGap !== undefined && t - previous > maxGap;
    previous = t;
    if (gap && current.length) {
      paths.push(current.join(' '));
      current = [];
    }
    if (v === null) {
      if (current.length) {
        paths.push(current.join(' '));
      }
      current = [];
      continue;
    }
    current.push(`${Private.xText(x(t))},${Private.yText(y(v))}`);
  }
  if (current.length) {
    paths.push(current.join(' '));
  }
  // A single point is drawn as a short flat line so that it stays visible.
  return paths.map(p => (p.includes(' ') ? p : `${p} ${p}`));
}

/**
 * A one-line summary of the whole endpoint, for a status line or a tooltip.
 */
export function summary(snapshot: ISnapshot | null | undefined): string {
  if (!snapshot) {
    return 'No data yet';
  }
  if (snapshot.endpoint && snapshot.endpoint.reachable === false) {
    return 'Endpoint unreachable';
  }
  const sessions = snapshot.sessions ?? [];
  const starving = sessions.filter(s => statusOf(s) === 'starving').length;
  const c = capacity(snapshot.cluster);
  const used = snapshot.cluster?.executors_in_use;
  const parts = [plural(sessions.length, 'session')];
  if (c !== null) {
    parts.push(
      `${formatNumber(isNum(used) ? used : null)} of ${formatNumber(c)} executors in use`
    );
  }
  if (starving) {
    parts.push(`${starving} starving`);
  }
  return parts.join(', ');
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * `value.toFixed(1)`, faster for the small non-negative numbers of
   * sparklines (hundreds of sessions times hundreds of points per poll).
   */
  export function fixed1(value: number): string {
    const scaled = value * 10;
    // Ties (x.x5) round as toFixed does: on the exact decimal value.
    if (
      !(value >= 0 && value < 1e6) ||
      Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-6
    ) {
      return value.toFixed(1);
    }
    const tenths = Math.round(scaled);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }

  /**
   * fixed1 of sparkline coordinates, remembered: every session's line has the
   * same x (one per time of the window) and few distinct y (one per value).
   * Each cache is dropped once it holds more than a few windows' worth.
   */
  export const xText = remembered(fixed1);
  export const yText = remembered(fixed1);

  function remembered(
    format: (value: number) => string
  ): (value: number) => string {
    let cache = new Map<number, string>();
    return (value: number) => {
      let text = cache.get(value);
      if (text === undefined) {
        if (cache.size >= 4096) {
          cache = new Map();
        }
        text = format(value);
        cache.set(value, text);
      }
      return text;
    };
  }

  /**
   * Session indexes of long session lists, by list.
   */
  export const indexes = new WeakMap<
    readonly ISession[],
    Map<number, ISession>
  >();
}
