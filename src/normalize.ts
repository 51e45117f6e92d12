/**
 * The one place that reads the server's JSON: an answer (untrusted, maybe from
 * an older server, fields missing or of the wrong type) becomes the complete
 * objects of `snapshot.ts`, once, in the model. Each field keeps its value
 * when it has the wire's type, and is null (an empty list, false) otherwise.
 */
import {
  Actions,
  Advice,
  Cluster,
  Endpoint,
  History,
  NotebookRef,
  Problem,
  Session,
  SessionStatus,
  Snapshot,
  Starvation
} from './snapshot';
import { STATUS_ORDER } from './status';

/**
 * Whether a value is a finite number.
 */
export function isNum(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A snapshot answer, complete.
 */
export function normalizeSnapshot(raw: unknown): Snapshot {
  const s = Read.record(raw) ?? {};
  return {
    version: Read.num(s.version),
    endpoint: normalizeEndpoint(s.endpoint),
    cluster: normalizeCluster(s.cluster),
    sessions: Read.list(s.sessions, normalizeSession),
    starvation: Read.list(s.starvation, normalizeStarvation),
    advice: Read.list(s.advice, normalizeAdvice),
    actions: normalizeActions(s.actions)
  };
}

/**
 * A session, complete; null without a numeric id.
 */
export function normalizeSession(raw: unknown): Session | null {
  const s = Read.record(raw);
  if (!s || !isNum(s.id)) {
    return null;
  }
  const status = s.status as SessionStatus;
  return {
    ...Read.fields(s, Fields.SESSION_TEXT, Read.text),
    ...Read.fields(s, Fields.SESSION_NUMBERS, Read.num),
    id: s.id,
    notebook: normalizeNotebook(s.notebook),
    mine: s.mine === true,
    can_stop: s.can_stop === true,
    status: STATUS_ORDER.includes(status) ? status : null,
    starved_by: Read.list(s.starved_by, Read.num),
    starving: Read.list(s.starving, Read.num),
    culprits: Read.list(s.culprits, Read.num),
    stale: s.stale === true
  } as Session;
}

/**
 * The endpoint, complete; null when the answer has none.
 */
export function normalizeEndpoint(raw: unknown): Endpoint | null {
  const e = Read.record(raw);
  if (!e) {
    return null;
  }
  return {
    ...Read.fields(e, Fields.ENDPOINT_TEXT, Read.text),
    ...Read.fields(e, Fields.ENDPOINT_NUMBERS, Read.num),
    reachable: typeof e.reachable === 'boolean' ? e.reachable : null,
    problems: Read.list(e.problems, normalizeProblem)
  } as Endpoint;
}

/**
 * The cluster, complete; null when the answer has none.
 */
export function normalizeCluster(raw: unknown): Cluster | null {
  const c = Read.record(raw);
  if (!c) {
    return null;
  }
  return {
    ...Read.fields(c, Fields.CLUSTER_TEXT, Read.text),
    ...Read.fields(c, Fields.CLUSTER_NUMBERS, Read.num)
  } as Cluster;
}

/**
 * A piece of advice, complete; null when it is not an object.
 */
export function normalizeAdvice(raw: unknown): Advice | null {
  const a = Read.record(raw);
  if (!a) {
    return null;
  }
  return {
    ...Read.fields(a, ['reason', 'text', 'configure'], Read.text),
    session: Read.num(a.session)
  } as Advice;
}

/**
 * A history answer, complete. A history with a time that is not a number
 * is read as an empty one (nothing can be placed on its time axis).
 */
export function normalizeHistory(raw: unknown): History {
  const h = Read.record(raw) ?? {};
  const rawTimes = Array.isArray(h.times) ? h.times : [];
  const times = rawTimes.every(isNum) ? (rawTimes as number[]) : [];
  const series: History['series'] = {};
  const starving: History['starving'] = {};
  if (times.length) {
    for (const [id, values] of Object.entries(Read.record(h.series) ?? {})) {
      if (Array.isArray(values)) {
        series[id] = values.map(Read.num);
      }
    }
    for (const [id, ranges] of Object.entries(Read.record(h.starving) ?? {})) {
      if (Array.isArray(ranges)) {
        starving[id] = ranges.filter(
          (r): r is [number, number] =>
            Array.isArray(r) && isNum(r[0]) && isNum(r[1])
        );
      }
    }
  }
  return {
    poll_interval: Read.num(h.poll_interval),
    times: [...times],
    series,
    capacity:
      times.length && Array.isArray(h.capacity) ? h.capacity.map(Read.num) : [],
    starving
  };
}

function normalizeNotebook(raw: unknown): NotebookRef | null {
  const n = Read.record(raw);
  return n
    ? { path: Read.text(n.path), kernel_id: Read.text(n.kernel_id) }
    : null;
}

function normalizeProblem(raw: unknown): Problem | null {
  const p = Read.record(raw);
  if (!p) {
    return null;
  }
  return {
    ...Read.fields(p, ['source', 'message', 'since'], Read.text),
    session: Read.num(p.session)
  } as Problem;
}

function normalizeStarvation(raw: unknown): Starvation | null {
  const e = Read.record(raw);
  if (!e || !isNum(e.session)) {
    return null;
  }
  return {
    session: e.session,
    deficit_executors: Read.num(e.deficit_executors),
    since: Read.text(e.since)
  };
}

function normalizeActions(raw: unknown): Actions {
  return { stop_own_sessions: Read.record(raw)?.stop_own_sessions === true };
}

/**
 * The fields of each kind, by type.
 */
namespace Fields {
  export const SESSION_TEXT = [
    'name',
    'livy_name',
    'app_id',
    'state',
    'kind',
    'owner',
    'proxy_user',
    'owner_label',
    'notebook_label',
    'status_since',
    'spark_ui_url',
    'driver_log_url',
    'error'
  ];
  export const SESSION_NUMBERS = [
    'executors',
    'registered_executors',
    'starting_executors',
    'pending_containers',
    'executor_cores',
    'executor_memory_mb',
    'driver_cores',
    'driver_memory_mb',
    'cores',
    'memory_mb',
    'share',
    'need',
    'fair_share',
    'max_executors',
    'running_tasks',
    'pending_tasks'
  ];
  export const ENDPOINT_TEXT = [
    'url',
    'mode',
    'error',
    'error_kind',
    'down_since',
    'polled_at',
    'last_success_at',
    'observed_since',
    'polling'
  ];
  export const ENDPOINT_NUMBERS = [
    'poll_interval',
    'polling_interval',
    'starvation_seconds'
  ];
  export const CLUSTER_TEXT = ['source', 'worker_type', 'note'];
  export const CLUSTER_NUMBERS = [
    'workers',
    'max_executors',
    'executor_cores',
    'executor_memory_mb',
    'executors_in_use',
    'livy_executors',
    'cores_in_use',
    'memory_in_use_mb',
    'drivers',
    'driver_cores',
    'driver_memory_mb',
    'total_cores',
    'total_memory_mb'
  ];
}

/**
 * Readers of untrusted values.
 */
namespace Read {
  export type JsonObject = { [key: string]: unknown };

  /** An object (not an array), or null. */
  export function record(value: unknown): JsonObject | null {
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonObject)
      : null;
  }

  /** A finite number, or null. */
  export function num(value: unknown): number | null {
    return isNum(value) ? value : null;
  }

  /** A string, or null. */
  export function text(value: unknown): string | null {
    return typeof value === 'string' ? value : null;
  }

  /** The items of a list that `read` accepts; [] for anything but a list. */
  export function list<T>(
    value: unknown,
    read: (item: unknown) => T | null
  ): T[] {
    if (!Array.isArray(value)) {
      return [];
    }
    const out: T[] = [];
    for (const item of value) {
      const read_ = read(item);
      if (read_ !== null) {
        out.push(read_);
      }
    }
    return out;
  }

  /** `names` read from `source` with `read`. */
  export function fields<T>(
    source: JsonObject,
    names: readonly string[],
    read: (value: unknown) => T
  ): { [name: string]: T } {
    const out: { [name: string]: T } = {};
    for (const name of names) {
      out[name] = read(source[name]);
    }
    return out;
  }
}

/**
 * A session the snapshot does not list (an edge names it): only its id is known.
 */
export function unknownSession(id: number): Session {
  return normalizeSession({ id }) as Session;
}
