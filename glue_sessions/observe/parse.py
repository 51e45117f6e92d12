"""Pure parsers of Livy's and Spark REST's answers (the cluster manager's: `parse_cluster`).

Every peer is untrusted: fields may be missing, null, of the wrong type, or unknown. Each parser
takes what it can and raises `ValueError` only when the shape is unusable as a whole.

Owns: the fields read from each answer and their types. Never: does I/O, sizes the cluster
(`capacity`), or decides anything about a session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..kernel.labels import Labels, labels_from_conf
from .coerce import as_dict, as_http_url, as_int, as_str

APP_NAME_PREFIX = "livy-session-"


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
        session_id = as_int(raw.get("id"))
        if session_id is None or session_id < 0:
            continue
        app_info = as_dict(raw.get("appInfo"))
        conf = as_dict(raw.get("conf"))
        sessions.append(
            LivySession(
                id=session_id,
                state=(as_str(raw.get("state")) or "unknown").lower(),
                livy_name=as_str(raw.get("name")),
                app_id=as_str(raw.get("appId")),
                kind=as_str(raw.get("kind")),
                owner=as_str(raw.get("owner")),
                proxy_user=as_str(raw.get("proxyUser")),
                spark_ui_url=as_http_url(app_info.get("sparkUiUrl")),
                driver_log_url=as_http_url(app_info.get("driverLogUrl")),
                max_executors=as_int(conf.get("spark.dynamicAllocation.maxExecutors")),
                labels=labels_from_conf(conf),
                ttl_seconds=livy_duration_seconds(raw.get("ttl")),
                idle_timeout_seconds=livy_duration_seconds(raw.get("idleTimeout")),
            )
        )
    total = as_int(body.get("total"), len(sessions))
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
    match = DURATION.match((as_str(value) or "").lower())
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
        executor_cores = as_int(raw.get("totalCores"), 0) or 0
        cores += executor_cores
        active += max(0, as_int(raw.get("activeTasks"), 0) or 0)
        max_tasks = as_int(raw.get("maxTasks"))
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
        if (as_str(raw.get("status")) or "ACTIVE").upper() != "ACTIVE":
            continue
        total = as_int(raw.get("numTasks"), 0) or 0
        active = max(0, as_int(raw.get("numActiveTasks"), 0) or 0)
        done = sum(
            as_int(raw.get(field), 0) or 0
            for field in ("numCompleteTasks", "numFailedTasks", "numKilledTasks")
        )
        running += active
        pending += max(0, total - active - done)
    return StageTasks(running, pending)


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
    text = (as_str(value) or "").strip().lower().removesuffix("b")
    unit = text[-1:] if text[-1:] in MEMORY_UNITS_MB else "m"
    number = as_int(text.rstrip("kmgt"))
    return None if number is None or number < 0 else int(number * MEMORY_UNITS_MB[unit])


def spark_conf(body: Any) -> SparkConf:
    """GET .../applications/{app}/environment: the sparkProperties that size its executors."""
    raw = as_dict(body).get("sparkProperties")
    if not isinstance(raw, list):
        raise ValueError("Spark environment answer has no 'sparkProperties' list")
    props = {str(p[0]): p[1] for p in raw if isinstance(p, list) and len(p) == 2}
    return SparkConf(
        executor_cores=as_int(props.get("spark.executor.cores")),
        executor_memory_mb=spark_memory_mb(props.get("spark.executor.memory")),
        max_executors=as_int(props.get("spark.dynamicAllocation.maxExecutors")),
        labels=labels_from_conf(props),
    )
