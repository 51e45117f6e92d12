"""Cluster capacity in executors, and what the cluster manager granted each session.

Owns: how many executors fit on a Spark standalone master or a YARN cluster, how many are in
use, what the drivers (YARN application masters) take, which executor size that counting uses,
Glue's worker-type table (the estimate when no cluster manager can be read, and the worker
types the options accept), and each session's executors, cores and memory as the master or
YARN granted them. Never does I/O (the poller hands in what it read) and never judges whether
a session gets its share (`analysis` does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from . import parse_cluster
from .model import ClusterObservation, OutsideApp, SessionObservation

SPARK_DEFAULT_EXECUTOR_MEMORY_MB = 1024  # spark.executor.memory when nobody set it
# Spark on YARN asks for executor memory + max(384 MiB, 10 %) per container, and YARN rounds a
# request up to a multiple of yarn.scheduler.minimum-allocation-mb (1024 unless configured).
YARN_MIN_OVERHEAD_MB = 384
YARN_DEFAULT_MIN_ALLOCATION_MB = 1024

# Glue's capacity model (AWS Glue documentation, DevEndpoint WorkerType and NumberOfWorkers; the
# formulas are in README.md, "How it decides"): worker type -> executor memory (MB), executor
# cores; max executors are a function of the number of workers (DPU for Standard).
WORKER_TYPES: dict[str, tuple[int, int]] = {
    "Standard": (5 * 1024, 4),
    "G.1X": (10 * 1024, 8),
    "G.2X": (20 * 1024, 16),
}


class Settings(Protocol):
    """What the configuration says of the cluster (`config.PollerConfig`); None: not set."""

    worker_type: str | None
    number_of_workers: int | None
    executor_cores: int | None
    executor_memory_mb: int | None


@dataclass
class ClusterRead:
    """What the cluster manager answered in a cycle, before it is sized in executors."""

    master: parse_cluster.MasterState | None = None
    yarn_metrics: parse_cluster.YarnMetrics | None = None
    yarn_apps: dict[str, parse_cluster.YarnApp] = field(default_factory=dict)


def glue_max_executors(worker_type: str, workers: int) -> int:
    """Max Spark executors of a Glue dev endpoint, from the AWS documentation's table."""
    if worker_type not in WORKER_TYPES:
        raise ValueError(
            f"unknown worker type {worker_type!r}; expected one of {list(WORKER_TYPES)}"
        )
    if worker_type == "Standard":
        return max(0, (workers - 1) * 2 - 1)
    return max(0, workers - 1)


def worker_type_cluster(worker_type: str, workers: int) -> ClusterObservation:
    memory_mb, cores = WORKER_TYPES[worker_type]
    return ClusterObservation(
        source="worker-type",
        worker_type=worker_type,
        workers=workers,
        max_executors=glue_max_executors(worker_type, workers),
        executor_cores=cores,
        executor_memory_mb=memory_mb,
    )


def model_cluster(settings: Settings, why: str) -> ClusterObservation:
    """Glue's worker-type table: the estimate used when no cluster manager can be read."""
    c = settings
    if c.worker_type and c.number_of_workers:
        cluster = worker_type_cluster(c.worker_type, c.number_of_workers)
        table = f"Glue's worker-type table ({c.worker_type} x {c.number_of_workers})"
    else:
        cluster = ClusterObservation(
            source="worker-type", max_executors=0, executor_cores=1, executor_memory_mb=1024
        )
        table = "nothing: set worker_type and number_of_workers, or yarn_url"
    cluster.note = f"Capacity from {table}: {why}."
    if c.executor_cores:
        cluster.executor_cores = c.executor_cores
    if c.executor_memory_mb:
        cluster.executor_memory_mb = c.executor_memory_mb
    return cluster


