"""Endpoint trouble is data: the snapshot says what is wrong and since when, and recovers."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from emulator import Fault


@pytest.fixture
def glue_config(glue_config):
    return dict(glue_config, request_timeout=1.0, connect_timeout=1.0)


def by_id(snapshot):
    return {s["id"]: s for s in snapshot["sessions"]}


@pytest.mark.parametrize(
    "fault, kind",
    [
        (Fault(status=500), "http"),
        (Fault(status=401), "auth"),
        (Fault(status=403), "auth"),
        (Fault(status=200, body='{"from": 0, "sessions": [tru'), "malformed"),
        (Fault(status=200, body='{"unexpected": 1}'), "malformed"),
        (Fault(status=200, body="<html>proxy error</html>"), "malformed"),
        (Fault(status=200, delay=3.0), "timeout"),
    ],
    ids=["500", "401", "403", "truncated", "wrong-shape", "html", "slow"],
)
async def test_livy_failure_is_reported_and_recovers(poller, clock, emulator, fault, kind):
    await poller.poll_once()
    emulator.scenario.faults["/sessions"] = fault
    clock.now += 5
    snapshot = await poller.poll_once()
    endpoint = snapshot["endpoint"]
    assert endpoint["reachable"] is False
    assert endpoint["error_kind"] == kind
    assert endpoint["error"].startswith("Livy: ")
    assert endpoint["down_since"] is not None
    # The last known sessions stay visible, marked stale.
    assert len(snapshot["sessions"]) == 3 and all(s["stale"] for s in snapshot["sessions"])
    since = endpoint["down_since"]
    clock.now += 5
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["down_since"] == since

    del emulator.scenario.faults["/sessions"]
    clock.now += 5
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["reachable"] is True
    assert snapshot["endpoint"]["error"] is None and snapshot["endpoint"]["down_since"] is None
    assert not any(s.get("stale") for s in snapshot["sessions"])


async def test_livy_unreachable_at_start(poller, emulator, clock):
    emulator.stop()
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["reachable"] is False
    assert snapshot["endpoint"]["error_kind"] == "unreachable"
    assert snapshot["sessions"] == []
    # The configured capacity model still answers.
    assert snapshot["cluster"]["source"] == "worker-type"
    assert snapshot["cluster"]["max_executors"] == 9
    assert poller._next_delay() > poller.config.poll_interval  # backing off


async def test_one_spark_ui_failing_leaves_the_others(poller, clock, emulator):
    app = emulator.scenario.app_id(0)
    emulator.scenario.faults[f"/proxy/{app}/"] = Fault(status=200, delay=3.0)
    snapshot = await poller.poll_once()
    sessions = by_id(snapshot)
    assert snapshot["endpoint"]["reachable"] is True
    assert "Spark UI" in sessions[0]["error"]
    assert sessions[1]["error"] is None and sessions[1]["pending_tasks"] == 40
    (problem,) = snapshot["endpoint"]["problems"]
    assert problem["source"] == "spark-ui" and problem["session"] == 0
    first_since = problem["since"]
    clock.now += 5
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["problems"][0]["since"] == first_since

    emulator.scenario.faults.clear()
    clock.now += 5
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["problems"] == []
    assert by_id(snapshot)[0]["error"] is None


async def test_session_vanishing_mid_poll(poller, emulator):
    # Listed by Livy, but its Spark app is already gone: 404 from the proxy.
    app = emulator.scenario.app_id(1)
    emulator.scenario.faults[f"/proxy/{app}/"] = Fault(status=404)
    snapshot = await poller.poll_once()
    sessions = by_id(snapshot)
    assert "404" in sessions[1]["error"]
    assert sessions[0]["executors"] == 9


async def test_malformed_spark_answers(poller, emulator):
    app = emulator.scenario.app_id(0)
    emulator.scenario.faults[f"/proxy/{app}/api/v1/applications/{app}/stages"] = Fault(
        status=200, body='{"not": "a list"}'
    )
    snapshot = await poller.poll_once()
    assert "not a list" in by_id(snapshot)[0]["error"]


async def test_cluster_api_failure_falls_back_to_worker_type_model(poller, emulator):
    emulator.scenario.faults["/ws/v1/cluster"] = Fault(status=500)
    snapshot = await poller.poll_once()
    assert snapshot["cluster"]["source"] == "worker-type"
    assert snapshot["cluster"]["max_executors"] == 9
    assert any(p["source"] == "yarn" for p in snapshot["endpoint"]["problems"])


async def test_unexpected_states_and_fields(poller, emulator):
    emulator.scenario.sessions[2].state = "some_future_state"
    snapshot = await poller.poll_once()
    assert by_id(snapshot)[2]["state"] == "some_future_state"


async def test_logs_once_per_change(poller, clock, emulator, caplog):
    caplog.set_level(logging.INFO)
    emulator.scenario.faults["/sessions"] = Fault(status=500)
    for _ in range(5):
        await poller.poll_once()
        clock.now += 5
    emulator.scenario.faults.clear()
    for _ in range(3):
        await poller.poll_once()
        clock.now += 5
    livy_lines = [m for m in caplog.messages if m.startswith("glue-sessions:") and "/sessions" in m]
    assert len(livy_lines) == 2, livy_lines  # down once, resolved once


async def test_poller_loop_runs_and_stops(jp_serverapp, jp_fetch, emulator):
    app = jp_serverapp.extension_manager.extension_apps["glue_sessions"]
    (extension,) = app
    await extension._start_jupyter_server_extension(jp_serverapp)
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    assert json.loads(response.body)["endpoint"]["reachable"] is True
    await extension.stop_extension()
    assert extension.poller._task is None


async def test_event_loop_stays_free_while_endpoint_is_slow(poller, emulator):
    emulator.scenario.faults["/sessions"] = Fault(status=200, delay=0.8)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    task = asyncio.ensure_future(ticker())
    await poller.poll_once()
    task.cancel()
    # The loop kept turning while the poll waited on the slow endpoint.
    assert ticks >= 5


def big_livy_answer(count: int) -> str:
    sessions = [
        {
            "id": i,
            "name": None,
            "appId": None,
            "state": "dead",
            "kind": "pyspark",
            "owner": "x" * 50,
            "appInfo": {},
            "log": ["line " * 20] * 5,
        }
        for i in range(count)
    ]
    return json.dumps({"from": 0, "total": count, "sessions": sessions})


async def test_very_large_livy_answer_is_read(poller, emulator):
    body = big_livy_answer(20_000)
    assert len(body) > 10_000_000
    emulator.scenario.faults["/sessions"] = Fault(status=200, body=body)
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["reachable"] is True
    assert len(snapshot["sessions"]) == 20_000
    assert {s["status"] for s in snapshot["sessions"]} == {"gone"}
