"""The snapshot: the one definition of what GET /glue-sessions/api/snapshot answers.

Owns: the shape of the snapshot (these TypedDicts; the comment above a field, or after it, is
its description), its version, every enumeration in it (the statuses a session can have, most
urgent first, the kinds of error, the sources, the modes), and the fields added when a snapshot
is published (the server's actions, the polling rate, whether each session can be stopped here).
Never: decides a session's status or computes a number (analysis.py does), nor does I/O.

scripts/generate_types.py writes src/types.ts (the panel's wire types, with these descriptions,
a union type per enumeration and the plain fields normalize.ts reads) and the enums of
openapi.yaml from this module and history.py's `HistoryAnswer`; tests/test_snapshot_contract.py
fails when either differs (`jlpm build:types` rewrites them).

Every key listed here is in every snapshot analyze() returns, except those of the `total=False`
parts: `stale` (only on the last known sessions while Livy does not answer) and what
`publish()` adds (`actions`, `endpoint.polling`, `endpoint.polling_interval`).
"""

from __future__ import annotations

from typing import Literal, TypedDict, get_args

SNAPSHOT_VERSION = 1

# Status of a session as computed by the server's analysis, most urgent first (the panel sorts
# sessions in this order); when each holds is said above it in glue_sessions/snapshot.py, and
# in the README's "How it decides", which scripts/generate_types.py writes from there.
Status = Literal[
    # waiting without a break for `starvation_seconds` (default 30 s)
    "starving",
    # holds at least one whole executor above its fair share while some session is short
    "hogging",
    # holds executors with no task to run for `idle_hoarding_seconds` (cached data pins executors
    # forever)
    "idle-hoarding",
    # held is short of `min(fair, need)` by a whole executor (or holds none while due some), and the
    # free slots cannot cover the gap (otherwise it is only ramping up: executors take seconds to
    # start); a session that cannot start is waiting from the first poll, and one that the queue's
    # AM-resource limit keeps out whatever the free slots (`cannot_start`: `cluster-full` or
    # `am-limit`)
    "waiting",
    # created by a kernel of this server that no longer runs it (the kernel died or was restarted,
    # or the server restarted without it), and not short: nobody uses it, so it shows so even above
    # its fair share ([docs/cannot-start.md](docs/cannot-start.md))
    "orphaned",
    # Livy says the session is starting (`not_started`, `starting`, `recovering`) and it is not
    # short of executors
    "starting",
    # none of the others: it runs with the executors it needs
    "ok",
    # holds no executor and needs none
    "idle",
    # Livy says the session ended (`shutting_down`, `error`, `dead`, `killed`, `success`)
    "gone",
]
# Every status a session can have in a snapshot, most urgent first.
STATUSES: tuple[Status, ...] = get_args(Status)

# Why the endpoint (Livy) did not answer: what a failed request was (http.py's FetchError).
ErrorKind = Literal[
    "unreachable",
    "timeout",
    "auth",
    "not-found",
    "http",
    "malformed",
    "too-large",
    "forbidden-host",
]

# What a problem met while polling was reading.
ProblemSource = Literal["livy", "spark-ui", "spark-master", "yarn", "notebooks"]

# Where the cluster's capacity comes from: a cluster manager, or Glue's worker-type table.
ClusterSource = Literal["yarn", "spark-master", "worker-type"]

# The cluster manager the endpoint's Spark applications run on.
EndpointMode = Literal["yarn", "standalone"]

# The rate the server polled at for a snapshot: 'full' while watched (a panel or hint reads,
# or a live session of this server's notebooks), 'idle' otherwise.
Polling = Literal["full", "idle"]

# Why YARN gives a session's driver no container yet (its application ACCEPTED with no AM):
# the cluster has no room for it, or the queue's AM-resource limit keeps it out.
CannotStart = Literal["cluster-full", "am-limit"]


class Problem(TypedDict):
    """A problem met while polling (one peer not answering, a parse failure...), since when."""

    source: ProblemSource
    session: int | None
    message: str
    since: str | None


