"""Prometheus metrics on the Jupyter server's own `/metrics` page.

Owns: turning the latest snapshot and the poll cycles into metric families for
prometheus_client's default registry, which jupyter_server's `/metrics` handler serves.
Never: fetches anything or judges a session; every value is one the snapshot already holds.

Gauges are read from the latest snapshot at scrape time (a session that ended disappears from
the page instead of leaving a stale series behind); counters and the poll-duration histogram
are fed once per cycle by the poller. Every series has an `endpoint` label: the id of the
Livy endpoint it is about (its URL without credentials, from this server's own configuration
or its kernels' records), one set of families for all endpoints. Labels are bounded: the Livy
session id and its owner, cut to OWNER_MAX printable characters, never names, logs or
messages from the endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, get_args

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric, StateSetMetricFamily
from prometheus_client.registry import Collector

from ..snapshot import STATUSES, CannotStart

CANNOT_START = get_args(CannotStart)

PREFIX = "glue_sessions"
OWNER_MAX = 64
ENDPOINT_MAX = 256
POLL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def bounded_label(text: Any, limit: int = OWNER_MAX) -> str:
    """An untrusted value as a label: printable ASCII only, at most `limit` characters."""
    if text is None:
        return ""
    kept = "".join(c if " " <= c <= "~" else "?" for c in str(text)[:limit])
    return kept


class PollMetrics(Collector):
    """The metrics of one poller: per cycle (counters, histogram) and per scrape (gauges)."""

    def __init__(self) -> None:
        # registry=None: these live inside this collector, so a second extension instance in
        # the same process (tests) never registers the same names twice.
        self.polls = Counter(f"{PREFIX}_polls", "Poll cycles completed.", registry=None)
        self.poll_seconds = Histogram(
            f"{PREFIX}_poll_duration_seconds",
            "Wall time of one poll cycle (Livy, cluster manager and Spark UIs).",
            buckets=POLL_BUCKETS,
            registry=None,
        )
        self.errors = Counter(
            f"{PREFIX}_poll_errors",
            "Failed reads per poll cycle, by source (livy, spark-ui, cluster...) and kind.",
            ["source", "kind"],
            registry=None,
        )
        self.snapshot: Mapping[str, Any] | None = None

    def observe(self, snapshot: Mapping[str, Any], wall_seconds: float) -> None:
        """One finished cycle: called by the poller after it publishes `snapshot`."""
        self.snapshot = snapshot
        self.polls.inc()
        self.poll_seconds.observe(wall_seconds)
        endpoint = snapshot["endpoint"]
        if endpoint.get("error_kind"):
            self.errors.labels("livy", bounded_label(endpoint["error_kind"])).inc()
        for problem in endpoint.get("problems") or []:
            self.errors.labels(bounded_label(problem.get("source")), "problem").inc()

    def collect(self) -> Iterator[Metric]:
        yield from self.polls.collect()
        yield from self.poll_seconds.collect()
        yield from self.errors.collect()
        if self.snapshot is not None:
            yield from snapshot_metrics(self.snapshot)


def snapshot_metrics(snapshot: Mapping[str, Any]) -> Iterator[Metric]:
    """Gauges of one snapshot, as of its poll: the endpoint, the cluster, each live session."""
    endpoint, cluster = snapshot["endpoint"], snapshot["cluster"]
    now = _epoch(endpoint["polled_at"])
    yield _gauge("endpoint_reachable", "1 when the last poll reached Livy.", endpoint["reachable"])
    if isinstance(cluster.get("max_executors"), int):  # unknown capacity: no series at all
        yield _gauge(
            "cluster_max_executors",
            "Executors the cluster can run at most (capacity).",
            cluster["max_executors"],
        )
    yield _gauge(
        "cluster_executors_in_use", "Executors held by all sessions.", cluster["executors_in_use"]
    )

    labels = ["session", "owner"]
    executors = GaugeMetricFamily(
        f"{PREFIX}_session_executors", "Executors a session holds.", labels=labels
    )
    need = GaugeMetricFamily(
        f"{PREFIX}_session_need", "Executors a session could use now.", labels=labels
    )
    fair = GaugeMetricFamily(
        f"{PREFIX}_session_fair_share", "A session's fair share of executors.", labels=labels
    )
    starving_seconds = GaugeMetricFamily(
        f"{PREFIX}_session_starving_seconds",
        "Seconds a session has been starving (0 when it is not).",
        labels=labels,
    )
    status = StateSetMetricFamily(
        f"{PREFIX}_session_status", "A session's status, one series per status.", labels=labels
    )
    cannot_start = GaugeMetricFamily(
        f"{PREFIX}_session_cannot_start",
        "1 for a session whose driver YARN gives no container, by reason (cluster-full, am-limit).",
        labels=[*labels, "reason"],
    )
    for s in snapshot["sessions"]:
        if s["status"] == "gone":
            continue
        values = [str(s["id"]), bounded_label(s.get("owner"))]
        executors.add_metric(values, s["executors"])
        need.add_metric(values, s["need"])
        fair.add_metric(values, s["fair_share"])
        since = _epoch(s.get("status_since"))
        starving_for = 0.0
        if s["status"] == "starving" and since is not None and now is not None:
            starving_for = max(0.0, now - since)
        starving_seconds.add_metric(values, starving_for)
        status.add_metric(values, {name: s["status"] == name for name in STATUSES})
        if s.get("cannot_start") in CANNOT_START:
            cannot_start.add_metric([*values, s["cannot_start"]], 1)
    outside = GaugeMetricFamily(
        f"{PREFIX}_outside_livy_containers",
        "Containers held by a YARN application that Livy does not list.",
        labels=["app_id"],
    )
    for app in snapshot.get("outside_livy") or []:
        outside.add_metric([bounded_label(app["app_id"])], app["containers"])
    yield from (executors, need, fair, starving_seconds, status, cannot_start, outside)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", documentation, value=float(value))


def _epoch(iso_time: str | None) -> float | None:
    if not iso_time:
        return None
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).timestamp()


EndpointMetrics = Callable[[], Iterable[tuple[str, PollMetrics]]]


def merged(sources: Iterable[tuple[str, PollMetrics]]) -> Iterator[Metric]:
    """The families of every endpoint's metrics as one family per name, each sample labelled
    with its endpoint (a scrape must not name a family twice)."""
    families: dict[str, Metric] = {}
    for endpoint, source in sources:
        label = bounded_label(endpoint, ENDPOINT_MAX)
        for family in source.collect():
            into = families.get(family.name)
            if into is None:
                into = families[family.name] = Metric(
                    family.name, family.documentation, family.type, family.unit
                )
            into.samples.extend(
                s._replace(labels={**s.labels, "endpoint": label}) for s in family.samples
            )
    yield from families.values()


class _Current(Collector):
    """The one collector in the default registry: the metrics of the newest extension."""

    def __init__(self) -> None:
        self.sources: EndpointMetrics = list
        self.registered = False

    def collect(self) -> Iterator[Metric]:
        yield from merged(self.sources())


_CURRENT = _Current()


def serve(sources: EndpointMetrics) -> None:
    """Makes the metrics of `sources()` (endpoint id, metrics) the ones `/metrics` shows (one
    extension per server process)."""
    if not _CURRENT.registered:
        REGISTRY.register(_CURRENT)
        _CURRENT.registered = True
    _CURRENT.sources = sources
