/**
 * The snapshot and the history as the panel and the hints read them: complete
 * objects, every field present, `null` where the server did not say (or said
 * something of the wrong type). `normalize.ts` makes them, once per answer,
 * from the wire JSON of `types.ts`; nothing after it checks types again.
 *
 * The field names are the wire's (glue_sessions/snapshot.py), so that a field
 * reads the same in the server, the API description and here.
 */
import {
  IEndpoints,
  IHistory,
  ProblemSource,
  ISnapshot,
  SessionStatus
} from './types';

export type { SessionStatus } from './types';

/**
 * Something the snapshot says about one session, or (session null) in general.
 */
type AboutSession = { session: number | null };

/**
 * A problem met while polling (one peer not answering, a parse failure...).
 */
export type Problem = AboutSession & {
  /** Where; a source this panel does not know yet is kept as it came. */
  source: ProblemSource | string | null;
  message: string | null;
  /** When it was first met (ISO time). */
  since: string | null;
};

/**
 * The Livy endpoint as seen by the server (see IEndpoint for each field).
 */
export type Endpoint = {
  url: string | null;
  mode: string | null;
  /** null: the server did not say. */
  reachable: boolean | null;
  error: string | null;
  error_kind: string | null;
  down_since: string | null;
  polled_at: string | null;
  last_success_at: string | null;
  observed_since: string | null;
  poll_interval: number | null;
  polling: string | null;
  polling_interval: number | null;
  starvation_seconds: number | null;
  problems: Problem[];
};

/**
 * The executor capacity of the endpoint (see ICluster for each field).
 */
export type Cluster = {
  source: string | null;
  worker_type: string | null;
  workers: number | null;
  max_executors: number | null;
  executor_cores: number | null;
  executor_memory_mb: number | null;
  executors_in_use: number | null;
  livy_executors: number | null;
  cores_in_use: number | null;
  memory_in_use_mb: number | null;
  drivers: number | null;
  driver_cores: number | null;
  driver_memory_mb: number | null;
  total_cores: number | null;
  total_memory_mb: number | null;
  note: string | null;
};

/**
 * The notebook of this Jupyter server that drives a session.
 */
export type NotebookRef = {
  path: string | null;
  kernel_id: string | null;
  /** Its kernel no longer runs the session (null: the server did not say). */
  orphaned: boolean | null;
};

/**
 * One live Livy session (see ISession for each field).
 */
export type Session = {
  id: number;
  name: string | null;
  livy_name: string | null;
  app_id: string | null;
  state: string | null;
  kind: string | null;
  owner: string | null;
  proxy_user: string | null;
  notebook: NotebookRef | null;
  /** The server decided that one of its notebooks drives it (false unless it said so). */
  mine: boolean;
  /** The server decided that it would stop it if asked (false unless it said so). */
  can_stop: boolean;
  owner_label: string | null;
  notebook_label: string | null;
  executors: number | null;
  registered_executors: number | null;
  starting_executors: number | null;
  pending_containers: number | null;
  executor_cores: number | null;
  executor_memory_mb: number | null;
  driver_cores: number | null;
  driver_memory_mb: number | null;
  cores: number | null;
  memory_mb: number | null;
  share: number | null;
  need: number | null;
  fair_share: number | null;
  max_executors: number | null;
  running_tasks: number | null;
  pending_tasks: number | null;
  /** null: missing, or a status this panel does not know. */
  status: SessionStatus | null;
  status_since: string | null;
  /** The starvation edges, sent once: who starves it, and whom it starves. */
  starved_by: number[];
  starving: number[];
  /** Whom to name when it is short (waiting or starving). */
  culprits: number[];
  /** Since when Livy has called it idle, and when Livy will end it. */
  idle_since: string | null;
  ends_at: string | null;
  /** YARN: why its driver cannot start ('cluster-full', 'am-limit'). */
  cannot_start: string | null;
  diagnostics: string | null;
  queue: string | null;
  /** The YARN applications outside Livy (app ids) it waits on, when short. */
  outside_culprits: string[];
  spark_ui_url: string | null;
  driver_log_url: string | null;
  error: string | null;
  /** The endpoint did not answer: this is the last known state. */
  stale: boolean;
};

