"""Pure analysis: observations in, snapshot out (definitions: README.md, "How it decides").

No I/O here. `analyze` is called once per poll cycle with the previous `AnalysisState`, which
carries the few facts that need time: since when a session has been short of its fair share,
since when it has held executors with nothing to run, since when each problem exists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from .model import GONE_STATES, STARTING_STATES, ClusterObservation, Observation

SNAPSHOT_VERSION = 1

# Every status a session can have in a snapshot (README.md, "How it decides").
STATUSES = ("starting", "starving", "waiting", "idle-hoarding", "hogging", "idle", "ok", "gone")

# A session is short only when it misses at least this much of what it is due; smaller gaps
# are the rounding of a fractional fair share into whole executors (9 executors, 2 sessions:
# one holds 5, the other 4 of its 4.5, and nobody is being starved).
WHOLE_EXECUTOR = 1.0
EPSILON = 1e-9


def max_min_fair(capacity: float, needs: Mapping[str, float]) -> dict[str, float]:
    """Max-min fair shares of `capacity` over `needs` (water-filling).

    Sessions are served in increasing order of need; each gets the smaller of its need and an
    equal split of what is left, so one that needs less than an equal split keeps only what it
    needs and the rest is shared out among the others. The result depends only on the needs,
    never on the order of the mapping.
    """
    values = sorted(max(0.0, float(n)) for n in needs.values())
    remaining = max(0.0, float(capacity))
    level = values[-1] if values else 0.0  # enough for everyone, unless the loop finds less
    for served, need in enumerate(values):
        equal_split = remaining / (len(values) - served)
        if need >= equal_split:
            level = equal_split
            break
        remaining -= need
    # One water level for all: the result depends on the needs only, never on their order.
    return {key: min(max(0.0, float(need)), level) for key, need in needs.items()}


def executors_needed(running: int, pending: int, tasks_per_executor: int, cap: int | None) -> int:
    """Spark's ExecutorAllocationManager target: ceil(tasks / tasks per executor), capped."""
    per_executor = max(1, tasks_per_executor)
    need = math.ceil(max(0, running + pending) / per_executor)
    return need if cap is None else min(need, max(0, cap))