def executors_that_fit(worker_sizes: list[tuple[int, int]], cores: int, memory_mb: int) -> int:
    """How many executors of the given size the alive workers can host."""
    cores = max(1, cores)
    memory_mb = max(1, memory_mb)
    return sum(min(c // cores, m // memory_mb) for c, m in worker_sizes)


def yarn_container_mb(executor_memory_mb: int) -> int:
    """The container YARN allocates for an executor of this heap, when it has not said."""
    asked = executor_memory_mb + max(YARN_MIN_OVERHEAD_MB, executor_memory_mb // 10)
    step = YARN_DEFAULT_MIN_ALLOCATION_MB
    return -(-asked // step) * step


def most_common(values: Iterable[int | None]) -> int | None:
    """The most frequent non-zero value, the first seen of those tied (Counter's choice);
    a plain dict, as Counter costs a poll cycle more than the counting does."""
    counts: dict[int, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def standalone_cluster(
    master: parse_cluster.MasterState, executor_cores: int, executor_memory_mb: int | None
) -> ClusterObservation:
    """A standalone master's capacity in executors of the size its apps use."""
    cores = max(1, executor_cores)
    memory = executor_memory_mb or most_common(a.memory_per_executor_mb for a in master.apps)
    memory = memory or SPARK_DEFAULT_EXECUTOR_MEMORY_MB
    return ClusterObservation(
        source="spark-master",
        max_executors=executors_that_fit(master.worker_sizes, cores, memory),
        executor_cores=cores,
        executor_memory_mb=memory,
        workers=master.alive_workers,
        # Granted cores, executors still starting included: they are not free.
        executors_in_use=sum(a.cores // cores for a in master.apps),
        total_cores=master.cores,
        total_memory_mb=master.memory_mb,
    )


@dataclass
class Resources:
    vcores: int
    memory_mb: int


@dataclass
class YarnSizes:
    """Container sizes YARN does not list per container, learned from what it lists per app.

    An app's first container is its application master (in cluster mode, the driver): what
    the app holds while it has one container is the AM's size. What it asks for while it has
    an AM is executors, and YARN shows that ask as the scheduler will allocate it.
    """

    masters: dict[str, Resources] = field(default_factory=dict)
    executors: dict[str, Resources] = field(default_factory=dict)

    def learn(self, apps: list[parse_cluster.YarnApp]) -> None:
        live = {a.id for a in apps}
        for table in (self.masters, self.executors):
            for app_id in [k for k in table if k not in live]:
                del table[app_id]
        for a in apps:
            if a.containers == 1:
                self.masters[a.id] = Resources(a.vcores, a.memory_mb)
            if a.containers >= 1 and a.pending_containers and a.request_memory_mb:
                self.executors[a.id] = Resources(a.request_vcores or 1, a.request_memory_mb)

    def master(self, app: parse_cluster.YarnApp) -> Resources:
        """What the app's AM (driver) holds."""
        if app.containers == 0:
            return Resources(0, 0)
        if app.id in self.masters:
            return self.masters[app.id]
        executor = self.executors.get(app.id)
        others = app.containers - 1
        if executor is not None:
            return Resources(
                max(0, app.vcores - others * executor.vcores),
                max(0, app.memory_mb - others * executor.memory_mb),
            )
        # Never seen alone nor asking: take its containers to be of one size.
        return Resources(app.vcores // app.containers, app.memory_mb // app.containers)


def yarn_executors(app: parse_cluster.YarnApp) -> int:
    """Executors YARN has granted an app: its containers but the application master."""
    return max(0, app.containers - 1)


def yarn_cluster(
    metrics: parse_cluster.YarnMetrics,
    apps: list[parse_cluster.YarnApp],
    sizes: YarnSizes,
    executor_cores: int,
    executor_memory_mb: int,
) -> ClusterObservation:
    """YARN's capacity in executors: those running now plus those that fit in what is free.

    Drivers (application masters) hold containers too; what they take is never capacity for
    executors. With a memory-only resource calculator YARN hands out more vcores than it has:
    then only memory counts, as YARN itself does.
    """
    running = [a for a in apps if a.containers > 0]
    container = Resources(
        most_common(r.vcores for r in sizes.executors.values()) or max(1, executor_cores),
        most_common(r.memory_mb for r in sizes.executors.values())
        or yarn_container_mb(executor_memory_mb),
    )
    free_mb = metrics.total_mb - metrics.allocated_mb - metrics.reserved_mb
    fits = free_mb // container.memory_mb
    if metrics.allocated_vcores <= metrics.total_vcores:
        free_vcores = metrics.total_vcores - metrics.allocated_vcores - metrics.reserved_vcores
        fits = min(fits, free_vcores // container.vcores)
    in_use = sum(yarn_executors(a) for a in running)
    masters = [sizes.master(a) for a in running]
    return ClusterObservation(
        source="yarn",
        max_executors=in_use + max(0, fits),
        executor_cores=max(1, executor_cores),
        executor_memory_mb=executor_memory_mb,
        workers=metrics.active_nodes,
        executors_in_use=in_use,
        drivers=len(running),
        driver_cores=sum(m.vcores for m in masters),
        driver_memory_mb=sum(m.memory_mb for m in masters),
        total_cores=metrics.total_vcores,
        total_memory_mb=metrics.total_mb,
    )


def size_cluster(
    read: ClusterRead,
    sessions: list[SessionObservation],
    settings: Settings,
    yarn_sizes: YarnSizes,
    unread: str,
) -> ClusterObservation:
    """Capacity in executors of the size the sessions use (the settings win); `unread`: why
    no cluster manager answered, for the note of the worker-type estimate."""
    cores = settings.executor_cores or most_common(s.executor_cores for s in sessions) or 1
    memory = settings.executor_memory_mb or most_common(s.executor_memory_mb for s in sessions)
    if read.master is not None:
        return standalone_cluster(read.master, cores, memory)
    if read.yarn_metrics is not None:
        return yarn_cluster(
            read.yarn_metrics,
            list(read.yarn_apps.values()),
            yarn_sizes,
            cores,
            memory or SPARK_DEFAULT_EXECUTOR_MEMORY_MB,
        )
    return model_cluster(settings, unread)


def apply_grants(
    sessions: list[SessionObservation],
    read: ClusterRead,
    executor_cores: int | None,
    yarn_sizes: YarnSizes,
) -> None:
    """Each session's executors, cores and memory as the cluster manager granted them."""
    for s in sessions:
        if read.master is not None:
            _granted_by_master(s, read.master.app_for_session(s.app_name), executor_cores)
        elif s.app_id in read.yarn_apps:
            _granted_by_yarn(s, read.yarn_apps[s.app_id], yarn_sizes)


def _granted_by_master(
    s: SessionObservation, app: parse_cluster.MasterApp | None, executor_cores: int | None
) -> None:
    """A standalone master grants cores at once; executors register one by one after."""
    if app is None:
        return
    s.executor_memory_mb = s.executor_memory_mb or app.memory_per_executor_mb
    per_executor = s.executor_cores or executor_cores
    if not per_executor:
        return  # cores granted, but not in executors of a known size: the driver's count
    s.executors = app.cores // per_executor
    s.cores = app.cores
    s.memory_mb = s.executors * (s.executor_memory_mb or 0)


def _granted_by_yarn(
    s: SessionObservation, app: parse_cluster.YarnApp, yarn_sizes: YarnSizes
) -> None:
    """YARN's containers: the first is the application master (the driver in cluster mode)."""
    s.diagnostics, s.queue = app.diagnostics, app.queue
    if app.waiting_for_am:
        # Before the AM runs, what the app asks for is the AM itself.
        s.executors, s.cores, s.memory_mb, s.pending_containers = 0, 0, 0, 0
        s.driver_waiting = True
        s.driver_cores, s.driver_memory_mb = app.request_vcores, app.request_memory_mb
        s.driver_slots = _in_executor_containers(app, yarn_sizes)
        s.am_limit_reached = parse_cluster.yarn_am_limit_reached(app.diagnostics)
        return
    master = yarn_sizes.master(app)
    s.executors = yarn_executors(app)
    s.cores = max(0, app.vcores - master.vcores)
    s.memory_mb = max(0, app.memory_mb - master.memory_mb)
    s.driver_cores, s.driver_memory_mb = master.vcores, master.memory_mb
    s.pending_containers = app.pending_containers if app.containers else 0


def _in_executor_containers(app: parse_cluster.YarnApp, yarn_sizes: YarnSizes) -> int:
    """How many executor containers the room for this app's AM would hold (at least one)."""
    executor = Resources(
        most_common(r.vcores for r in yarn_sizes.executors.values()) or 1,
        most_common(r.memory_mb for r in yarn_sizes.executors.values()) or 0,
    )
    slots = -(-(app.request_vcores or 1) // executor.vcores)
    if executor.memory_mb and app.request_memory_mb:
        slots = max(slots, -(-app.request_memory_mb // executor.memory_mb))
    return max(1, slots)


def outside_livy(
    read: ClusterRead, sessions: list[SessionObservation], yarn_url: str | None
) -> list[OutsideApp]:
    """The YARN applications holding containers that are none of Livy's sessions (by app id,
    or by name while Livy has not reported a starting session's app id yet: another Livy on
    the same YARN names its sessions' applications alike)."""
    ids = {s.app_id for s in sessions if s.app_id}
    names = {s.app_name for s in sessions if not s.app_id}
    rm = (yarn_url or "").rstrip("/")
    return [
        OutsideApp(
            yarn=app,
            executors=yarn_executors(app),
            url=f"{rm}/cluster/app/{app.id}" if rm else app.tracking_url,
        )
        for app in read.yarn_apps.values()
        if app.containers > 0 and app.id not in ids and app.name not in names
    ]
