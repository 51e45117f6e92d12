"""The extension inside a real Jupyter server, against the endpoint emulator."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from emulator import seed_scenario


async def snapshot_of(jp_fetch):
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    assert response.code == 200
    return json.loads(response.body)


async def poll_until(poller, clock, seconds, step=5.0):
    end = clock.now + seconds
    while clock.now < end:
        await poller.poll_once()
        clock.now += step
    return await poller.poll_once()


def by_id(snapshot):
    return {s["id"]: s for s in snapshot["sessions"]}


def assert_seed_story(snapshot):
    sessions = by_id(snapshot)
    assert sessions[0]["executors"] == 9 and sessions[0]["share"] == 1.0
    assert sessions[1]["executors"] == 0 and sessions[1]["pending_tasks"] == 40
    assert sessions[1]["status"] == "starving", sessions[1]
    assert sessions[1]["starved_by"] == [0]
    assert sessions[0]["status"] == "hogging"
    assert sessions[0]["starving"] == [1]
    assert sessions[2]["status"] == "idle"
    assert snapshot["cluster"]["max_executors"] == 9
    (starvation,) = snapshot["starvation"]
    assert starvation["session"] == 1 and "by" not in starvation  # the edges: starved_by
    assert starvation["deficit_executors"] == 4.5
    cells = [a["configure"] for a in snapshot["advice"] if a["session"] == 0]
    assert cells and '"spark.dynamicAllocation.maxExecutors": "4"' in cells[0]


@pytest.mark.parametrize(
    "scenario", [seed_scenario("yarn"), seed_scenario("standalone")], ids=["yarn", "standalone"]
)
async def test_seed_story_in_both_modes(jp_fetch, poller, clock, scenario):
    await poller.poll_once()
    first = by_id(await snapshot_of(jp_fetch))
    assert first[1]["status"] == "waiting"
    await poll_until(poller, clock, 31)
    snapshot = await snapshot_of(jp_fetch)
    assert_seed_story(snapshot)
    expected_source = "yarn" if scenario.mode == "yarn" else "spark-master"
    assert snapshot["cluster"]["source"] == expected_source
    if scenario.mode == "standalone":
        assert by_id(snapshot)[0]["app_id"].startswith("app-")


async def test_requests_per_cycle(poller, emulator):
    emulator.requests.clear()
    await poller.poll_once()
    # The first cycle reads each app's environment (its executor size) once.
    assert sum(r.endswith("/environment") for r in emulator.requests) == 3
    emulator.requests.clear()
    await poller.poll_once()
    livy = [r for r in emulator.requests if r.startswith("/sessions")]
    spark = [r for r in emulator.requests if r.startswith("/proxy/")]
    yarn = [r for r in emulator.requests if r.startswith("/ws/v1/cluster/")]
    assert len(livy) == 1
    # Executors and stages of each busy session; only the executors of the idle one.
    assert len(spark) == 2 * 2 + 1
    assert sum("/stages" in r for r in spark) == 2
    assert sorted(r.split("?")[0] for r in yarn) == [
        "/ws/v1/cluster/apps",
        "/ws/v1/cluster/metrics",
    ]


async def test_idle_session_with_running_tasks_reads_stages(poller, emulator):
    emulator.scenario.sessions[2].executors = 1
    emulator.scenario.sessions[2].running_tasks = 2
    emulator.scenario.sessions[2].pending_tasks = 3
    snapshot = await poller.poll_once()
    idle = by_id(snapshot)[2]
    assert (idle["running_tasks"], idle["pending_tasks"]) == (2, 3)


async def test_etag_makes_unchanged_snapshot_cheap(jp_fetch, poller, clock):
    await poller.poll_once()
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    etag = response.headers["Etag"]
    clock.now += 5
    await poller.poll_once()
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch("glue-sessions", "api", "snapshot", headers={"If-None-Match": etag})
    assert error.value.code == 304


async def test_history_ring(jp_fetch, poller, clock, emulator):
    for _ in range(3):
        await poller.poll_once()
        clock.now += 5
    emulator.scenario.sessions[0].executors = 5
    await poller.poll_once()
    response = await jp_fetch("glue-sessions", "api", "history")
    history = json.loads(response.body)
    assert history["poll_interval"] == 1.0
    assert len(history["times"]) == 4
    assert history["series"]["0"] == [9, 9, 9, 5]
    assert history["series"]["1"] == [0, 0, 0, 0]


async def test_history_of_a_session_that_comes_and_goes(poller):
    from glue_sessions.serve.poller import History

    history = History(maxlen=3)
    for t, counts in enumerate([{1: 2}, {1: 3, 2: 0}, {2: 1}, {2: 1}, {2: 4}]):
        history.add(float(t), counts)
    assert history.as_json(5.0)["series"] == {"2": [1, 1, 4]}
    history.add(5.0, {1: 7})
    assert history.as_json(5.0) == {
        "poll_interval": 5.0,
        "times": [3.0, 4.0, 5.0],
        "series": {"1": [None, None, 7], "2": [1, 4, None]},
        "capacity": [None, None, None],  # the chart's fields (tests/test_history.py)
        "starving": {},
    }
    assert history.samples[-1] == (5.0, {1: 7})
    encoded = json.dumps(history.as_json(5.0), separators=(",", ":")).encode()
    assert await history.body(5.0) == encoded


async def test_history_is_bounded(poller, clock):
    poller.history.maxlen = 5
    for _ in range(12):
        await poller.poll_once()
        clock.now += 1
    assert len(poller.history.samples) == 5


async def test_handlers_require_auth(jp_fetch):
    for path in ("snapshot", "history", "openapi.yaml"):
        with pytest.raises(HTTPClientError) as error:
            await jp_fetch("glue-sessions", "api", path, headers={"Authorization": ""})
        assert error.value.code == 403


async def test_openapi_served(jp_fetch):
    response = await jp_fetch("glue-sessions", "api", "openapi.yaml")
    assert b"/glue-sessions/api/snapshot" in response.body


async def test_emulator_control_api(emulator, poller):
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient()
    url = f"{emulator.base_url}/_emulator/sessions/7"
    await client.fetch(url, method="POST", body=json.dumps({"state": "busy", "executors": 2}))
    await client.fetch(url, method="POST", body=json.dumps({"pending_tasks": 5}))
    snapshot = await poller.poll_once()
    seven = by_id(snapshot)[7]
    assert seven["executors"] == 2 and seven["pending_tasks"] == 5
    await client.fetch(url + "/delete", method="POST", body="{}")
    assert 7 not in by_id(await poller.poll_once())
