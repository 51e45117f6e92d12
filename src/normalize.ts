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
    ...Read.known(s, Fields.SESSION),
    id: s.id,
    notebook: Read.complete<NotebookRef>(s.notebook, Fields.NOTEBOOK),
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
 * A session the snapshot does not list (an edge names it): only its id is known.
 */
export function unknownSession(id: number): Session {
  return normalizeSession({ id }) as Session;
}

/**
 * The endpoint, complete; null when the answer has none.
 */
export function normalizeEndpoint(raw: unknown): Endpoint | null {
  const e = Read.record(raw);
  return (
    e &&
    ({
      ...Read.known(e, Fields.ENDPOINT),
      reachable: typeof e.reachable === 'boolean' ? e.reachable : null,
      problems: Read.list(e.problems, p =>
        Read.complete<Problem>(p, Fields.PROBLEM)
      )
    } as Endpoint)
  );
}

/**
 * The cluster, complete; null when the answer has none.
 */
export function normalizeCluster(raw: unknown): Cluster | null {
  return Read.complete<Cluster>(raw, Fields.CLUSTER);
}

/**
 * A piece of advice, complete; null when it is not an object.
 */
export function normalizeAdvice(raw: unknown): Advice | null {
  return Read.complete<Advice>(raw, Fields.ADVICE);
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
        series[id] = aligned(values, times.length);
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
      times.length && Array.isArray(h.capacity)
        ? aligned(h.capacity, times.length)
        : [],
    starving
  };
}

/**
 * A history's values, one per time: cut, or completed with null (unknown),
 * to the number of times, so that value i is always at time i. The parsed
 * array itself when it already is (200 series of hundreds each per poll).
 */
function aligned(values: unknown[], length: number): (number | null)[] {
  if (values.length === length && values.every(v => v === null || isNum(v))) {
    return values as (number | null)[];
  }
  const out: (number | null)[] = new Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Read.num(values[i]);
  }
  return out;
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
 * The plain fields of each kind: text (string or null) and numbers (finite
 * or null).
 */
namespace Fields {
  export interface IKinds {
    text: readonly string[];
    numbers: readonly string[];
  }

  export const SESSION: IKinds = {
    text: [
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
    ],
    numbers: [
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
    ]
  };
  export const ENDPOINT: IKinds = {
    text: [
      'url',
      'mode',
      'error',
      'error_kind',
      'down_since',
      'polled_at',
      'last_success_at',
      'observed_since',
      'polling'
    ],
    numbers: ['poll_interval', 'polling_interval', 'starvation_seconds']
  };
  export const CLUSTER: IKinds = {
    text: ['source', 'worker_type', 'note'],
    numbers: [
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
    ]
  };
  export const NOTEBOOK: IKinds = { text: ['path', 'kernel_id'], numbers: [] };
  export const PROBLEM: IKinds = {
    text: ['source', 'message', 'since'],
    numbers: ['session']
  };
  export const ADVICE: IKinds = {
    text: ['reason', 'text', 'configure'],
    numbers: ['session']
  };
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
      const kept = read(item);
      if (kept !== null) {
        out.push(kept);
      }
    }
    return out;
  }

  /** The plain fields of `kinds` read from `source`. */
  export function known(
    source: JsonObject,
    kinds: Fields.IKinds
  ): { [name: string]: string | number | null } {
    const out: { [name: string]: string | number | null } = {};
    for (const name of kinds.text) {
      out[name] = text(source[name]);
    }
    for (const name of kinds.numbers) {
      out[name] = num(source[name]);
    }
    return out;
  }

  /** An object of plain fields only, complete; null for anything but an object. */
  export function complete<T>(value: unknown, kinds: Fields.IKinds): T | null {
    const source = record(value);
    return source && (known(source, kinds) as T);
  }
}
