"""Pure parsers for Livy, Spark REST, Spark standalone master and YARN RM responses.

Every peer is untrusted: fields may be missing, null, of the wrong type, or unknown. Each parser
takes what it can and raises `ValueError` only when the shape is unusable as a whole.

Owns: the fields read from each answer and their types. Never: does I/O, sizes the cluster
(`capacity`), or decides anything about a session.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .labels import Labels, labels_from_conf

APP_NAME_PREFIX = "livy-session-"


def _int(value: Any, default: int | None = None) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return default
    return default


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _dict(value: Any) -> dict[str, Any]:
    """A peer's object, or an empty one when it sent anything else."""
    return value if isinstance(value, dict) else {}


def _http_url(value: Any) -> str | None:
    """Only http(s) URLs are passed on; anything else from a peer is dropped."""
    text = _str(value)
    if text and text.lower().startswith(("http://", "https://")):
        return text
    return None


@dataclass
class LivySession:
    id: int
    state: str
    livy_name: str | None
    app_id: str | None
    kind: str | None
    owner: str | None
    proxy_user: str | None
    spark_ui_url: str | None
    driver_log_url: str | None
    max_executors: int | None
    labels: Labels = field(default_factory=Labels)
    # Livy's own timeouts of the session, where it reports them (Livy 0.8 ttl, 0.9 idleTimeout).
    ttl_seconds: float | None = None
    idle_timeout_seconds: float | None = None

    @property
    def app_name(self) -> str:
        """Livy names the Spark app after the session's name if it was given one."""
        return self.livy_name or f"{APP_NAME_PREFIX}{self.id}"


def livy_sessions(body: Any) -> tuple[list[LivySession], int]:
    """GET /sessions -> (sessions, total). Livy pages with from/size; total tells if more exist."""
    if not isinstance(body, dict) or not isinstance(body.get("sessions"), list):
        raise ValueError("Livy /sessions answer has no 'sessions' list")
    sessions = []
    for raw in body["sessions"]:
        if not isinstance(raw, dict):
            continue
        session_id = _int(raw.get("id"))
        if session_id is None or session_id < 0:
            continue
        app_info = _dict(raw.get("appInfo"))
        conf = _dict(raw.get("conf"))
        sessions.append(
            LivySession(
                id=session_id,
                state=(_str(raw.get("state")) or "unknown").lower(),
                livy_name=_str(raw.get("name")),
                app_id=_str(raw.get("appId")),
                kind=_str(raw.get("kind")),
                owner=_str(raw.get("owner")),
                proxy_user=_str(raw.get("proxyUser")),
                spark_ui_url=_http_url(app_info.get("sparkUiUrl")),
                driver_log_url=_http_url(app_info.get("driverLogUrl")),
                max_executors=_int(conf.get("spark.dynamicAllocation.maxExecutors")),
                labels=labels_from_conf(conf),
                ttl_seconds=livy_duration_seconds(raw.get("ttl")),
                idle_timeout_seconds=livy_duration_seconds(raw.get("idleTimeout")),
            )
        )
    total = _int(body.get("total"), len(sessions))
    return sessions, total if total is not None else len(sessions)


# Livy's time strings (its ClientConf time units); a bare number is in milliseconds.
DURATION_UNITS_SECONDS = {
    "us": 1e-6,
    "ms": 1e-3,
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86400,
}
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.ASCII)


def livy_duration_seconds(value: Any) -> float | None:
    """ "10m", "1h", "600s", "30000" (ms) in seconds; None for anything else or not positive."""
    match = DURATION.match((_str(value) or "").lower())
    unit = (match.group(2) or "ms") if match else None
    if match is None or unit not in DURATION_UNITS_SECONDS:
        return None
    seconds = float(match.group(1)) * DURATION_UNITS_SECONDS[unit]
    return seconds if seconds > 0 else None


@dataclass
class ExecutorUsage:
    executors: int
    cores: int
    tasks_per_executor: int | None
    # Sum of the executors' activeTasks: over-counts under load (see spark_stage_tasks), so it
    # only says whether anything runs at all, never how much.
    active_tasks: int = 0


def spark_executors(body: Any) -> ExecutorUsage:
    """GET .../applications/{app}/executors (active executors only; the driver is excluded)."""
    if not isinstance(body, list):
        raise ValueError("Spark executors answer is not a list")
    executors = cores = active = 0
    per_executor: int | None = None
    for raw in body:
        if not isinstance(raw, dict) or raw.get("id") == "driver":
            continue
        if raw.get("isActive") is False:
            continue
        executors += 1
        executor_cores = _int(raw.get("totalCores"), 0) or 0
        cores += executor_cores
        active += max(0, _int(raw.get("activeTasks"), 0) or 0)
        max_tasks = _int(raw.get("maxTasks"))
        if per_executor is None and max_tasks:
            per_executor = max_tasks
        elif per_executor is None and executor_cores:
            per_executor = executor_cores
    return ExecutorUsage(executors, cores, per_executor, active)


@dataclass
class StageTasks:
    running: int
    pending: int


