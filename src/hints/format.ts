/**
 * Pure logic of the notebook hints: which session a notebook drives, the few
 * words of its toolbar item, its tooltip, and the starvation notifications.
 * No DOM, no I/O: everything here is tested with plain objects.
 *
 * Like ../format.ts, every function accepts missing or malformed values.
 */
import {
  capacity,
  describeOwner,
  describeSession,
  findSession,
  formatDuration,
  formatMemory,
  formatNumber,
  formatResources,
  starvedByOf,
  isNum,
  isOwnSession,
  joinWords,
  notebookName,
  pendingContainers,
  plural,
  secondsSince,
  sessionName,
  sortSessions,
  startingExecutors,
  statusOf,
  STATUS_HELP,
  victimsOf
} from '../format';
import { IAdvice, ISession, ISnapshot, IStarvation } from '../types';

/**
 * An array, or an empty one for anything else (the server may send garbage).
 */
function arr<T>(value: readonly T[] | null | undefined): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * Kernel names of sparkmagic's wrapper kernels.
 */
export const SPARKMAGIC_KERNELS: readonly string[] = [
  'pysparkkernel',
  'sparkkernel',
  'sparkrkernel'
];

/**
 * What a notebook's hint says.
 *
 * - `none`: show nothing (no mapped session and not a sparkmagic kernel);
 * - `loading`: a sparkmagic kernel, before the first answer of the server;
 * - `unavailable`: the server extension does not answer (and nothing is known);
 * - `unreachable`: the Livy endpoint does not answer;
 * - `no-session`: a sparkmagic kernel that has not created a Livy session yet;
 * - otherwise the status of the notebook's session.
 */
export type HintState =
  | 'none'
  | 'loading'
  | 'unavailable'
  | 'unreachable'
  | 'no-session'
  | 'starting'
  | 'ok'
  | 'idle'
  | 'waiting'
  | 'starving'
  | 'hogging'
  | 'idle-hoarding'
  | 'gone'
  | 'unknown';

/**
 * The hint of one notebook.
 */
export interface IHint {
  state: HintState;
  /** The few words of the toolbar item ("Spark: 3 of 9 executors"); empty for `none`. */
  text: string;
  /** The details, one fact per line, for the tooltip. */
  title: string;
  /** The Livy session the hint is about, if any. */
  sessionId: number | null;
}

/**
 * The notebook a hint belongs to.
 */
export interface INotebookInfo {
  /** The id of the notebook's kernel, if it has one. */
  kernelId?: string | null;
  /** The kernel's name (e.g. "pysparkkernel"). */
  kernelName?: string | null;
  /** The kernel's display name (e.g. "PySpark"). */
  kernelDisplayName?: string | null;
  /** The notebook's path on the server (relative to the server's root). */
  path?: string | null;
}

/**
 * What the shared model knows.
 */
export interface IModelState {
  snapshot: ISnapshot | null;
  /** Why the last request failed, if it did. */
  error?: { message?: string | null } | null;
}

/**
 * Whether a kernel is one of sparkmagic's (by name, or "Spark" in its display name).
 */
export function isSparkmagicKernel(
  name: string | null | undefined,
  displayName?: string | null
): boolean {
  if (typeof name === 'string' && SPARKMAGIC_KERNELS.includes(name)) {
    return true;
  }
  return typeof displayName === 'string' && displayName.includes('Spark');
}

/**
 * A server path without leading or trailing slashes.
 */
function normalPath(path: string | null | undefined): string {
  return typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : '';
}

/**
 * The session a notebook drives: by kernel id, else by notebook path. When a
 * kernel drives several, the most urgent one.
 */
export function findNotebookSession(
  snapshot: ISnapshot | null | undefined,
  notebook: INotebookInfo
): ISession | null {
  const sessions = arr(snapshot?.sessions).filter(
    s => s && typeof s === 'object' && isNum(s.id) && s.notebook
  );
  const kernelId = notebook.kernelId;
  let mine: ISession[] = kernelId
    ? sessions.filter(s => s.notebook?.kernel_id === kernelId)
    : [];
  const path = normalPath(notebook.path);
  if (!mine.length && path) {
    mine = sessions.filter(s => normalPath(s.notebook?.path) === path);
  }
  return mine.length ? sortSessions(mine)[0] : null;
}

