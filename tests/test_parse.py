"""Parsers on responses recorded from the real local endpoint, and on hostile ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glue_sessions.observe import capacity, parse, parse_cluster

SAMPLES = Path(__file__).resolve().parents[1] / "devstack" / "samples"


def sample(name):
    return json.loads((SAMPLES / name).read_text())


def test_recorded_contention():
    master = parse_cluster.spark_master(sample("master_json.json"))
    assert master.alive_workers == 1 and master.worker_sizes == [(6, 6144)]
    hog = master.app_for_session("livy-session-1")
    assert hog.state == "RUNNING" and hog.cores == 6 and hog.memory_per_executor_mb == 512
    waiting = master.app_for_session("livy-session-2")
    assert waiting.state == "WAITING" and waiting.cores == 0
    assert capacity.executors_that_fit(master.worker_sizes, 1, 512) == 6

    usage = parse.spark_executors(sample("executors_livy-session-1.json"))
    assert usage.executors == 6 and usage.cores == 6 and usage.tasks_per_executor == 1
    tasks = parse.spark_stage_tasks(sample("stages_active_livy-session-1.json"))
    assert tasks.running == 6 and tasks.pending == 600 - 6 - 20

    starved = parse.spark_executors(sample("executors_livy-session-2.json"))
    assert starved.executors == 0
    assert parse.spark_stage_tasks(sample("stages_active_livy-session-2.json")).pending == 6

    sessions, total = parse.livy_sessions(sample("livy_sessions.json"))
    assert total == 3 and {s.state for s in sessions} <= {"busy", "idle"}
    assert all(s.app_id is None and s.spark_ui_url is None for s in sessions)


def test_newest_app_wins_after_a_livy_restart():
    body = {
        "workers": [],
        "activeapps": [
            {"id": "app-old", "name": "livy-session-0", "cores": 2, "starttime": 1},
            {"id": "app-new", "name": "livy-session-0", "cores": 0, "starttime": 2},
        ],
    }
    assert parse_cluster.spark_master(body).app_for_session("livy-session-0").id == "app-new"


@pytest.mark.parametrize(
    "body",
    [None, [], "text", {"sessions": "no"}, {"sessions": None}, 42],
)
def test_livy_shapes_that_are_unusable(body):
    with pytest.raises(ValueError):
        parse.livy_sessions(body)


def test_livy_items_of_the_wrong_type_are_skipped():
    body = {
        "total": "7",
        "sessions": [
            None,
            "x",
            {"id": "abc"},
            {"id": -1},
            {"id": True},
            {"id": 4, "state": 5, "appInfo": "nope", "conf": []},
            {
                "id": "5",
                "state": "BUSY",
                "name": "<script>alert(1)</script>",
                "appInfo": {"sparkUiUrl": "javascript:alert(1)", "driverLogUrl": "https://x/log"},
                "conf": {"spark.dynamicAllocation.maxExecutors": "3"},
            },
        ],
    }
    sessions, total = parse.livy_sessions(body)
    assert total == 7
    assert [s.id for s in sessions] == [4, 5]
    assert sessions[0].state == "5"
    five = sessions[1]
    assert five.state == "busy" and five.max_executors == 3
    assert five.spark_ui_url is None  # only http(s) URLs pass
    assert five.driver_log_url == "https://x/log"
    assert five.app_name == "<script>alert(1)</script>"  # kept as text; the UI escapes it


def test_spark_shapes():
    with pytest.raises(ValueError):
        parse.spark_executors({"executors": []})
    with pytest.raises(ValueError):
        parse.spark_stage_tasks({})
    usage = parse.spark_executors(
        [{"id": "driver", "totalCores": 4}, {"id": "1", "totalCores": "x", "isActive": False}, 3]
    )
    assert usage.executors == 0
    tasks = parse.spark_stage_tasks(
        [{"status": "PENDING", "numTasks": 9}, {"numTasks": 5, "numFailedTasks": 9}]
    )
    assert (tasks.running, tasks.pending) == (0, 0)


def test_yarn_metrics():
    metrics = parse_cluster.yarn_cluster_metrics(
        {"clusterMetrics": {"totalVirtualCores": 80, "totalMB": 102400, "activeNodes": 10}}
    )
    assert metrics.total_vcores == 80 and metrics.active_nodes == 10
    with pytest.raises(ValueError):
        parse_cluster.yarn_cluster_metrics({"metrics": {}})


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("10m", 600),
        ("1h", 3600),
        ("90s", 90),
        ("2 min", 120),
        ("1d", 86400),
        ("30000", 30),  # Livy's bare numbers are milliseconds
        ("1.5h", 5400),
        (None, None),
        ("", None),
        ("0s", None),
        ("-5m", None),
        ("10 parsecs", None),
        ("²m", None),
        ("٣m", None),  # other scripts' digits are not Livy's
        (True, None),
    ],
)
def test_livy_durations(text, seconds):
    assert parse.livy_duration_seconds(text) == seconds
