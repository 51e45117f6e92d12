"""Prometheus metrics on the Jupyter server's /metrics, parsed as Prometheus parses them."""

from __future__ import annotations

import json
import math

from prometheus_client.parser import text_string_to_metric_families

from glue_sessions.serve.endpoints import endpoint_id
from glue_sessions.serve.metrics import OWNER_MAX, bounded_label, snapshot_metrics


async def scrape(jp_fetch, poller) -> dict[tuple[str, tuple], float]:
    """The samples about the poller's endpoint, without their `endpoint` label (which every
    sample has)."""
    response = await jp_fetch("metrics")
    samples = {}
    for family in text_string_to_metric_families(response.body.decode()):
        if family.name.startswith("glue_sessions"):
            for sample in family.samples:
                labels = dict(sample.labels)
                if labels.pop("endpoint") == endpoint_id(poller.config.livy_url):
                    samples[(sample.name, tuple(sorted(labels.items())))] = sample.value
    return samples


def series(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


async def test_metrics_equal_the_snapshot(jp_fetch, poller, clock):
    for _ in range(8):  # 35 s of polls: the seed's hog has starved session 1 for a while
        await poller.poll_once()
        clock.now += 5
    snapshot = json.loads((await jp_fetch("glue-sessions", "api", "snapshot")).body)
    samples = await scrape(jp_fetch, poller)

    assert series(samples, "glue_sessions_endpoint_reachable") == 1
    cluster = snapshot["cluster"]
    assert series(samples, "glue_sessions_cluster_max_executors") == cluster["max_executors"]
    in_use = series(samples, "glue_sessions_cluster_executors_in_use")
    assert in_use == cluster["executors_in_use"]
    assert series(samples, "glue_sessions_polls_total") == 8
    assert series(samples, "glue_sessions_poll_duration_seconds_count") == 8

    starving = [s for s in snapshot["sessions"] if s["status"] == "starving"]
    assert starving, "the seed scenario has a starving session"
    for s in snapshot["sessions"]:
        labels = {"session": str(s["id"]), "owner": s["owner"] or ""}
        assert series(samples, "glue_sessions_session_executors", **labels) == s["executors"]
        assert series(samples, "glue_sessions_session_need", **labels) == s["need"]
        assert series(samples, "glue_sessions_session_fair_share", **labels) == s["fair_share"]
        for status in ("starving", "hogging", "idle", "ok"):
            value = series(
                samples,
                "glue_sessions_session_status",
                **labels,
                **{"glue_sessions_session_status": status},
            )
            assert value == (1 if s["status"] == status else 0), (s["id"], status)
        starving_for = series(samples, "glue_sessions_session_starving_seconds", **labels)
        if s["status"] == "starving":
            assert starving_for > 0
        else:
            assert starving_for == 0


async def test_errors_counted_by_source_and_reachability(jp_fetch, poller, emulator):
    emulator.scenario.livy_down = True
    await poller.poll_once()
    await poller.poll_once()
    samples = await scrape(jp_fetch, poller)
    assert series(samples, "glue_sessions_endpoint_reachable") == 0
    errors = {
        labels: value
        for (name, labels), value in samples.items()
        if name == "glue_sessions_poll_errors_total"
    }
    assert sum(errors.values()) >= 2
    assert all(dict(labels)["source"] == "livy" for labels in errors)


def test_labels_are_bounded_untrusted_text():
    hostile = "<script>\n" + "x" * 500 + '"} 1\nevil 2'
    label = bounded_label(hostile)
    assert len(label) == OWNER_MAX and "\n" not in label
    snapshot = {
        "endpoint": {"reachable": True, "polled_at": "2026-11-24T10:00:05Z"},
        "cluster": {"max_executors": None, "executors_in_use": 0},
        "sessions": [
            {
                "id": 3,
                "owner": hostile,
                "executors": 0,
                "need": 0,
                "fair_share": 0.0,
                "status": "idle",
                "status_since": "2026-11-24T09:00:00Z",
            }
        ],
    }
    families = {f.name: f for f in snapshot_metrics(snapshot)}
    assert "glue_sessions_cluster_max_executors" not in families  # unknown: no series
    (sample,) = families["glue_sessions_session_executors"].samples
    assert sample.labels["owner"] == label
    assert not math.isnan(sample.value)


def test_cannot_start_and_outside_livy_as_metrics():
    from test_cannot_start import cannot_start, yarn_cluster
    from test_outside_livy import lost_session

    from glue_sessions.config import AnalysisConfig
    from glue_sessions.decide.analysis import AnalysisState, analyze
    from glue_sessions.observe.model import Observation

    obs = Observation(
        polled_at=0,
        livy_url="http://livy:8998",
        mode="yarn",
        cluster=yarn_cluster(5, 5),
        sessions=[cannot_start(1, am_limit=False)],
        outside=[lost_session(5)],
    )
    snapshot, _ = analyze(obs, AnalysisState(), AnalysisConfig())
    families = {m.name: m for m in snapshot_metrics(snapshot)}
    (blocked,) = families["glue_sessions_session_cannot_start"].samples
    assert blocked.labels == {"session": "1", "owner": "", "reason": "cluster-full"}
    assert blocked.value == 1
    (outside,) = families["glue_sessions_outside_livy_containers"].samples
    assert outside.labels == {"app_id": "application_1_0007"} and outside.value == 6
