/**
 * The JSON that the glue-sessions server extension answers.
 *
 * The shape is defined once, on the server (glue_sessions/snapshot.py);
 * tests/test_snapshot_contract.py fails when a field name or basic type here
 * differs from it. These are the wire types: every field is optional or
 * nullable on purpose (older servers, faults and partial observations must
 * never crash the panel). The model reads an answer once, with
 * `normalize.ts`, into the complete objects of `snapshot.ts`, which the
 * views and the hints take.
 *
 * The server decides, the browser shows: a session's status, culprits,
 * whether it is this server's (`mine`) and whether it can be stopped here
 * (`can_stop`) come from the snapshot, never from a rule re-made here.
 */

/**
 * Status of a session as computed by the server's analysis.
 */
export type SessionStatus =
  | 'ok'
  | 'starting'
  | 'idle'
  | 'waiting'
  | 'starving'
  | 'hogging'
  | 'idle-hoarding'
  | 'gone';

/**
 * Why YARN gives a session's driver no container yet.
 */
export type CannotStart = 'cluster-full' | 'am-limit';

/**
 * A problem met while polling (one peer not answering, a parse failure...).
 */
export interface IProblem {
  source?: string | null;
  session?: number | null;
  message?: string | null;
  since?: string | null;
}

/**
 * The Livy endpoint as seen by the server.
 */
export interface IEndpoint {
  url?: string | null;
  mode?: string | null;
  reachable?: boolean | null;
  error?: string | null;
  error_kind?: string | null;
  down_since?: string | null;
  polled_at?: string | null;
  last_success_at?: string | null;
  /**
   * The first poll after the last gap (unobserved time). Session timers
   * (status_since, starvation since) restart there.
   */
  observed_since?: string | null;
  /** Seconds between polls at the full rate. */
  poll_interval?: number | null;
  /**
   * The rate the server polled at for this snapshot: 'full' while watched
   * (a panel or hint reads, or a live session of this server's notebooks),
   * 'idle' otherwise.
   */
  polling?: 'full' | 'idle' | string | null;
  /** Seconds between polls at that rate. */
  polling_interval?: number | null;
  starvation_seconds?: number | null;
  problems?: IProblem[] | null;
}

/**
 * The executor capacity of the endpoint.
 */
export interface ICluster {
  source?: string | null;
  worker_type?: string | null;
  workers?: number | null;
  max_executors?: number | null;
  executor_cores?: number | null;
  executor_memory_mb?: number | null;
  executors_in_use?: number | null;
  /** Executors held by the Livy sessions listed. */
  livy_executors?: number | null;
  cores_in_use?: number | null;
  memory_in_use_mb?: number | null;
  /** Driver (YARN application master) containers on the cluster. */
  drivers?: number | null;
  /** Cores all those drivers take. */
  driver_cores?: number | null;
  /** Memory all those drivers take. */
  driver_memory_mb?: number | null;
  /** The cluster's total cores (YARN metrics, standalone master). */
  total_cores?: number | null;
  /** The cluster's total memory. */
  total_memory_mb?: number | null;
  /** One sentence on where the capacity comes from when it is an estimate. */
  note?: string | null;
}

/**
 * The notebook of this Jupyter server that drives a session.
 */
export interface INotebookRef {
  path?: string | null;
  kernel_id?: string | null;
  /** Its kernel no longer runs the session: nobody uses it. */
  orphaned?: boolean | null;
}

/**
 * One live Livy session (one Spark application livy-session-N).
 */