/**
 * The sessions that hold executors at the expense of `session`: the culprits
 * the server names for it (empty unless it is short), most executors first.
 */
export function holdersOf(snapshot: ISnapshot, session: ISession): ISession[] {
  const sessions = arr(snapshot.sessions).filter(s => s && isNum(s.id));
  const holders = culpritsOf(session).map(
    id => findSession(sessions, id) ?? ({ id } as ISession)
  );
  return holders.sort(
    (a, b) =>
      (isNum(b.executors) ? b.executors : -1) -
        (isNum(a.executors) ? a.executors : -1) || a.id - b.id
  );
}

/**
 * The starvation entry of a session, if any.
 */
export function starvationOf(
  snapshot: ISnapshot | null | undefined,
  id: number
): IStarvation | null {
  return arr(snapshot?.starvation).find(e => e && e.session === id) ?? null;
}

/**
 * "livy-session-0 holds 9 of 9", "livy-session-0 and 1 other hold 8 of 9",
 * "9 of 9 executors in use"; null when nothing is known.
 */
export function holdersPhrase(
  snapshot: ISnapshot,
  holders: readonly ISession[]
): string | null {
  const c = capacity(snapshot.cluster);
  const of = c === null ? '' : ` of ${formatNumber(c)}`;
  if (holders.length) {
    const first = sessionName(holders[0]);
    const held = holders.map(h => h.executors).filter(isNum);
    const total = held.length ? held.reduce((a, b) => a + b, 0) : null;
    if (holders.length === 1) {
      return total === null
        ? `${first} holds them`
        : `${first} holds ${formatNumber(total)}${of}`;
    }
    const others = holders.length - 1;
    const who = `${first} and ${others} other${others === 1 ? '' : 's'}`;
    return total === null
      ? `${who} hold them`
      : `${who} hold ${formatNumber(total)}${of}`;
  }
  const used = snapshot.cluster?.executors_in_use;
  if (c !== null && isNum(used)) {
    return `${formatNumber(used)}${of} executors in use`;
  }
  return null;
}

/**
 * Seconds a session has been short of executors (the starvation's start,
 * else its status' start), or null.
 */
export function waitedSeconds(
  snapshot: ISnapshot,
  session: ISession,
  now: number
): number | null {
  const entry = starvationOf(snapshot, session.id);
  return (
    secondsSince(entry?.since, now) ?? secondsSince(session.status_since, now)
  );
}

/**
 * The hint of one notebook.
 */