def spark_stage_tasks(body: Any) -> StageTasks:
    """GET .../stages?status=active: tasks running, and submitted but not yet running.

    Spark's REST API has no pending count; it is numTasks - active - complete - failed - killed
    over the active stages (failed attempts are retried, so it is clamped at zero). Running tasks
    are taken from the stages too: executors' activeTasks over-count under load (seen on Spark
    3.5.6: 2 per one-core executor while the stage said 6 on 6 executors).
    """
    if not isinstance(body, list):
        raise ValueError("Spark stages answer is not a list")
    running = pending = 0
    for raw in body:
        if not isinstance(raw, dict):
            continue
        if (_str(raw.get("status")) or "ACTIVE").upper() != "ACTIVE":
            continue
        total = _int(raw.get("numTasks"), 0) or 0
        active = max(0, _int(raw.get("numActiveTasks"), 0) or 0)
        done = sum(
            _int(raw.get(field), 0) or 0
            for field in ("numCompleteTasks", "numFailedTasks", "numKilledTasks")
        )
        running += active
        pending += max(0, total - active - done)
    return StageTasks(running, pending)


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
        if isinstance(raw, dict) and (_str(raw.get("state")) or "").upper() == "ALIVE":
            sizes.append((_int(raw.get("cores"), 0) or 0, _int(raw.get("memory"), 0) or 0))
    apps = []
    for raw in body.get("activeapps") or []:
        app_id = _str(raw.get("id")) if isinstance(raw, dict) else None
        if not app_id:
            continue
        apps.append(
            MasterApp(
                id=app_id,
                name=_str(raw.get("name")) or "",
                state=(_str(raw.get("state")) or "").upper(),
                cores=_int(raw.get("cores"), 0) or 0,
                memory_per_executor_mb=_int(
                    raw.get("memoryperexecutor", raw.get("memoryperslave"))
                ),
                start_time=_int(raw.get("starttime"), 0) or 0,
            )
        )
    return MasterState(
        alive_workers=len(sizes),
        cores=_int(body.get("cores"), 0) or 0,
        cores_used=_int(body.get("coresused"), 0) or 0,
        memory_mb=_int(body.get("memory"), 0) or 0,
        memory_used_mb=_int(body.get("memoryused"), 0) or 0,
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
        total_vcores=_int(metrics.get("totalVirtualCores"), 0) or 0,
        total_mb=_int(metrics.get("totalMB"), 0) or 0,
        allocated_vcores=_int(metrics.get("allocatedVirtualCores"), 0) or 0,
        allocated_mb=_int(metrics.get("allocatedMB"), 0) or 0,
        active_nodes=_int(metrics.get("activeNodes"), 0) or 0,
        reserved_vcores=_int(metrics.get("reservedVirtualCores"), 0) or 0,
        reserved_mb=_int(metrics.get("reservedMB"), 0) or 0,
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
    raw_apps = _dict(body.get("apps")).get("app") or []
    if not isinstance(raw_apps, list):
        raise ValueError("YARN apps answer: 'app' is not a list")
    apps = []
    for raw in raw_apps:
        app_id = _str(raw.get("id")) if isinstance(raw, dict) else None
        if not app_id:
            continue
        pending = 0
        request_vcores = request_memory = None
        requests = raw.get("resourceRequests")
        for request in requests if isinstance(requests, list) else []:
            if not isinstance(request, dict) or request.get("resourceName") != "*":
                continue
            pending += max(0, _int(request.get("numContainers"), 0) or 0)
            capability = _dict(request.get("capability"))
            request_vcores = _int(capability.get("vCores"), request_vcores)
            request_memory = _int(capability.get("memory"), request_memory)
        apps.append(
            YarnApp(
                id=app_id,
                name=_str(raw.get("name")) or "",
                state=(_str(raw.get("state")) or "").upper(),
                containers=max(0, _int(raw.get("runningContainers"), 0) or 0),
                vcores=max(0, _int(raw.get("allocatedVCores"), 0) or 0),
                memory_mb=max(0, _int(raw.get("allocatedMB"), 0) or 0),
                pending_containers=pending,
                request_vcores=request_vcores,
                request_memory_mb=request_memory,
                am_allocated=bool(_str(raw.get("amContainerLogs"))),
                diagnostics=(_str(raw.get("diagnostics")) or "").strip()[:MAX_DIAGNOSTICS_CHARS]
                or None,
                queue=_str(raw.get("queue")),
                user=_str(raw.get("user")),
                application_type=_str(raw.get("applicationType")),
                started_ms=_int(raw.get("startedTime")),
                tracking_url=_http_url(raw.get("trackingUrl")),
            )
        )
    return apps


@dataclass
class SparkConf:
    """What a Spark application was started with (its environment, read once per app)."""

    executor_cores: int | None
    executor_memory_mb: int | None
    max_executors: int | None
    labels: Labels = field(default_factory=Labels)


MEMORY_UNITS_MB = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}


def spark_memory_mb(value: Any) -> int | None:
    """Spark's memory strings ("512m", "2g", "1024": MiB without a unit) in MiB."""
    text = (_str(value) or "").strip().lower().removesuffix("b")
    unit = text[-1:] if text[-1:] in MEMORY_UNITS_MB else "m"
    number = _int(text.rstrip("kmgt"))
    return None if number is None or number < 0 else int(number * MEMORY_UNITS_MB[unit])


def spark_conf(body: Any) -> SparkConf:
    """GET .../applications/{app}/environment: the sparkProperties that size its executors."""
    raw = _dict(body).get("sparkProperties")
    if not isinstance(raw, list):
        raise ValueError("Spark environment answer has no 'sparkProperties' list")
    props = {str(p[0]): p[1] for p in raw if isinstance(p, list) and len(p) == 2}
    return SparkConf(
        executor_cores=_int(props.get("spark.executor.cores")),
        executor_memory_mb=spark_memory_mb(props.get("spark.executor.memory")),
        max_executors=_int(props.get("spark.dynamicAllocation.maxExecutors")),
        labels=labels_from_conf(props),
    )
