/**
 * The one place that reads the server's JSON: an answer (untrusted, maybe from
 * an older server, fields missing or of the wrong type) becomes the complete
 * objects of `snapshot.ts`, once, in the model. Each field keeps its value
 * when it has the wire's type, and is null (an empty list, false) otherwise.
 * Which fields are text, numbers, booleans or lists of numbers: `FIELDS`,
 * generated from the server's definition into `types.ts`.
 */
import {
  Actions,
  Advice,
  Cluster,
  Endpoint,
  EndpointRef,
  Endpoints,
  History,
  Session,
  Snapshot,
  Starvation
} from './snapshot';
import { isStatus } from './status';
import { FIELDS } from './types';

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
    ...Read.plain(s, FIELDS.Snapshot),
    endpoint: normalizeEndpoint(s.endpoint),
    cluster: normalizeCluster(s.cluster),
    sessions: Read.list(s.sessions, normalizeSession),
    starvation: Read.list(s.starvation, normalizeStarvation),
    advice: Read.list(s.advice, normalizeAdvice),
    outside_livy: Read.list(s.outside_livy, o =>
      Read.complete(o, FIELDS.OutsideLivyApp)
    ),
    actions: normalizeActions(s.actions)
  };
}

/**
 * An endpoints answer, complete: entries without a text id, and repeated
 * ids, are left out.
 */
export function normalizeEndpoints(raw: unknown): Endpoints {
  const e = Read.record(raw) ?? {};
  const seen = new Set<string>();
  const endpoints = Read.list(e.endpoints, item => {
    const ref = normalizeEndpointRef(item);
    if (!ref || seen.has(ref.id)) {
      return null;
    }
    seen.add(ref.id);
    return ref;
  });
  return {
    endpoints,
    max_endpoints: Read.num(e.max_endpoints),
    not_polled: Read.list(e.not_polled, Read.text)
  };
}

function normalizeEndpointRef(raw: unknown): EndpointRef | null {
  const r = Read.record(raw);
  const id = Read.text(r?.id);
  if (!r || !id) {
    return null;
  }
  return {
    id,
    configured: r.configured === true,
    last_used_at: Read.text(r.last_used_at),
    reachable: typeof r.reachable === 'boolean' ? r.reachable : null,
    sessions: Read.num(r.sessions),
    starving: Read.num(r.starving)
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
  return {
    ...Read.plain(s, FIELDS.Session),
    id: s.id,
    notebook: Read.complete(s.notebook, FIELDS.NotebookRef),
    mine: s.mine === true,
    can_stop: s.can_stop === true,
    status: isStatus(s.status) ? s.status : null,
    stale: s.stale === true
  };
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
    e && {
      ...Read.plain(e, FIELDS.Endpoint),
      problems: Read.list(e.problems, p => Read.complete(p, FIELDS.Problem))
    }
  );
}

/**
 * The cluster, complete; null when the answer has none.
 */
export function normalizeCluster(raw: unknown): Cluster | null {
  return Read.complete(raw, FIELDS.Cluster);
}

/**
 * A piece of advice, complete; null when it is not an object.
 */
export function normalizeAdvice(raw: unknown): Advice | null {
  return Read.complete(raw, FIELDS.Advice);
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
  return { ...Read.plain(e, FIELDS.Starvation), session: e.session };
}

function normalizeActions(raw: unknown): Actions {
  return { stop_own_sessions: Read.record(raw)?.stop_own_sessions === true };
}

/**
 * The plain fields of one object (an entry of `FIELDS`), by kind.
 */
interface IKinds {
  readonly text: readonly string[];
  readonly numbers: readonly string[];
  readonly booleans: readonly string[];
  readonly numberLists: readonly string[];
  readonly textLists: readonly string[];
}

/**
 * The plain fields of `K` as read: text and numbers (null: missing or of
 * another type), booleans (null likewise), lists (their items of the type).
 */
type Plain<K extends IKinds> = { [N in K['text'][number]]: string | null } & {
  [N in K['numbers'][number]]: number | null;
} & { [N in K['booleans'][number]]: boolean | null } & {
  [N in K['numberLists'][number]]: number[];
} & { [N in K['textLists'][number]]: string[] };

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
  export function plain<K extends IKinds>(
    source: JsonObject,
    kinds: K
  ): Plain<K> {
    const out: { [name: string]: unknown } = {};
    for (const name of kinds.text) {
      out[name] = text(source[name]);
    }
    for (const name of kinds.numbers) {
      out[name] = num(source[name]);
    }
    for (const name of kinds.booleans) {
      const value = source[name];
      out[name] = typeof value === 'boolean' ? value : null;
    }
    for (const name of kinds.numberLists) {
      out[name] = list(source[name], num);
    }
    for (const name of kinds.textLists) {
      out[name] = list(source[name], text);
    }
    return out as Plain<K>;
  }

  /** An object of plain fields only, complete; null for anything but an object. */
  export function complete<K extends IKinds>(
    value: unknown,
    kinds: K
  ): Plain<K> | null {
    const source = record(value);
    return source && plain(source, kinds);
  }
}