export function notebookHint(
  state: IModelState,
  notebook: INotebookInfo,
  now: number
): IHint {
  const snapshot = state.snapshot;
  const spark = isSparkmagicKernel(
    notebook.kernelName,
    notebook.kernelDisplayName
  );
  const session = findNotebookSession(snapshot, notebook);
  const none: IHint = { state: 'none', text: '', title: '', sessionId: null };

  if (!snapshot) {
    if (!spark) {
      return none;
    }
    if (state.error) {
      return {
        state: 'unavailable',
        text: 'Spark: status unavailable',
        title: `The glue-sessions server extension does not answer: ${
          state.error.message || 'unknown error'
        }`,
        sessionId: null
      };
    }
    return {
      state: 'loading',
      text: 'Spark: checking…',
      title:
        'Asking the Jupyter server which Livy session this notebook drives.',
      sessionId: null
    };
  }
  if (!session && !spark) {
    return none;
  }

  const lines: string[] = [];
  if (state.error) {
    lines.push(
      `Last known state: the Jupyter server does not answer (${
        state.error.message || 'unknown error'
      }).`
    );
  }

  if (snapshot.endpoint && snapshot.endpoint.reachable === false) {
    const since = secondsSince(snapshot.endpoint.down_since, now);
    const url = snapshot.endpoint.url || 'The Livy endpoint';
    lines.unshift(
      since === null
        ? `${url} does not answer.`
        : `${url} has not answered for ${formatDuration(since)}.`
    );
    if (snapshot.endpoint.error) {
      lines.push(String(snapshot.endpoint.error));
    }
    if (session) {
      lines.push(`This notebook drives ${describeSession(session)}.`);
    }
    lines.push(clickLine(session));
    return {
      state: 'unreachable',
      text: 'Spark: endpoint unreachable',
      title: lines.join('\n'),
      sessionId: session ? session.id : null
    };
  }

  if (!session) {
    lines.unshift(
      'This notebook has no Livy session yet: run a cell to start one.'
    );
    lines.push(clickLine(null));
    return {
      state: 'no-session',
      text: 'Spark: no session yet',
      title: lines.join('\n'),
      sessionId: null
    };
  }

  const status = statusOf(session);
  const name = sessionName(session);
  const c = capacity(snapshot.cluster);
  const held = isNum(session.executors) ? session.executors : null;
  const holders = holdersOf(snapshot, session);
  const phrase = holdersPhrase(snapshot, holders);
  let text: string;
  switch (status) {
    case 'starting':
      text = `Spark: starting ${name}`;
      break;
    case 'ok': {
      const starting = stillStarting(session);
      text =
        held === null
          ? `Spark: ${name} running`
          : c === null
            ? `Spark: ${plural(held, 'executor')}${starting}`
            : `Spark: ${formatNumber(held)} of ${plural(c, 'executor')}${starting}`;
      break;
    }
    case 'idle':
      text = 'Spark: idle';
      break;
    case 'waiting':
      text = phrase
        ? `Spark: waiting - ${phrase}`
        : 'Spark: waiting for executors';
      break;
    case 'starving': {
      const waited = waitedSeconds(snapshot, session, now);
      const head =
        waited === null
          ? 'Spark: starving'
          : `Spark: starving ${formatDuration(waited)}`;
      text = phrase ? `${head} - ${phrase}` : head;
      break;
    }
    case 'hogging':
      text =
        held === null
          ? 'Spark: hogging'
          : c === null
            ? `Spark: hogging ${plural(held, 'executor')}`
            : `Spark: hogging ${formatNumber(held)} of ${formatNumber(c)}`;
      break;
    case 'idle-hoarding':
      text =
        held === null
          ? 'Spark: idle, holding executors'
          : `Spark: idle, holding ${plural(held, 'executor')}`;
      break;
    case 'gone':
      text = `Spark: ${name} ended`;
      break;
    default:
      text = `Spark: ${name}`;
  }

  lines.unshift(...detailLines(snapshot, session, holders, now));
  lines.push(clickLine(session));
  return {
    state: status as HintState,
    text,
    title: lines.join('\n'),
    sessionId: session.id
  };
}

/**
 * The tooltip lines about a session.
 */