def suggested_max_executors(capacity: int, sessions_wanting: int) -> int:
    """The maxExecutors that lets every session that wants executors run side by side."""
    return max(1, capacity // max(1, sessions_wanting))


def configure_cell(max_executors: int) -> str:
    conf = {"conf": {"spark.dynamicAllocation.maxExecutors": str(max_executors)}}
    return "%%configure -f\n" + json.dumps(conf)


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class AnalysisConfig:
    starvation_seconds: float = 30.0
    idle_hoarding_seconds: float = 60.0  # Spark's default executorIdleTimeout
    poll_interval: float = 5.0


@dataclass
class AnalysisState:
    short_since: dict[str, float] = field(default_factory=dict)
    idle_since: dict[str, float] = field(default_factory=dict)
    status_since: dict[str, tuple[str, float]] = field(default_factory=dict)
    problem_since: dict[tuple, float] = field(default_factory=dict)
    down_since: float | None = None
    last_success_at: float | None = None
    observed_since: float | None = None  # the first observation after the last gap
    last_sessions: list[dict] = field(default_factory=list)
    last_cluster: dict | None = None


def _round(value: float) -> float:
    return round(value + 0.0, 2)


def _since(table: dict, key, now: float, active: bool) -> float | None:
    if not active:
        table.pop(key, None)
        return None
    return table.setdefault(key, now)


def analyze(
    obs: Observation, previous: AnalysisState, config: AnalysisConfig
) -> tuple[dict, AnalysisState]:
    """One snapshot from one observation and the state carried over from the previous cycle."""
    now = obs.polled_at
    state = replace(
        previous,
        short_since=dict(previous.short_since),
        idle_since=dict(previous.idle_since),
        status_since=dict(previous.status_since),
        problem_since=dict(previous.problem_since),
    )
    problems = _problems(obs, state, now)

    if not obs.reachable:
        state.down_since = state.down_since if state.down_since is not None else now
        endpoint = _endpoint(obs, state, config, problems)
        # Keep the last known picture, marked stale, rather than an empty panel.
        snapshot = {
            "version": SNAPSHOT_VERSION,
            "endpoint": endpoint,
            # What the cluster side still tells (or the worker-type model), else the last known.
            "cluster": _cluster(obs.cluster, []) if obs.cluster else state.last_cluster,
            "sessions": [dict(s, stale=True) for s in state.last_sessions],
            "starvation": [],
            "advice": [],
        }
        return snapshot, state

    state.down_since = None
    state.last_success_at = now
    if obs.after_gap or state.observed_since is None:
        # Nobody saw the time before this poll: a session short (or idle, or in any status)
        # on both sides of a gap is so since this poll, not since before the gap.
        state.observed_since = now
        state.short_since.clear()
        state.idle_since.clear()
        state.status_since.clear()
    cluster = obs.cluster
    capacity = cluster.max_executors if cluster else 0

    live = [s for s in obs.sessions if s.state not in GONE_STATES]
    held: dict[str, int] = {}
    need: dict[str, float] = {}
    for s in live:
        held[s.key] = s.executors or 0
        if s.state in STARTING_STATES:
            need[s.key] = 0
        elif s.running_tasks is None or s.pending_tasks is None:
            # Tasks unknown (its Spark UI did not answer): assume it needs what it holds.
            need[s.key] = held[s.key]
        else:
            per_executor = s.tasks_per_executor or (cluster.executor_cores if cluster else 1)
            need[s.key] = executors_needed(
                s.running_tasks, s.pending_tasks, per_executor, s.max_executors
            )
    fair = max_min_fair(capacity, need)

    # Who is short of what it is due, who holds more than its share. A session whose deficit
    # still fits in the free slots is only ramping up (executors take seconds to start).
    due = {k: min(fair[k], need[k]) for k in need}
    in_use = sum(held.values())
    if cluster is not None and cluster.executors_in_use is not None:
        in_use = max(in_use, cluster.executors_in_use)
    free = max(0, capacity - in_use)
    # Held is what the cluster manager granted: executors still starting are not missing.
    short = {
        k
        for k in need
        if (due[k] - held[k] >= WHOLE_EXECUTOR - EPSILON or (held[k] == 0 and due[k] > EPSILON))
        and free < due[k] - held[k] - EPSILON
    }
    excess = {k: held[k] - fair[k] for k in need if held[k] - fair[k] > EPSILON}
    starving = set()
    for k in need:
        since = _since(state.short_since, k, now, k in short)
        if since is not None and now - since >= config.starvation_seconds:
            starving.add(k)
    by_key = {s.key: s for s in live}
    holders = sorted(excess, key=lambda k: (-excess[k], by_key[k].id))
    starved_by = {k: holders for k in starving}
    starves: dict[str, list[str]] = {k: [] for k in need}
    for k in sorted(starving, key=lambda k: by_key[k].id):
        for j in holders:
            starves[j].append(k)
    # Every starving session is starved by the same holders, and every holder starves the same
    # sessions: their ids and weights are built once here and copied into each entry below.
    holder_ids = [by_key[j].id for j in holders]
    starving_ids = sorted(by_key[k].id for k in starving)
    weights = {str(by_key[j].id): _round(excess[j]) for j in holders}

    idle_hoarding = set()
    for s in live:
        k = s.key
        idle = held[k] > 0 and s.running_tasks == 0 and (s.pending_tasks or 0) == 0
        since = _since(state.idle_since, k, now, idle)
        if since is not None and now - since >= config.idle_hoarding_seconds:
            idle_hoarding.add(k)

    sessions = []
    for s in sorted(obs.sessions, key=lambda s: s.id):
        k = s.key
        if s.state in GONE_STATES:
            status = "gone"
        elif s.state in STARTING_STATES:
            status = "starting"
        elif k in starving:
            status = "starving"
        elif k in short:
            status = "waiting"
        elif k in idle_hoarding:
            status = "idle-hoarding"
        elif excess.get(k, 0) >= WHOLE_EXECUTOR - EPSILON and short:
            status = "hogging"
        elif held.get(k, 0) == 0 and need.get(k, 0) == 0:
            status = "idle"
        else:
            status = "ok"
        previous_status = state.status_since.get(k)
        if previous_status is None or previous_status[0] != status:
            state.status_since[k] = (status, now)
        executors = s.executors or 0
        sessions.append(
            {
                "id": s.id,
                "name": s.app_name,
                "livy_name": s.livy_name,
                "app_id": s.app_id,
                "state": s.state,
                "kind": s.kind,
                # Who to ask: Livy's owner (authenticated), else the owner label of its conf.
                "owner": s.owner or s.labels.owner,
                "proxy_user": s.proxy_user,
                "notebook": obs.notebooks.get(s.id),  # only for this server's notebooks
                "owner_label": s.labels.owner,
                "notebook_label": s.labels.notebook,  # the notebook it was started from
                "executors": executors,
                "registered_executors": s.registered_executors,
                "starting_executors": (
                    max(0, executors - s.registered_executors)
                    if s.registered_executors is not None
                    else None
                ),
                "pending_containers": s.pending_containers,
                "executor_cores": s.executor_cores,
                "executor_memory_mb": s.executor_memory_mb,
                "driver_cores": s.driver_cores,
                "driver_memory_mb": s.driver_memory_mb,
                "cores": s.cores or 0,
                "memory_mb": s.memory_mb or 0,
                "share": _round(executors / capacity) if capacity else 0.0,
                "need": need.get(k, 0),
                "fair_share": _round(fair.get(k, 0.0)),
                "max_executors": s.max_executors,
                "running_tasks": s.running_tasks,
                "pending_tasks": s.pending_tasks,
                "status": status,
                "status_since": iso(state.status_since[k][1]),
                "starved_by": list(holder_ids) if k in starved_by else [],
                "starving": list(starving_ids) if starves.get(k) else [],
                "spark_ui_url": s.spark_ui_url,
                "driver_log_url": s.driver_log_url,
                "error": s.error,
            }
        )
    # Forget timers of sessions that are gone.
    known = {s.key for s in obs.sessions}
    for table in (state.short_since, state.idle_since, state.status_since):
        for k in [k for k in table if k not in known]:
            del table[k]

    starvation = [
        {
            "session": by_key[k].id,
            "by": list(holder_ids),
            "weights": dict(weights),
            "deficit_executors": _round(due[k] - held[k]),
            "since": iso(state.short_since[k]),
        }
        for k in sorted(starving, key=lambda k: by_key[k].id)
    ]

    cluster_json = _cluster(cluster, live)
    wanting = sum(1 for k in need if need[k] > 0)
    advice = _advice(live, starving, holders, idle_hoarding, held, fair, capacity, wanting)
    state.last_sessions = sessions
    state.last_cluster = cluster_json
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "endpoint": _endpoint(obs, state, config, problems),
        "cluster": cluster_json,
        "sessions": sessions,
        "starvation": starvation,
        "advice": advice,
    }
    return snapshot, state


