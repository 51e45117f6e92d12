"""The snapshot: the one definition of what GET /glue-sessions/api/snapshot answers.

Owns: the shape of the snapshot (these TypedDicts), its version, the statuses a session can
have, and the fields added when a snapshot is published (the server's actions, the polling
rate, whether each session can be stopped here).
Never: decides a session's status or computes a number (analysis.py does), nor does I/O.

`openapi.yaml` (schema `Snapshot`) and `src/types.ts` (`ISnapshot`) describe the same shape;
tests/test_snapshot_contract.py fails when either differs from these definitions.

Every key listed here is in every snapshot analyze() returns, except those of the `total=False`
parts: `stale` (only on the last known sessions while Livy does not answer) and what
`publish()` adds (`actions`, `endpoint.polling`, `endpoint.polling_interval`).
"""

from __future__ import annotations

from typing import Literal, TypedDict

SNAPSHOT_VERSION = 1

Status = Literal[
    "starting", "starving", "waiting", "idle-hoarding", "hogging", "idle", "ok", "gone"
]
# Every status a session can have in a snapshot (docs/: "Definitions").
STATUSES: tuple[Status, ...] = (
    "starting",
    "starving",
    "waiting",
    "idle-hoarding",
    "hogging",
    "idle",
    "ok",
    "gone",
)

# Why YARN gives a session's driver no container yet (its application ACCEPTED with no AM):
# the cluster has no room for it, or the queue's AM-resource limit keeps it out.
CannotStart = Literal["cluster-full", "am-limit"]


class Problem(TypedDict):
    """Something that went wrong while polling, since when."""

    source: str  # livy, spark-ui, spark-master, yarn, notebooks
    session: int | None
    message: str
    since: str | None


class _Endpoint(TypedDict):
    url: str
    mode: str  # yarn, standalone
    reachable: bool
    error: str | None
    error_kind: str | None
    down_since: str | None
    polled_at: str | None
    last_success_at: str | None
    observed_since: str | None
    poll_interval: float
    starvation_seconds: float
    problems: list[Problem]


class Endpoint(_Endpoint, total=False):
    # Added by publish(): the rate the server polled at for this snapshot.
    polling: Literal["full", "idle"]
    polling_interval: float


class Cluster(TypedDict):
    source: str  # yarn, spark-master, worker-type
    worker_type: str | None
    workers: int | None
    max_executors: int
    executor_cores: int
    executor_memory_mb: int
    executors_in_use: int
    livy_executors: int
    cores_in_use: int
    memory_in_use_mb: int
    drivers: int | None
    driver_cores: int | None
    driver_memory_mb: int | None
    total_cores: int | None
    total_memory_mb: int | None
    note: str | None


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
    livy_name: str | None
    app_id: str | None
    state: str
    kind: str | None
    owner: str | None
    proxy_user: str | None
    notebook: NotebookRef | None
    # Decided by the server for every client: one of this server's notebooks drives it.
    mine: bool
    # It can be stopped from this server (its actions allow it, and it is mine); publish() sets it.
    can_stop: bool
    owner_label: str | None
    notebook_label: str | None
    executors: int
    registered_executors: int | None
    starting_executors: int | None
    pending_containers: int | None
    executor_cores: int | None
    executor_memory_mb: int | None
    driver_cores: int | None
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
    # The starvation edges, sent once: a starving session's holders, and a holder's victims.
    starved_by: list[int]
    starving: list[int]
    # Whom the panel names for a short session (waiting or starving): the sessions above their
    # fair share, most executors above it first. Empty for every other session.
    culprits: list[int]
    # YARN: why its driver cannot start (then `need` is that container, in executor slots,
    # and `driver_cores`/`driver_memory_mb` what it asks for), and YARN's own words about it.
    # Since when Livy has called it idle, as seen here (timers restart after a gap), and when
    # Livy will end it if it stays so, where Livy reports its ttl or idleTimeout.
    idle_since: str | None
    ends_at: str | None
    cannot_start: CannotStart | None
    diagnostics: str | None
    queue: str | None
    # The YARN applications outside Livy (their app ids) a short session waits on: above their
    # fair share, or, at the AM-resource limit, holding an AM container in its queue.
    outside_culprits: list[str]
    spark_ui_url: str | None
    driver_log_url: str | None
    error: str | None


class Session(_Session, total=False):
    stale: bool  # the last known values while Livy does not answer


class Starvation(TypedDict):
    """A starving session: by how much, since when (its holders are the session's starved_by)."""

    session: int
    deficit_executors: float
    since: str | None


class Advice(TypedDict):
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
    url: str | None
    fair_share: float  # it takes part as needing what it holds
    starving: list[int]  # the starving sessions that wait on it


class Actions(TypedDict):
    stop_own_sessions: bool


class _Snapshot(TypedDict):
    version: int
    endpoint: Endpoint
    cluster: Cluster | None
    sessions: list[Session]
    starvation: list[Starvation]
    advice: list[Advice]
    outside_livy: list[OutsideLivyApp]


class Snapshot(_Snapshot, total=False):
    actions: Actions  # added by publish()


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