export interface ISession {
  id: number;
  name?: string | null;
  /** The name given at creation. */
  livy_name?: string | null;
  app_id?: string | null;
  state?: string | null;
  kind?: string | null;
  /** Livy's owner (authenticated user), else the owner label. */
  owner?: string | null;
  proxy_user?: string | null;
  notebook?: INotebookRef | null;
  /** The server decided: one of this server's notebooks drives the session. */
  mine?: boolean | null;
  /** The server decided: this server would stop it (DELETE) if asked. */
  can_stop?: boolean | null;
  /** The opt-in labels of the session's conf: who started it, from which notebook. */
  owner_label?: string | null;
  notebook_label?: string | null;
  /**
   * Executors the cluster manager has granted (YARN containers, standalone
   * cores / executor cores), registered with the driver or not.
   */
  executors?: number | null;
  /** Executors registered with the Spark driver. */
  registered_executors?: number | null;
  /** Granted but not yet registered with the driver. */
  starting_executors?: number | null;
  /** YARN: executor containers asked for and not allocated yet. */
  pending_containers?: number | null;
  /** Size of one executor of this session. */
  executor_cores?: number | null;
  executor_memory_mb?: number | null;
  /** The driver (YARN application master container). */
  driver_cores?: number | null;
  driver_memory_mb?: number | null;
  cores?: number | null;
  memory_mb?: number | null;
  share?: number | null;
  need?: number | null;
  fair_share?: number | null;
  max_executors?: number | null;
  running_tasks?: number | null;
  pending_tasks?: number | null;
  status?: SessionStatus | string | null;
  status_since?: string | null;
  /** The starvation edges (sent only here): a starving session's holders... */
  starved_by?: number[] | null;
  /** ...and the starving sessions a holder starves. */
  starving?: number[] | null;
  /**
   * Whom to name for a short session (waiting or starving): the sessions above
   * their fair share. Empty for every other status.
   */
  culprits?: number[] | null;
  /** Since when Livy has called it idle, as seen by the server. */
  idle_since?: string | null;
  /** When Livy will end it if it stays idle (its ttl or idleTimeout). */
  ends_at?: string | null;
  /**
   * YARN: why its driver cannot start (its application ACCEPTED with no AM
   * container): no room in the cluster, or the queue's AM-resource limit.
   */
  cannot_start?: CannotStart | null;
  /** YARN's own words about its application (untrusted text). */
  diagnostics?: string | null;
  /** Its YARN queue. */
  queue?: string | null;
  /** YARN applications outside Livy (app ids) this short session waits on. */
  outside_culprits?: string[] | null;
  spark_ui_url?: string | null;
  driver_log_url?: string | null;
  error?: string | null;
  /** True when the endpoint did not answer and this is the last known state. */
  stale?: boolean | null;
}

/**
 * A starving session: by how much, since when (who starves it: its
 * session's `starved_by`).
 */
export interface IStarvation {
  session: number;
  deficit_executors?: number | null;
  since?: string | null;
}

/**
 * What to do about it.
 */
export interface IAdvice {
  session?: number | null;
  reason?: string | null;
  text?: string | null;
  configure?: string | null;
}

/**
 * GET /glue-sessions/api/snapshot
 */
export interface ISnapshot {
  version?: number;
  endpoint?: IEndpoint | null;
  cluster?: ICluster | null;
  sessions?: ISession[] | null;
  starvation?: IStarvation[] | null;
  advice?: IAdvice[] | null;
  /** YARN applications holding containers that Livy does not list. */
  outside_livy?: IOutsideLivyApp[] | null;
  /** What this server lets its users do (absent on older servers: nothing). */
  actions?: IActions | null;
}

/**
 * A YARN application holding containers that Livy does not list (a batch
 * job, another user's work, a session Livy lost). Never stopped from here.
 */
export interface IOutsideLivyApp {
  app_id?: string | null;
  name?: string | null;
  user?: string | null;
  queue?: string | null;
  application_type?: string | null;
  /** Running containers, its AM included. */
  containers?: number | null;
  /** Its containers but the AM. */
  executors?: number | null;
  cores?: number | null;
  memory_mb?: number | null;
  /** When YARN started it. */
  since?: string | null;
  /** YARN's page of the application. */
  url?: string | null;
  fair_share?: number | null;
  /** The starving sessions that wait on it. */
  starving?: number[] | null;
}

/**
 * The actions a server allows (snapshot.actions).
 */
export interface IActions {
  /**
   * DELETE /glue-sessions/api/sessions/{id} stops sessions of this server's
   * own notebooks (c.GlueSessions.allow_stop_sessions).
   */
  stop_own_sessions?: boolean | null;
}

/**
 * GET /glue-sessions/api/history
 */
export interface IHistory {
  poll_interval?: number | null;
  /**
   * Epoch seconds. Two times further apart than 2 x poll_interval are a gap
   * (nothing observed between them); the server also puts a time where every
   * series is null into each gap.
   */
  times?: number[] | null;
  /** Executors per session id, aligned with `times` (null: not alive or unknown). */
  series?: { [sessionId: string]: (number | null)[] } | null;
  /**
   * The cluster's max_executors at each time, aligned with `times` (null:
   * unknown, or a gap marker). Absent from older servers.
   */
  capacity?: (number | null)[] | null;
  /**
   * Per session id, [start, end) index ranges of `times` in which the session
   * was starving; never across a gap. Absent from older servers.
   */
  starving?: { [sessionId: string]: [number, number][] } | null;
}