/**
 * A starving session: by how much, since when.
 */
export type Starvation = {
  session: number;
  deficit_executors: number | null;
  since: string | null;
};

/**
 * What to do about it; `session` null for the general advice.
 */
export type Advice = AboutSession & {
  /** Why, in the analysis' words. */
  reason: string | null;
  /** What to do, in one sentence. */
  text: string | null;
  /** The %%configure cell that does it, to copy. */
  configure: string | null;
};

/**
 * A YARN application holding containers that Livy does not list (see
 * IOutsideLivyApp for each field).
 */
export type OutsideLivyApp = {
  app_id: string | null;
  name: string | null;
  user: string | null;
  queue: string | null;
  application_type: string | null;
  containers: number | null;
  executors: number | null;
  cores: number | null;
  memory_mb: number | null;
  since: string | null;
  url: string | null;
  fair_share: number | null;
  /** The starving sessions that wait on it. */
  starving: number[];
};

/**
 * What this server lets its users do (false unless it says so).
 */
export type Actions = {
  stop_own_sessions: boolean;
};

/**
 * GET /glue-sessions/api/snapshot, complete. Entries without their key (a
 * session or a starvation without a numeric id) are left out.
 */
export type Snapshot = {
  version: number | null;
  endpoint: Endpoint | null;
  cluster: Cluster | null;
  sessions: Session[];
  starvation: Starvation[];
  advice: Advice[];
  outside_livy: OutsideLivyApp[];
  actions: Actions;
};

/**
 * One Livy endpoint the server polls (see IEndpointRef for each field);
 * entries without a text id are left out.
 */
export type EndpointRef = {
  id: string;
  configured: boolean;
  last_used_at: string | null;
  reachable: boolean | null;
  sessions: number | null;
  starving: number | null;
};

/**
 * GET /glue-sessions/api/endpoints, complete.
 */
export type Endpoints = {
  endpoints: EndpointRef[];
  max_endpoints: number | null;
  not_polled: string[];
};

/**
 * GET /glue-sessions/api/history, complete (see IHistory for each field).
 * Its times are all numbers (a history with another time is empty), each
 * series and `capacity` holds a number or null per time.
 */
export type History = {
  poll_interval: number | null;
  times: number[];
  series: { [sessionId: string]: (number | null)[] };
  capacity: (number | null)[];
  starving: { [sessionId: string]: [number, number][] };
};

/**
 * The fields that a complete type, or one it holds at any depth, has and its
 * wire interface lacks, or the reverse, as `{ 'path.field': 'field' }`: none.
 * When a field is added on the server (types.ts is generated), the compiler
 * names it here until it is added to the type above. The three answers are
 * the roots: every type they hold is compared through them.
 */
type Unmatched<Wire, Complete, Path extends string = ''> = {
  [
    K in
      | Exclude<keyof Wire, keyof Complete>
      | Exclude<keyof Complete, keyof Wire> as `${Path}${K & string}`
  ]: K;
} & Held<Wire, Complete, Path>;

/** What the fields both types have hold: compared in turn, by field path. */
type Held<Wire, Complete, Path extends string> = Intersection<
  {
    [K in keyof Wire & keyof Complete]: Inner<Wire[K]> extends object
      ? Inner<Complete[K]> extends object
        ? Unmatched<Inner<Wire[K]>, Inner<Complete[K]>, `${Path}${K & string}.`>
        : Fine
      : Fine;
  }[keyof Wire & keyof Complete]
>;

/** Nothing unmatched (not `unknown`: a union with it would hide the rest). */
type Fine = Record<never, never>;

/** A field's type without null, undefined and arrays around it. */
type Inner<T> = T extends readonly (infer E)[]
  ? Inner<E>
  : Exclude<T, null | undefined>;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I
) => void
  ? I
  : never;

type None<T extends { [field: string]: never }> = T;
export type CompleteTypesMatchTheWire = [
  None<Unmatched<ISnapshot, Snapshot>>,
  None<Unmatched<IHistory, History>>,
  None<Unmatched<IEndpoints, Endpoints>>
];
