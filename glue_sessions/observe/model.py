"""Observations: what one poll cycle saw, before any judgement.

The poller fills these from Livy, Spark and the cluster manager; `analysis` turns them into a
snapshot without doing any I/O, so recorded responses can drive it in tests and benchmarks.

Owns: the observation dataclasses and the Livy states that say whether a session is starting,
live or gone. Never: computes anything from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..client.http import FetchError
from ..kernel.labels import Labels
from ..snapshot import ClusterSource, EndpointMode, ProblemSource
from .parse_cluster import YarnApp

# Livy session states (Livy 0.9 SessionState): where a Spark app may hold executors.
STARTING_STATES = frozenset({"not_started", "starting", "recovering"})
LIVE_STATES = frozenset({"idle", "running", "busy"})
GONE_STATES = frozenset({"shutting_down", "error", "dead", "killed", "success"})


@dataclass
class SessionObservation:
    """One Livy session and, when it could be read, its Spark application."""

    id: int
    state: str
    app_name: str  # the Spark app name, livy-session-N
    livy_name: str | None = None  # the optional name given at creation
    app_id: str | None = None
    kind: str | None = None
    owner: str | None = None
    proxy_user: str | None = None
    spark_ui_url: str | None = None
    driver_log_url: str | None = None
    labels: Labels = field(default_factory=Labels)  # from its conf: untrusted text
    # Executors the cluster manager granted (YARN containers but the AM, standalone cores /
    # executor cores), some maybe still starting; what the driver reports when no cluster
    # manager can tell. None when unknown.
    executors: int | None = None
    cores: int | None = None
    memory_mb: int | None = None
    registered_executors: int | None = None  # from Spark: registered with the driver
    pending_containers: int | None = None  # YARN: executor containers asked, not allocated
    executor_cores: int | None = None  # the size of its executors, as Spark or YARN tell
    executor_memory_mb: int | None = None
    driver_cores: int | None = None  # YARN: what its application master (driver) holds
    driver_memory_mb: int | None = None
    running_tasks: int | None = None
    pending_tasks: int | None = None
    tasks_per_executor: int | None = None
    max_executors: int | None = None  # spark.dynamicAllocation.maxExecutors, when known
    error: str | None = None  # why the Spark side of this session could not be read
    ttl_seconds: float | None = None  # Livy ends it after this long without activity
    idle_timeout_seconds: float | None = None  # Livy ends it after this long idle
    # YARN: its application is ACCEPTED with no AM container, so its driver (cluster mode; the
    # AM that asks for executors in client mode) cannot start. `driver_cores`/`driver_memory_mb`
    # are then what the AM asks for, and `driver_slots` that ask in executor containers.
    driver_waiting: bool = False
    driver_slots: int = 0
    am_limit_reached: bool = False  # YARN says the queue's AM-resource limit holds it back
    diagnostics: str | None = None  # YARN's own words about its application (untrusted)
    queue: str | None = None

    @property
    def key(self) -> str:
        """Identity across polls; a Livy restart that reuses ids gets a new app, so a new key."""
        return f"{self.id}:{self.app_id or self.app_name}"


@dataclass
class OutsideApp:
    """A YARN application that holds containers and is no session Livy lists: a batch job,
    another user's work on a shared cluster, or a session Livy lost (Livy crashed). Its name,
    user and queue are untrusted text."""

    yarn: YarnApp  # as the ResourceManager reported it
    executors: int  # its containers but the AM, as a session's are counted
    url: str | None  # YARN's page of the application

    @property
    def app_id(self) -> str:
        return self.yarn.id

    @property
    def key(self) -> str:
        return f"yarn:{self.app_id}"


@dataclass
class ClusterObservation:
    source: ClusterSource
    max_executors: int
    executor_cores: int
    executor_memory_mb: int
    worker_type: str | None = None
    workers: int | None = None
    # Executors that the cluster manager says are in use (all apps, not only Livy's).
    executors_in_use: int | None = None
    drivers: int | None = None  # YARN application masters: they hold capacity too
    driver_cores: int | None = None
    driver_memory_mb: int | None = None
    total_cores: int | None = None
    total_memory_mb: int | None = None
    note: str | None = None  # why this capacity is an estimate, when it is one


@dataclass
class Problem:
    """Something that went wrong while polling; the snapshot reports it with its start time."""

    source: ProblemSource
    message: str
    session: int | None = None


@dataclass
class Observation:
    polled_at: float  # epoch seconds
    livy_url: str
    mode: EndpointMode
    # Why Livy did not answer (None: it did); then nothing but the cluster manager is read.
    livy_failure: FetchError | None = None
    cluster: ClusterObservation | None = None
    sessions: list[SessionObservation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outside: list[OutsideApp] = field(default_factory=list)  # YARN apps Livy does not list
    # (livy session id) -> {"path": ..., "kernel_id": ...} for this server's own notebooks
    notebooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Time went by unobserved since the previous observation Livy answered (the poller
    # slowed down while nobody watched, or Livy was down): every timer restarts here.
    after_gap: bool = False

    @property
    def reachable(self) -> bool:
        return self.livy_failure is None
