"""The snapshot's entries that restate what was observed: the endpoint, the cluster, and the
applications outside Livy (with the sessions they starve, as the shares decided).

Owns: how an observation's endpoint, cluster and outside applications are written in the
snapshot, and its times (`iso`). Never: decides anything (`analysis` and `shares` do).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..observe.model import ClusterObservation, Observation, OutsideApp, SessionObservation
from ..snapshot import Cluster, Endpoint, OutsideLivyApp, Problem
from .fairness import rounded
from .shares import Shares

if TYPE_CHECKING:
    from ..config import AnalysisConfig
    from .analysis import AnalysisState


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat().replace("+00:00", "Z")


def endpoint_entry(
    obs: Observation, state: AnalysisState, config: AnalysisConfig, problems: list[Problem]
) -> Endpoint:
    failure = obs.livy_failure
    return {
        "url": obs.livy_url,
        "mode": obs.mode,
        "reachable": obs.reachable,
        "error": None if failure is None else f"Livy: {failure.message}",
        "error_kind": None if failure is None else failure.kind,
        "down_since": iso(state.down_since),
        "polled_at": iso(obs.polled_at),
        "last_success_at": iso(state.last_success_at),
        "observed_since": iso(state.observed_since),
        "poll_interval": config.poll_interval,
        "starvation_seconds": config.starvation_seconds,
        "problems": problems,
    }


def cluster_entry(
    cluster: ClusterObservation | None, live: Iterable[SessionObservation]
) -> Cluster | None:
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


def outside_livy_entries(
    outside: list[OutsideApp], shares: Shares, starving: set[str]
) -> list[OutsideLivyApp]:
    """The applications outside Livy that hold containers, with the sessions they starve."""
    victims = {
        app_id: [shares.by_key[k].id for k in keys]
        for app_id, keys in shares.outside_victims(starving).items()
    }
    return [
        {
            "app_id": a.app_id,
            "name": a.yarn.name,
            "user": a.yarn.user,
            "queue": a.yarn.queue,
            "application_type": a.yarn.application_type,
            "containers": a.yarn.containers,
            "executors": a.executors,
            "cores": a.yarn.vcores,
            "memory_mb": a.yarn.memory_mb,
            "since": iso(a.yarn.started_ms / 1000 if a.yarn.started_ms else None),
            "url": a.url,
            "fair_share": rounded(shares.outside_fair.get(a.app_id, 0.0)),
            "starving": victims.get(a.app_id, []),
        }
        for a in sorted(outside, key=lambda a: a.app_id)
    ]