def _problems(obs: Observation, state: AnalysisState, now: float) -> list[dict]:
    current = {}
    for p in obs.problems:
        current[(p.source, p.session, p.message)] = p
    for key in [k for k in state.problem_since if k not in current]:
        del state.problem_since[key]
    return [
        {
            "source": p.source,
            "session": p.session,
            "message": p.message,
            "since": iso(state.problem_since.setdefault(key, now)),
        }
        for key, p in current.items()
    ]


def _endpoint(obs: Observation, state: AnalysisState, config: AnalysisConfig, problems) -> dict:
    return {
        "url": obs.livy_url,
        "mode": obs.mode,
        "reachable": obs.reachable,
        "error": obs.error,
        "error_kind": obs.error_kind,
        "down_since": iso(state.down_since),
        "polled_at": iso(obs.polled_at),
        "last_success_at": iso(state.last_success_at),
        "observed_since": iso(state.observed_since),
        "poll_interval": config.poll_interval,
        "starvation_seconds": config.starvation_seconds,
        "problems": problems,
    }


def _cluster(cluster: ClusterObservation | None, live: Iterable) -> dict | None:
    if cluster is None:
        return None
    live = list(live)
    livy_executors = sum(s.executors or 0 for s in live)
    in_use = cluster.executors_in_use if cluster.executors_in_use is not None else livy_executors
    return {
        "source": cluster.source,
        "worker_type": cluster.worker_type,
        "workers": cluster.workers,
        "max_executors": cluster.max_executors,
        "executor_cores": cluster.executor_cores,
        "executor_memory_mb": cluster.executor_memory_mb,
        "executors_in_use": in_use,
        "livy_executors": livy_executors,
        "cores_in_use": sum(s.cores or 0 for s in live),
        "memory_in_use_mb": sum(s.memory_mb or 0 for s in live),
        "drivers": cluster.drivers,
        "driver_cores": cluster.driver_cores,
        "driver_memory_mb": cluster.driver_memory_mb,
        "total_cores": cluster.total_cores,
        "total_memory_mb": cluster.total_memory_mb,
        "note": cluster.note,
    }


def _advice(live, starving, holders, idle_hoarding, held, fair, capacity, wanting) -> list[dict]:
    advice = []
    by_key = {s.key: s for s in live}
    if starving and capacity:
        cap = suggested_max_executors(capacity, max(2, wanting))
        cell = configure_cell(cap)
        names = [by_key[k].app_name for k in sorted(starving, key=lambda k: by_key[k].id)]
        # A few names: each hogger's reason naming every waiting session grows as hoggers x
        # waiting (0.65 of the 1.7 MB snapshot of 500 sessions).
        waiting = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        for j in holders:
            s = by_key[j]
            advice.append(
                {
                    "session": s.id,
                    "text": f"Restart {s.app_name} with at most {cap} executors.",
                    "reason": (
                        f"{s.app_name} holds {held[j]} of {capacity} executors, above its fair "
                        f"share of {_round(fair[j])}, while {waiting} wait. With "
                        f"spark.dynamicAllocation.maxExecutors unset one session can take every "
                        f"executor; {cap} lets {max(2, wanting)} sessions run side by side."
                    ),
                    "configure": cell,
                }
            )
        advice.append(
            {
                "session": None,
                "text": (
                    f"Start every notebook on this endpoint with maxExecutors {cap}: run this "
                    f"cell first in each notebook."
                ),
                "reason": (
                    f"{wanting} sessions want executors and the endpoint has {capacity}; "
                    f"Glue leaves spark.dynamicAllocation.maxExecutors unset."
                ),
                "configure": cell,
            }
        )
    for k in sorted(idle_hoarding, key=lambda k: by_key[k].id):
        s = by_key[k]
        advice.append(
            {
                "session": s.id,
                "text": (
                    f"{s.app_name} holds {held[k]} executors with nothing to run: unpersist its "
                    f"cached data, or stop the session when done."
                ),
                "reason": (
                    "Executors that hold cached blocks or shuffle data are never released by "
                    "dynamic allocation (cachedExecutorIdleTimeout is infinite by default)."
                ),
                "configure": None,
            }
        )
    return advice
