"""Pure analysis: observations in, snapshot out (definitions: README.md, "How it decides").

No I/O here. `analyze` is called once per poll cycle with the previous `AnalysisState`, which
carries the few facts that need time: since when a session has been short of its fair share,
since when it has held executors with nothing to run, since when each problem exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import cast

from ..config import AnalysisConfig
from ..observe.model import GONE_STATES, STARTING_STATES, Observation, SessionObservation
from ..snapshot import (
    SNAPSHOT_VERSION,
    STATUSES,
    CannotStart,
    Cluster,
    NotebookRef,
    Problem,
    Session,
    Snapshot,
    Starvation,
    Status,
)
from .advice import advise
from .entries import cluster_entry, endpoint_entry, iso, outside_livy_entries
from .fairness import EPSILON, WHOLE_EXECUTOR, rounded
from .shares import Shares, allocate

__all__ = ["SNAPSHOT_VERSION", "STATUSES", "AnalysisState", "analyze"]


@dataclass
class AnalysisState:
    short_since: dict[str, float] = field(default_factory=dict)
    idle_since: dict[str, float] = field(default_factory=dict)
    livy_idle_since: dict[str, float] = field(default_factory=dict)  # Livy state idle
    status_since: dict[str, tuple[str, float]] = field(default_factory=dict)
    problem_since: dict[tuple, float] = field(default_factory=dict)
    down_since: float | None = None
    last_success_at: float | None = None
    observed_since: float | None = None  # the first observation after the last gap
    last_sessions: list[Session] = field(default_factory=list)
    last_cluster: Cluster | None = None


def _since(table: dict, key, now: float, active: bool) -> float | None:
    if not active:
        table.pop(key, None)
        return None
    return table.setdefault(key, now)


def analyze(
    obs: Observation, previous: AnalysisState, config: AnalysisConfig
) -> tuple[Snapshot, AnalysisState]:
    """One snapshot from one observation and the state carried over from the previous cycle."""
    now = obs.polled_at
    state = _carry_over(previous)
    problems = _problems(obs, state, now)
    if not obs.reachable:
        return _last_known(obs, state, config, problems), state

    _mark_observed(obs, state, now)
    cluster = obs.cluster
    live = [s for s in obs.sessions if s.state not in GONE_STATES]
    orphans = {s.key for s in live if (obs.notebooks.get(s.id) or {}).get("orphaned") is True}
    shares = allocate(live, cluster, obs.outside, orphans)
    starving, idle_hoarding = _timed_conditions(live, shares, state, now, config)
    victims = _victims(shares, starving)
    sessions = [
        _session(
            s,
            _status(s, shares, starving, idle_hoarding),
            shares,
            starving,
            victims.get(s.key, []),
            obs,
            state,
            now,
        )
        for s in sorted(obs.sessions, key=lambda s: s.id)
    ]
    _forget_gone(obs, state)
    cluster_json = cluster_entry(cluster, live)
    state.last_sessions = sessions
    state.last_cluster = cluster_json
    snapshot: Snapshot = {
        "version": SNAPSHOT_VERSION,
        "endpoint": endpoint_entry(obs, state, config, problems),
        "cluster": cluster_json,
        "sessions": sessions,
        "starvation": _starvation(starving, shares, state),
        "advice": advise(starving, idle_hoarding, shares, obs.outside),
        "outside_livy": outside_livy_entries(obs.outside, shares, starving),
    }
    return snapshot, state


def _carry_over(previous: AnalysisState) -> AnalysisState:
    """The previous state with its tables copied: this cycle changes only its own."""
    return replace(
        previous,
        short_since=dict(previous.short_since),
        idle_since=dict(previous.idle_since),
        livy_idle_since=dict(previous.livy_idle_since),
        status_since=dict(previous.status_since),
        problem_since=dict(previous.problem_since),
    )


def _last_known(
    obs: Observation, state: AnalysisState, config: AnalysisConfig, problems: list[Problem]
) -> Snapshot:
    """Livy does not answer: keep the last known picture, marked stale, not an empty panel."""
    state.down_since = state.down_since if state.down_since is not None else obs.polled_at
    return {
        "version": SNAPSHOT_VERSION,
        "endpoint": endpoint_entry(obs, state, config, problems),
        # What the cluster side still tells (or the worker-type model), else the last known.
        "cluster": cluster_entry(obs.cluster, []) if obs.cluster else state.last_cluster,
        "sessions": [cast(Session, dict(s, stale=True)) for s in state.last_sessions],
        "starvation": [],
        "advice": [],
        "outside_livy": [],
    }


def _mark_observed(obs: Observation, state: AnalysisState, now: float) -> None:
    """Livy answered. After a gap nobody saw the time before this poll: a session short (or
    idle, or in any status) on both sides of it is so since this poll, not since before."""
    state.down_since = None
    state.last_success_at = now
    if obs.after_gap or state.observed_since is None:
        state.observed_since = now
        state.short_since.clear()
        state.idle_since.clear()
        state.livy_idle_since.clear()
        state.status_since.clear()


def _timed_conditions(
    live: list[SessionObservation],
    shares: Shares,
    state: AnalysisState,
    now: float,
    config: AnalysisConfig,
) -> tuple[set[str], set[str]]:
    """Starving: short for starvation_seconds. Idle-hoarding: holding executors with no task
    to run for idle_hoarding_seconds."""
    starving = set()
    for k in shares.need:
        since = _since(state.short_since, k, now, k in shares.short)
        if since is not None and now - since >= config.starvation_seconds:
            starving.add(k)
    idle_hoarding = set()
    for s in live:
        k = s.key
        idle = shares.held[k] > 0 and s.running_tasks == 0 and (s.pending_tasks or 0) == 0
        since = _since(state.idle_since, k, now, idle)
        if since is not None and now - since >= config.idle_hoarding_seconds:
            idle_hoarding.add(k)
    return starving, idle_hoarding


def _victims(shares: Shares, starving: set[str]) -> dict[str, list[int]]:
    """The starving sessions each holder keeps waiting. Those short of executors wait on
    every session above its fair share, those at the AM-resource limit on every driver of
    their queue: each list is built once and shared by the holders it belongs to (a list per
    holder would grow as starving x holders in CPU)."""
    by_key = shares.by_key
    of_executors = sorted(by_key[k].id for k in starving if k not in shares.at_am_limit)
    victims = dict.fromkeys(shares.holders, of_executors)
    at_limit: dict[str | None, list[int]] = {}
    for k in sorted(starving & shares.at_am_limit, key=lambda k: by_key[k].id):
        at_limit.setdefault(by_key[k].queue, []).append(by_key[k].id)
    if at_limit:
        by_id = {s.id: k for k, s in by_key.items()}
        for queue, ids in at_limit.items():
            for holder in shares.am_holder_ids.get(queue, []):
                k = by_id[holder]
                victims[k] = sorted(set(victims.get(k, [])) | set(ids))
    return victims


def _status(
    s: SessionObservation, shares: Shares, starving: set[str], idle_hoarding: set[str]
) -> Status:
    k = s.key
    if s.state in GONE_STATES:
        return "gone"
    # A driver that cannot get its container is short from the first poll, though Livy
    # still says starting.
    if k in starving:
        return "starving"
    if k in shares.short:
        return "waiting"
    if k in shares.orphans:
        return "orphaned"
    if s.state in STARTING_STATES:
        return "starting"
    if k in idle_hoarding:
        return "idle-hoarding"
    if shares.excess.get(k, 0) >= WHOLE_EXECUTOR - EPSILON and shares.short_of_executors:
        return "hogging"
    if shares.held.get(k, 0) == 0 and shares.need.get(k, 0) == 0:
        return "idle"
    return "ok"


def _session(
    s: SessionObservation,
    status: Status,
    shares: Shares,
    starving: set[str],
    victims: list[int],
    obs: Observation,
    state: AnalysisState,
    now: float,
) -> Session:
    """One session's entry: what was observed, and what the analysis decided about it."""
    k = s.key
    previous_status = state.status_since.get(k)
    if previous_status is None or previous_status[0] != status:
        state.status_since[k] = (status, now)
    capacity = shares.capacity
    executors = s.executors or 0
    notebook = obs.notebooks.get(s.id)  # only for this server's notebooks
    idle_since = _since(state.livy_idle_since, k, now, s.state == "idle")
    return {
        "id": s.id,
        "name": s.app_name,
        "livy_name": s.livy_name,
        "app_id": s.app_id,
        "state": s.state,
        "kind": s.kind,
        # Who to ask: Livy's owner (authenticated), else the owner label of its conf.
        "owner": s.owner or s.labels.owner,
        "proxy_user": s.proxy_user,
        "notebook": _notebook_ref(notebook),
        "mine": notebook is not None,
        "can_stop": False,  # publish() decides, with what this server allows
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
        "share": rounded(executors / capacity) if capacity else 0.0,
        "need": shares.need.get(k, 0),
        "fair_share": rounded(shares.fair.get(k, 0.0)),
        "max_executors": s.max_executors,
        "running_tasks": s.running_tasks,
        "pending_tasks": s.pending_tasks,
        "status": status,
        "status_since": iso(state.status_since[k][1]),
        "starved_by": list(shares.waits_on(k)) if k in starving else [],
        "starving": list(victims),
        "culprits": list(shares.waits_on(k)) if k in shares.short else [],
        "outside_culprits": list(shares.waits_on_outside(k)) if k in shares.short else [],
        "idle_since": iso(idle_since),
        "ends_at": iso(_ends_at(s, idle_since)),
        "cannot_start": _cannot_start(s),
        "diagnostics": s.diagnostics,
        "queue": s.queue,
        "spark_ui_url": s.spark_ui_url,
        "driver_log_url": s.driver_log_url,
        "error": s.error,
    }


