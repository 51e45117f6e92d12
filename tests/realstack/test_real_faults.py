"""Faults on the real endpoint: Livy killed and restarted (reusing session ids), a worker or
NodeManager lost and back."""

from __future__ import annotations

import os
import signal

import pytest
from stack import (
    REPO,
    endpoint_sh,
    in_thread,
    livy,
    long_job,
    session_in,
    start_sessions,
    wait_for,
)

PIDS = REPO / ".devstack" / "pids"


@pytest.fixture
def glue_config(glue_config):
    # Back off, but not for a minute, so recovery shows up within the test.
    return dict(glue_config, max_backoff=6.0, request_timeout=5.0)


def kill(component: str) -> None:
    pid = int((PIDS / f"{component}.pid").read_text())
    os.kill(pid, signal.SIGKILL)


def restart_livy(topology: str) -> None:
    for session in livy.list_sessions():
        livy.delete_session(session["id"])
    kill("livy")
    endpoint_sh("up", f"--{topology}", timeout=600)


def lose_worker(topology: str) -> None:
    """Standalone: the worker crashes (the master declares it dead after its timeout, and
    its executors live on as orphans). YARN: the NodeManager shuts down (its containers end)."""
    if topology == "yarn":
        endpoint_sh("stop-nm", timeout=120)
    else:
        kill("worker")


# How the devstack starts the worker alone, and what the extension says while there is none.
WORKERS = {
    "standalone": ("start-worker", "no alive Spark worker"),
    "yarn": ("start-nm", "no active YARN NodeManager"),
}


async def test_worker_lost_and_back(jp_fetch, running_poller, sessions, real_endpoint):
    start, problem = WORKERS[real_endpoint.topology]
    (busy,) = await start_sessions_once(sessions)
    statement = await in_thread(livy.submit, busy, long_job(400))
    await wait_for(
        jp_fetch,
        lambda s: session_in(s, busy).get("executors", 0) >= 2,
        240,
        "executors for the job",
    )

    await in_thread(lose_worker, real_endpoint.topology)
    try:
        lost = await wait_for(
            jp_fetch,
            lambda s: s["cluster"]["max_executors"] == 0 and s["cluster"]["workers"] == 0,
            120,
            "the cluster manager to declare the worker dead",
        )
        assert any(problem in p["message"] for p in lost["endpoint"]["problems"])
        assert lost["endpoint"]["reachable"] is True
    finally:
        # Whatever happened above, the tests after this one need a worker.
        await in_thread(endpoint_sh, start, timeout=600)
    back = await wait_for(
        jp_fetch,
        lambda s: s["cluster"]["max_executors"] >= 2 and not s["endpoint"]["problems"],
        240,
        "the worker back",
    )
    assert back["cluster"]["workers"] == 1
    if real_endpoint.topology == "standalone":
        # The driver outlived its worker: it runs jobs again on the new one.
        await in_thread(livy.cancel_statement, busy, statement)
        assert await in_thread(livy.run, busy, "sc.parallelize(range(12), 12).count()") == "12"


async def test_livy_killed_then_restarted_with_reused_ids(
    jp_fetch, running_poller, sessions, real_endpoint
):
    # A fresh Livy counts session ids from 0: the first session here gets the id that the
    # next restarted Livy will give again.
    await in_thread(restart_livy, real_endpoint.topology)
    (first,) = await start_sessions_once(sessions)
    before = await wait_for(
        jp_fetch, lambda s: session_in(s, first).get("app_id"), 60, "the session's app"
    )
    old_app = session_in(before, first)["app_id"]
    # A job that outlives Livy: its driver runs on, and holds executors nobody lists.
    await in_thread(livy.submit, first, long_job(2, seconds=240))
    await wait_for(
        jp_fetch, lambda s: session_in(s, first).get("executors") == 2, 180, "2 executors held"
    )

    await in_thread(kill, "livy")
    down = await wait_for(
        jp_fetch, lambda s: s["endpoint"]["reachable"] is False, 30, "Livy to be seen down"
    )
    assert down["endpoint"]["error_kind"] == "unreachable"
    assert down["endpoint"]["down_since"] is not None
    assert session_in(down, first)["stale"] is True  # last known picture, marked
    since = down["endpoint"]["down_since"]
    again = await wait_for(
        jp_fetch,
        lambda s: s["endpoint"]["polled_at"] != down["endpoint"]["polled_at"],
        30,
        "another poll while down",
    )
    assert again["endpoint"]["down_since"] == since

    await in_thread(endpoint_sh, "up", f"--{real_endpoint.topology}", timeout=600)
    up = await wait_for(jp_fetch, lambda s: s["endpoint"]["reachable"], 60, "Livy back")
    assert up["endpoint"]["down_since"] is None and up["endpoint"]["error"] is None
    sessions.clear()  # the restarted Livy forgot them (recovery off)
    if real_endpoint.topology == "yarn":
        await lost_session_held_outside_livy(jp_fetch, real_endpoint, old_app, first)

    # The new Livy counts from 0 again while the old driver still runs under the same name.
    (reused,) = await start_sessions_once(sessions)
    assert reused == first
    snapshot = await wait_for(
        jp_fetch,
        lambda s: session_in(s, reused).get("app_id") not in (None, old_app),
        60,
        "the new session matched to its own (newest) app",
    )
    assert not session_in(snapshot, reused).get("stale")
    await in_thread(real_endpoint.kill_app, old_app)


async def start_sessions_once(created):
    return await start_sessions(created, 1)


async def lost_session_held_outside_livy(jp_fetch, real_endpoint, app_id: str, sid: int) -> None:
    """The application of a session that Livy lost is shown holding capacity outside Livy,
    as YARN counts it."""
    snapshot = await wait_for(
        jp_fetch,
        lambda s: any(a["app_id"] == app_id for a in s["outside_livy"]),
        60,
        f"{app_id} shown outside Livy",
    )
    (outside,) = [a for a in snapshot["outside_livy"] if a["app_id"] == app_id]
    yarn = await in_thread(livy.get_json, f"{real_endpoint.cluster}/ws/v1/cluster/apps/{app_id}")
    assert outside["containers"] == yarn["app"]["runningContainers"] == 3, (outside, yarn)
    assert (outside["executors"], outside["name"]) == (2, f"livy-session-{sid}")
    assert (outside["user"], outside["queue"]) == (yarn["app"]["user"], "default")
    assert outside["url"].endswith(f"/cluster/app/{app_id}") and outside["since"]
    assert snapshot["cluster"]["executors_in_use"] >= 2