class _Endpoint(TypedDict):
    url: str  # Livy's URL, without credentials
    mode: EndpointMode
    reachable: bool
    error: str | None
    error_kind: ErrorKind | None
    down_since: str | None
    polled_at: str | None
    last_success_at: str | None
    # The first poll after the last gap (unobserved time). Session timers (status_since,
    # starvation since) restart there.
    observed_since: str | None
    poll_interval: float  # seconds between polls at the full rate
    starvation_seconds: float
    problems: list[Problem]


class Endpoint(_Endpoint, total=False):
    """The Livy endpoint as seen by the server."""

    # Added by publish(): the rate the server polled at for this snapshot.
    polling: Polling
    polling_interval: float  # seconds between polls at that rate


class Cluster(TypedDict):
    """The executor capacity of the endpoint."""

    source: ClusterSource
    worker_type: str | None
    workers: int | None
    max_executors: int
    executor_cores: int
    executor_memory_mb: int
    executors_in_use: int
    livy_executors: int  # executors held by the Livy sessions listed
    cores_in_use: int
    memory_in_use_mb: int
    drivers: int | None  # driver (YARN application master) containers on the cluster
    driver_cores: int | None  # cores all those drivers take
    driver_memory_mb: int | None  # memory all those drivers take
    total_cores: int | None  # the cluster's total cores (YARN metrics, standalone master)
    total_memory_mb: int | None  # the cluster's total memory
    note: str | None  # one sentence on where the capacity comes from when it is an estimate


class NotebookRef(TypedDict):
    """The notebook of this Jupyter server that drives a session."""

    path: str | None
    kernel_id: str
    # Its kernel no longer runs the session: it died or was restarted, or this server was
    # restarted without it. The session is this server's, and nobody uses it.
    orphaned: bool


class _Session(TypedDict):
    id: int
    name: str
    livy_name: str | None  # the name given at creation
    app_id: str | None
    state: str
    kind: str | None
    owner: str | None  # Livy's owner (authenticated user), else the owner label
    proxy_user: str | None
    notebook: NotebookRef | None
    # The server decided: one of this server's notebooks drives the session.
    mine: bool
    # The server decided: this server would stop it (DELETE) if asked (its actions allow it,
    # and it is mine); publish() sets it.
    can_stop: bool
    # The opt-in labels of the session's conf: who started it, from which notebook.
    owner_label: str | None
    notebook_label: str | None
    # Executors the cluster manager has granted (YARN containers, standalone cores / executor
    # cores), registered with the driver or not.
    executors: int
    registered_executors: int | None  # executors registered with the Spark driver
    starting_executors: int | None  # granted but not yet registered with the driver
    pending_containers: int | None  # YARN: executor containers asked for, not allocated yet
    executor_cores: int | None  # size of one executor of this session
    executor_memory_mb: int | None
    driver_cores: int | None  # the driver (YARN application master container)
    driver_memory_mb: int | None
    cores: int
    memory_mb: int
    share: float
    need: float
    fair_share: float
    max_executors: int | None
    running_tasks: int | None
    pending_tasks: int | None
    status: Status
    status_since: str | None
    # The starvation edges (sent only here, once): a starving session's holders...
    starved_by: list[int]
    # ...and the starving sessions a holder starves.
    starving: list[int]
    # Whom to name for a short session (waiting or starving): the sessions above their fair
    # share, most executors above it first. Empty for every other status.
    culprits: list[int]
    # Since when Livy has called it idle, as seen here (timers restart after a gap).
    idle_since: str | None
    # When Livy will end it if it stays idle, where Livy reports its ttl or idleTimeout.
    ends_at: str | None
    # YARN: why its driver cannot start (then `need` is that container, in executor slots,
    # and `driver_cores`/`driver_memory_mb` what it asks for).
    cannot_start: CannotStart | None
    diagnostics: str | None  # YARN's own words about its application (untrusted text)
    queue: str | None  # its YARN queue
    # The YARN applications outside Livy (their app ids) a short session waits on: above their
    # fair share, or, at the AM-resource limit, holding an AM container in its queue.
    outside_culprits: list[str]
    spark_ui_url: str | None
    driver_log_url: str | None
    error: str | None