def _notebook_ref(found: dict | None) -> NotebookRef | None:
    """This server's notebook of a session, as the notebook index found it."""
    if found is None:
        return None
    return {
        "path": found.get("path"),
        "kernel_id": str(found.get("kernel_id")),
        "orphaned": found.get("orphaned") is True,
    }


def _ends_at(s: SessionObservation, idle_since: float | None) -> float | None:
    """When Livy ends the session if it stays idle, where Livy reports its timeouts (the
    server-wide livy.server.session.timeout is not in its API)."""
    timeouts = [t for t in (s.ttl_seconds, s.idle_timeout_seconds) if t]
    if idle_since is None or not timeouts:
        return None
    return idle_since + min(timeouts)


def _cannot_start(s: SessionObservation) -> CannotStart | None:
    """Why YARN gives its driver no container: the queue's AM-resource limit, or no room."""
    if not s.driver_waiting:
        return None
    return "am-limit" if s.am_limit_reached else "cluster-full"


def _forget_gone(obs: Observation, state: AnalysisState) -> None:
    """Forget the timers of sessions that are gone."""
    known = {s.key for s in obs.sessions}
    for table in (state.short_since, state.idle_since, state.livy_idle_since, state.status_since):
        for k in [k for k in table if k not in known]:
            del table[k]


def _starvation(starving: set[str], shares: Shares, state: AnalysisState) -> list[Starvation]:
    return [
        {
            "session": shares.by_key[k].id,
            "deficit_executors": rounded(shares.due[k] - shares.held[k]),
            "since": iso(state.short_since[k]),
        }
        for k in sorted(starving, key=lambda k: shares.by_key[k].id)
    ]


def _problems(obs: Observation, state: AnalysisState, now: float) -> list[Problem]:
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