export function detailLines(
  snapshot: ISnapshot,
  session: ISession,
  holders: readonly ISession[],
  now: number
): string[] {
  const status = statusOf(session);
  const sessions = arr(snapshot.sessions);
  const lines: string[] = [];
  const since = secondsSince(session.status_since, now);
  const label =
    status === 'unknown' ? 'status unknown' : status.replace('-', ' ');
  lines.push(
    `${describeSession(session)}: ${label}${
      since === null || status === 'unknown'
        ? ''
        : ` for ${formatDuration(since)}`
    }`
  );
  if (STATUS_HELP[status]) {
    lines.push(STATUS_HELP[status]);
  }

  const c = capacity(snapshot.cluster);
  const exec = [
    `${formatNumber(session.executors)} held${stillStarting(session)}`
  ];
  if (isNum(session.fair_share)) {
    exec.push(`fair share ${formatNumber(session.fair_share)}`);
  }
  if (isNum(session.need)) {
    exec.push(`needs ${formatNumber(session.need)}`);
  }
  if (isNum(session.max_executors)) {
    exec.push(`max ${formatNumber(session.max_executors)}`);
  }
  let execLine = `Executors: ${exec.join(', ')}`;
  if (c !== null) {
    execLine += ` (cluster: ${formatNumber(
      snapshot.cluster?.executors_in_use
    )} of ${formatNumber(c)} in use)`;
  }
  lines.push(execLine);
  const pending = pendingContainers(session);
  if (pending !== null) {
    lines.push(
      `YARN: ${plural(pending, 'executor container')} pending (waiting for cluster capacity)`
    );
  }
  lines.push(
    `Cores: ${formatNumber(session.cores)}, memory: ${formatMemory(session.memory_mb)}`
  );
  const executor = formatResources(
    session.executor_cores,
    session.executor_memory_mb
  );
  const driver = formatResources(
    session.driver_cores,
    session.driver_memory_mb
  );
  const size = [
    executor && `each executor: ${executor}`,
    driver && `driver: ${driver}`
  ]
    .filter(part => part)
    .join('; ');
  if (size) {
    lines.push(size.charAt(0).toUpperCase() + size.slice(1));
  }
  lines.push(
    `Tasks: ${formatNumber(session.running_tasks)} running, ${formatNumber(
      session.pending_tasks
    )} pending`
  );

  const edges = starvedByOf(session);
  const starvedBy = holders.filter(h => edges.includes(h.id));
  if (starvedBy.length) {
    lines.push(`Starved by: ${joinWords(starvedBy.map(h => holding(h, c)))}`);
  } else if (holders.length) {
    lines.push(
      `Above their fair share: ${joinWords(holders.map(h => holding(h, c)))}`
    );
  }
  const victims = new Set<number>(victimsOf(session));
  victims.delete(session.id);
  if (victims.size) {
    lines.push(
      `Starving: ${joinWords(
        [...victims].map(id => describeSession(findSession(sessions, id), id))
      )}`
    );
  }
  if (status === 'hogging') {
    lines.push(
      'This notebook holds more than its fair share while others wait.'
    );
  }
  const advice = arr(snapshot.advice).find(
    a => a && a.session === session.id && typeof a.text === 'string' && a.text
  );
  if (advice) {
    lines.push(`Advice: ${advice.text}`);
  }
  if (session.stale) {
    lines.push('Last known state (the endpoint does not answer).');
  }
  return lines;
}

/**
 * " (2 still starting)" when some of a session's executors are granted but
 * not yet registered with its driver, else "".
 */
function stillStarting(session: ISession): string {
  const starting = startingExecutors(session);
  return starting ? ` (${formatNumber(starting)} still starting)` : '';
}

/**
 * "livy-session-0 (alice) holds 9 of 9".
 */
function holding(session: ISession, c: number | null): string {
  const name = describeOwner(session, session.id);
  if (!isNum(session.executors)) {
    return name;
  }
  return `${name} holds ${formatNumber(session.executors)}${
    c === null ? '' : ` of ${formatNumber(c)}`
  }`;
}

function clickLine(session: ISession | null): string {
  return session
    ? `Click to show ${sessionName(session)} in Spark executor sharing.`
    : 'Click to show Spark executor sharing.';
}

/**
 * A starvation notification about one of the user's own sessions.
 */
export interface IStarvationNotice {
  /** The starving session. */
  sessionId: number;
  /** Session id and culprits: a new key is a new notification. */
  key: string;
  /** The message, e.g. "Your notebook etl.ipynb (livy-session-3) has been waiting 2 min ...". */
  message: string;
  /** The cell that fixes it (the culprit's advice, else the general one), if any. */
  fix: string | null;
}

/**
 * The culprits the server names for a short session (`culprits`), by id.
 */
export function culpritsOf(session: ISession): number[] {
  return [...new Set(arr(session.culprits).filter(isNum))]
    .filter(id => id !== session.id)
    .sort((a, b) => a - b);
}

/**
 * The fix to copy: the configure cell of the advice about a culprit, else the
 * general advice's cell, else any advice's text.
 */
export function fixFor(
  advice: readonly IAdvice[] | null | undefined,
  culprits: readonly number[]
): string | null {
  const list = (Array.isArray(advice) ? advice : []).filter(
    a => a && typeof a === 'object'
  );
  const cell = (a: IAdvice | undefined) =>
    a && typeof a.configure === 'string' && a.configure ? a.configure : null;
  for (const id of culprits) {
    const found = cell(list.find(a => a.session === id && cell(a)));
    if (found) {
      return found;
    }
  }
  const general = cell(list.find(a => !isNum(a.session) && cell(a)));
  if (general) {
    return general;
  }
  const any = cell(list.find(a => cell(a)));
  if (any) {
    return any;
  }
  const text = list.find(a => typeof a.text === 'string' && a.text);
  return text ? String(text.text) : null;
}

