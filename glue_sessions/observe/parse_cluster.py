"""Pure parsers of the cluster manager's answers: a Spark standalone master and YARN's RM.

Every peer is untrusted (see `parse`). Owns: the fields read from each answer and their types.
Never: does I/O, sizes the cluster (`capacity`), or decides anything about a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .coerce import as_dict, as_http_url, as_int, as_str


@dataclass
class MasterApp:
    id: str
    name: str
    state: str
    cores: int
    memory_per_executor_mb: int | None
    start_time: int


@dataclass
class MasterState:
    alive_workers: int
    cores: int
    cores_used: int
    memory_mb: int
    memory_used_mb: int
    # (cores, memory MB) of each alive worker, to count how many executors fit.
    worker_sizes: list[tuple[int, int]]
    apps: list[MasterApp]

    def app_for_session(self, app_name: str) -> MasterApp | None:
        """The live app of a Livy session; after a Livy restart the newest one wins."""
        candidates = [a for a in self.apps if a.name == app_name]
        return max(candidates, key=lambda a: a.start_time) if candidates else None


def spark_master(body: Any) -> MasterState:
    """GET {master web UI}/json/ of a Spark standalone master."""
    if not isinstance(body, dict):
        raise ValueError("Spark master /json/ answer is not an object")
    sizes = []
    for raw in body.get("workers") or []:
        if isinstance(raw, dict) and (as_str(raw.get("state")) or "").upper() == "ALIVE":
            sizes.append((as_int(raw.get("cores"), 0) or 0, as_int(raw.get("memory"), 0) or 0))
    apps = []
    for raw in body.get("activeapps") or []:
        app_id = as_str(raw.get("id")) if isinstance(raw, dict) else None
        if not app_id:
            continue
        apps.append(
            MasterApp(
                id=app_id,
                name=as_str(raw.get("name")) or "",
                state=(as_str(raw.get("state")) or "").upper(),
                cores=as_int(raw.get("cores"), 0) or 0,
                memory_per_executor_mb=as_int(
                    raw.get("memoryperexecutor", raw.get("memoryperslave"))
                ),
                start_time=as_int(raw.get("starttime"), 0) or 0,
            )
        )
    return MasterState(
        alive_workers=len(sizes),
        cores=as_int(body.get("cores"), 0) or 0,
        cores_used=as_int(body.get("coresused"), 0) or 0,
        memory_mb=as_int(body.get("memory"), 0) or 0,
        memory_used_mb=as_int(body.get("memoryused"), 0) or 0,
        worker_sizes=sizes,
        apps=apps,
    )


@dataclass
class YarnMetrics:
    total_vcores: int
    total_mb: int
    allocated_vcores: int
    allocated_mb: int
    active_nodes: int
    reserved_vcores: int = 0
    reserved_mb: int = 0


def yarn_cluster_metrics(body: Any) -> YarnMetrics:
    """GET {rm}/ws/v1/cluster/metrics."""
    metrics = body.get("clusterMetrics") if isinstance(body, dict) else None
    if not isinstance(metrics, dict):
        raise ValueError("YARN metrics answer has no 'clusterMetrics'")
    return YarnMetrics(
        total_vcores=as_int(metrics.get("totalVirtualCores"), 0) or 0,
        total_mb=as_int(metrics.get("totalMB"), 0) or 0,
        allocated_vcores=as_int(metrics.get("allocatedVirtualCores"), 0) or 0,
        allocated_mb=as_int(metrics.get("allocatedMB"), 0) or 0,
        active_nodes=as_int(metrics.get("activeNodes"), 0) or 0,
        reserved_vcores=as_int(metrics.get("reservedVirtualCores"), 0) or 0,
        reserved_mb=as_int(metrics.get("reservedMB"), 0) or 0,
    )


@dataclass
class YarnApp:
    """One YARN application as the ResourceManager accounts for it."""

    id: str
    name: str
    state: str
    containers: int  # running containers, the application master included
    vcores: int
    memory_mb: int
    # Containers asked for and not yet allocated (the "*" requests: the others repeat them
    # per node or rack), and the size of one of them as the scheduler will allocate it.
    pending_containers: int
    request_vcores: int | None
    request_memory_mb: int | None
    # YARN has allocated the application master's container (its logs have an address).
    am_allocated: bool = True
    diagnostics: str | None = None  # YARN's own words on the app (untrusted text, capped)
    queue: str | None = None
    user: str | None = None
    application_type: str | None = None
    started_ms: int | None = None  # epoch milliseconds, as YARN writes it
    tracking_url: str | None = None

    @property
    def waiting_for_am(self) -> bool:
        """ACCEPTED with no AM container: the driver (cluster mode) has not even started.
        An app whose AM container is allocated and registering is ACCEPTED too, only starting."""
        return self.state == "ACCEPTED" and self.containers == 0 and not self.am_allocated


# YARN repeats the whole scheduler state in an app's diagnostics: more is noise, and untrusted.
MAX_DIAGNOSTICS_CHARS = 1000


def yarn_am_limit_reached(diagnostics: str | None) -> bool:
    """Whether YARN's diagnostics say the queue's (or the user's) AM-resource limit keeps an
    application from being activated (CapacityScheduler: "Queue's AM resource limit exceeded",
    "User's AM resource limit exceeded"); otherwise an ACCEPTED app without its AM waits for
    room in the cluster."""
    return "am resource limit exceeded" in (diagnostics or "").lower()


def yarn_apps(body: Any) -> list[YarnApp]:
    """GET {rm}/ws/v1/cluster/apps?states=...: {"apps": {"app": [...]}}, or {"apps": null}."""
    if not isinstance(body, dict) or "apps" not in body:
        raise ValueError("YARN apps answer has no 'apps'")
    raw_apps = as_dict(body.get("apps")).get("app") or []
    if not isinstance(raw_apps, list):
        raise ValueError("YARN apps answer: 'app' is not a list")
    apps = []
    for raw in raw_apps:
        app_id = as_str(raw.get("id")) if isinstance(raw, dict) else None
        if not app_id:
            continue
        pending = 0
        request_vcores = request_memory = None
        requests = raw.get("resourceRequests")
        for request in requests if isinstance(requests, list) else []:
            if not isinstance(request, dict) or request.get("resourceName") != "*":
                continue
            pending += max(0, as_int(request.get("numContainers"), 0) or 0)
            capability = as_dict(request.get("capability"))
            request_vcores = as_int(capability.get("vCores"), request_vcores)
            request_memory = as_int(capability.get("memory"), request_memory)
        apps.append(
            YarnApp(
                id=app_id,
                name=as_str(raw.get("name")) or "",
                state=(as_str(raw.get("state")) or "").upper(),
                containers=max(0, as_int(raw.get("runningContainers"), 0) or 0),
                vcores=max(0, as_int(raw.get("allocatedVCores"), 0) or 0),
                memory_mb=max(0, as_int(raw.get("allocatedMB"), 0) or 0),
                pending_containers=pending,
                request_vcores=request_vcores,
                request_memory_mb=request_memory,
                am_allocated=bool(as_str(raw.get("amContainerLogs"))),
                diagnostics=(as_str(raw.get("diagnostics")) or "").strip()[:MAX_DIAGNOSTICS_CHARS]
                or None,
                queue=as_str(raw.get("queue")),
                user=as_str(raw.get("user")),
                application_type=as_str(raw.get("applicationType")),
                started_ms=as_int(raw.get("startedTime")),
                tracking_url=as_http_url(raw.get("trackingUrl")),
            )
        )
    return apps
