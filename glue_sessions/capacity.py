"""Cluster capacity in executors, as the cluster manager counts it.

Owns: how many executors fit on a Spark standalone master or a YARN cluster, how many are in
use, what the drivers (YARN application masters) take, and which executor size that counting
uses. Glue's worker-type table is in `analysis` and is only the fallback when no cluster
manager can be read. Never does I/O: the poller hands in what it read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import parse
from .model import ClusterObservation

SPARK_DEFAULT_EXECUTOR_MEMORY_MB = 1024  # spark.executor.memory when nobody set it
# Spark on YARN asks for executor memory + max(384 MiB, 10 %) per container, and YARN rounds a
# request up to a multiple of yarn.scheduler.minimum-allocation-mb (1024 unless configured).
YARN_MIN_OVERHEAD_MB = 384
YARN_DEFAULT_MIN_ALLOCATION_MB = 1024


def yarn_container_mb(executor_memory_mb: int) -> int:
    """The container YARN allocates for an executor of this heap, when it has not said."""
    asked = executor_memory_mb + max(YARN_MIN_OVERHEAD_MB, executor_memory_mb // 10)
    step = YARN_DEFAULT_MIN_ALLOCATION_MB
    return -(-asked // step) * step


def most_common(values: Iterable[int | None]) -> int | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def standalone_cluster(
    master: parse.MasterState, executor_cores: int, executor_memory_mb: int | None
) -> ClusterObservation:
    """A standalone master's capacity in executors of the size its apps use."""
    cores = max(1, executor_cores)
    memory = executor_memory_mb or most_common(a.memory_per_executor_mb for a in master.apps)
    memory = memory or SPARK_DEFAULT_EXECUTOR_MEMORY_MB
    return ClusterObservation(
        source="spark-master",
        max_executors=parse.executors_that_fit(master.worker_sizes, cores, memory),
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

    def learn(self, apps: list[parse.YarnApp]) -> None:
        live = {a.id for a in apps}
        for table in (self.masters, self.executors):
            for app_id in [k for k in table if k not in live]:
                del table[app_id]
        for a in apps:
            if a.containers == 1:
                self.masters[a.id] = Resources(a.vcores, a.memory_mb)
            if a.containers >= 1 and a.pending_containers and a.request_memory_mb:
                self.executors[a.id] = Resources(a.request_vcores or 1, a.request_memory_mb)

    def master(self, app: parse.YarnApp) -> Resources:
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


def yarn_executors(app: parse.YarnApp) -> int:
    """Executors YARN has granted an app: its containers but the application master."""
    return max(0, app.containers - 1)


def yarn_cluster(
    metrics: parse.YarnMetrics,
    apps: list[parse.YarnApp],
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