/**
 * The notification text, e.g. "Your notebook etl.ipynb (livy-session-3) has
 * been waiting 2 min with 0 of its fair 4.5 executors: livy-session-1 (alice)
 * holds 9 of 9."
 */
export function starvationMessage(
  snapshot: ISnapshot,
  session: ISession,
  culprits: readonly number[],
  now: number
): string {
  const name = sessionName(session);
  const nb = notebookName(session.notebook?.path);
  let text = nb ? `Your notebook ${nb} (${name})` : `Your session ${name}`;
  const waited = waitedSeconds(snapshot, session, now);
  text +=
    waited === null
      ? ' is waiting'
      : ` has been waiting ${formatDuration(waited)}`;
  const held = isNum(session.executors) ? session.executors : null;
  if (held !== null && isNum(session.fair_share)) {
    text += ` with ${formatNumber(held)} of its fair ${plural(
      session.fair_share,
      'executor'
    )}`;
  } else if (held !== null) {
    text += ` with ${plural(held, 'executor')}`;
  }
  const c = capacity(snapshot.cluster);
  const sessions = arr(snapshot.sessions);
  if (culprits.length) {
    text += `: ${joinWords(
      culprits.map(id =>
        holding(findSession(sessions, id) ?? ({ id } as ISession), c)
      )
    )}`;
  } else if (c !== null && isNum(snapshot.cluster?.executors_in_use)) {
    text += `: ${formatNumber(snapshot.cluster?.executors_in_use)} of ${formatNumber(c)} executors are in use`;
  }
  return `${text}.`;
}

/**
 * The starvation notices of a snapshot: the user's own starving sessions
 * (those that `accept` also accepts).
 */
export function starvationNotices(
  snapshot: ISnapshot | null | undefined,
  now: number,
  accept: (session: ISession) => boolean = () => true
): IStarvationNotice[] {
  if (!snapshot || !Array.isArray(snapshot.sessions)) {
    return [];
  }
  return snapshot.sessions
    .filter(
      s =>
        s &&
        isNum(s.id) &&
        statusOf(s) === 'starving' &&
        isOwnSession(s) &&
        accept(s)
    )
    .sort((a, b) => a.id - b.id)
    .map(s => {
      const culprits = culpritsOf(s);
      return {
        sessionId: s.id,
        key: `${s.id}:${culprits.join(',')}`,
        message: starvationMessage(snapshot, s, culprits, now),
        fix: fixFor(snapshot.advice, culprits)
      };
    });
}

/**
 * Decides when to notify: once per starvation and set of culprits.
 *
 * `update()` answers the notices to show now, and the keys of those to
 * withdraw (the starvation ended, or its culprits changed). Snapshots taken
 * while the endpoint does not answer change nothing (the starvation list is
 * empty then, which says nothing about the truth).
 */
export class StarvationTracker {
  /**
   * The keys of the starvations notified and still going on.
   */
  get active(): ReadonlyMap<number, string> {
    return this._active;
  }

  update(
    snapshot: ISnapshot | null | undefined,
    now: number,
    accept?: (session: ISession) => boolean
  ): { show: IStarvationNotice[]; withdraw: string[] } {
    if (!snapshot || snapshot.endpoint?.reachable === false) {
      return { show: [], withdraw: [] };
    }
    const notices = starvationNotices(snapshot, now, accept);
    const current = new Map(notices.map(n => [n.sessionId, n]));
    const withdraw: string[] = [];
    for (const [id, key] of [...this._active]) {
      const notice = current.get(id);
      if (!notice || notice.key !== key) {
        withdraw.push(key);
        this._active.delete(id);
      }
    }
    const show = notices.filter(n => !this._active.has(n.sessionId));
    show.forEach(n => this._active.set(n.sessionId, n.key));
    return { show, withdraw };
  }

  /**
   * Forget everything (e.g. when notifications are turned off).
   */
  reset(): void {
    this._active.clear();
  }

  private _active = new Map<number, string>();
}