class Session(_Session, total=False):
    """One live Livy session (one Spark application livy-session-N)."""

    # True when the endpoint did not answer and this is the last known state.
    stale: bool


class Starvation(TypedDict):
    """A starving session: by how much, since when (who starves it: its session's
    `starved_by`)."""

    session: int
    deficit_executors: float
    since: str | None


class Advice(TypedDict):
    """What to do about it."""

    session: int | None
    text: str
    reason: str
    configure: str | None


class OutsideLivyApp(TypedDict):
    """A YARN application holding containers that Livy does not list (a batch job, another
    user's work, a session Livy lost). Never stopped from here: `url` is YARN's page of it."""

    app_id: str
    name: str
    user: str | None
    queue: str | None
    application_type: str | None
    containers: int  # its AM included
    executors: int  # its containers but the AM, counted as a session's are
    cores: int
    memory_mb: int
    since: str | None  # when YARN started it
    url: str | None  # YARN's page of the application
    fair_share: float  # it takes part as needing what it holds
    starving: list[int]  # the starving sessions that wait on it


class Actions(TypedDict):
    """The actions a server allows (snapshot.actions)."""

    # DELETE /glue-sessions/api/sessions/{id} stops sessions of this server's own notebooks
    # (c.GlueSessions.allow_stop_sessions).
    stop_own_sessions: bool


class _Snapshot(TypedDict):
    version: int
    endpoint: Endpoint
    cluster: Cluster | None
    sessions: list[Session]
    starvation: list[Starvation]
    advice: list[Advice]
    # YARN applications holding containers that Livy does not list.
    outside_livy: list[OutsideLivyApp]


class Snapshot(_Snapshot, total=False):
    """GET /glue-sessions/api/snapshot"""

    # What this server lets its users do (added by publish(); absent on older servers:
    # nothing).
    actions: Actions


class EndpointRef(TypedDict):
    """One Livy endpoint this server polls, with a snapshot and a history of its own."""

    # What ?endpoint= takes on the snapshot, history and sessions APIs: the Livy URL without
    # credentials. The configured endpoint is also the one answered without ?endpoint=.
    id: str
    # The endpoint the server is configured with (livy_url, sparkmagic's config or the EMR
    # cluster); the others are Livy URLs that this server's kernels used (their records).
    configured: bool
    # When a kernel record last named it (ISO 8601); null for the configured endpoint until
    # one does. An endpoint no record has named for endpoint_quiet_seconds is dropped.
    last_used_at: str | None
    # Whether its last poll reached Livy; null before its first poll.
    reachable: bool | None
    # Sessions and starving sessions at its last poll.
    sessions: int
    starving: int


class EndpointsAnswer(TypedDict):
    """GET /glue-sessions/api/endpoints"""

    # The configured endpoint first, then the others by their Livy URL.
    endpoints: list[EndpointRef]
    # Most endpoints polled at once (c.GlueSessions.max_endpoints).
    max_endpoints: int
    # Livy URLs (without credentials) that kernels used but that are not polled: over
    # max_endpoints, the least recently used.
    not_polled: list[str]


def publish(
    snapshot: Snapshot, *, allow_stop_sessions: bool, polling: str, polling_interval: float
) -> Snapshot:
    """Complete an analyzed snapshot with what this server allows and how often it polls."""
    snapshot["actions"] = {"stop_own_sessions": allow_stop_sessions}
    for session in snapshot["sessions"]:
        session["can_stop"] = allow_stop_sessions and session["mine"]
    endpoint = snapshot["endpoint"]
    endpoint["polling"] = "full" if polling == "full" else "idle"
    endpoint["polling_interval"] = polling_interval
    return snapshot
