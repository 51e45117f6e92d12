"""Sessions that cannot start, on the real YARN with the real Livy in cluster mode: a driver is a
container, so a hog that takes every container, or a queue at its AM-resource limit, keeps the
next notebook's application ACCEPTED with no AM container while Livy says `starting`."""

from __future__ import annotations

import json
import time

import pytest
from stack import (
    in_thread,
    livy,
    long_job,
    session_in,
    start_sessions,
    starving_in_time,
    wait_for,
)

YARN_ONLY = pytest.mark.parametrize("real_endpoint", ["yarn"], indirect=True)
AM_PERCENT = "yarn.scheduler.capacity.maximum-am-resource-percent"


def yarn_app(real_endpoint, app_id: str) -> dict:
    """YARN's own view of an application."""
    return livy.get_json(f"{real_endpoint.cluster}/ws/v1/cluster/apps/{app_id}")["app"]


async def first_seen_blocked(jp_fetch, sid: int, reason: str) -> tuple[dict, float]:
    """The first snapshot that shows `sid` unable to start for `reason`, and when it came."""
    snapshot = await wait_for(
        jp_fetch,
        lambda s: session_in(s, sid).get("cannot_start") == reason,
        120,
        f"livy-session-{sid} shown unable to start ({reason})",
    )
    return snapshot, time.monotonic()


@YARN_ONLY
async def test_a_hog_keeps_a_new_session_from_starting(
    jp_fetch, running_poller, sessions, real_endpoint
):
    (hog,) = await start_sessions(sessions, 1)
    hog_statement = await in_thread(livy.submit, hog, long_job(900))
    await wait_for(
        jp_fetch,
        lambda s: session_in(s, hog).get("executors") == s["cluster"]["max_executors"] >= 2,
        240,
        f"livy-session-{hog} to hold every executor YARN can give",
    )
    blocked = await in_thread(livy.create_session, "pyspark")
    sessions.append(blocked)

    shown, noticed = await first_seen_blocked(jp_fetch, blocked, "cluster-full")
    s = session_in(shown, blocked)
    assert s["status"] in ("waiting", "starving") and s["state"] in ("starting", "not_started")
    assert s["culprits"] == [hog] and s["need"] >= 1 and s["executors"] == 0
    app = await in_thread(yarn_app, real_endpoint, s["app_id"])
    # YARN's own numbers: ACCEPTED, no container at all, and its words are shown.
    assert (app["state"], app["runningContainers"]) == ("ACCEPTED", 0), app
    assert "waiting for resources to be assigned for AM" in s["diagnostics"]
    assert app["diagnostics"].startswith(s["diagnostics"][:120])

    starving = await starving_in_time(jp_fetch, blocked, noticed)
    victim, culprit = session_in(starving, blocked), session_in(starving, hog)
    assert victim["starved_by"] == [hog] and victim["state"] in ("starting", "not_started")
    assert culprit["status"] == "hogging" and culprit["starving"] == [blocked]
    assert [e["session"] for e in starving["starvation"]] == [blocked]
    (advice,) = [a for a in starving["advice"] if a["session"] == hog]
    assert f"livy-session-{blocked} cannot start" in advice["reason"]
    cap = int(
        json.loads(advice["configure"].split("\n", 1)[1])["conf"][
            "spark.dynamicAllocation.maxExecutors"
        ]
    )
    assert 1 <= cap < culprit["executors"]

    # The advised cell: %%configure -f ends the hog's session and starts it again, capped.
    await in_thread(livy.cancel_statement, hog, hog_statement)
    await in_thread(livy.delete_session, hog)
    (capped,) = await start_sessions(
        sessions, 1, {"spark.dynamicAllocation.maxExecutors": str(cap)}
    )
    await in_thread(livy.wait_state, blocked, ("idle",), 300)
    statement = await in_thread(livy.submit, capped, long_job(300))
    both = await wait_for(
        jp_fetch,
        lambda s: (
            session_in(s, capped).get("executors") == cap
            and session_in(s, blocked).get("status") not in ("waiting", "starving")
        ),
        240,
        "the capped session running beside the one that could not start",
    )
    assert session_in(both, blocked)["cannot_start"] is None
    await in_thread(livy.cancel_statement, capped, statement)


@YARN_ONLY
async def test_the_queues_am_limit_is_told_apart_from_a_full_cluster(
    jp_fetch, running_poller, sessions, real_endpoint
):
    (idle,) = await start_sessions(sessions, 1)
    # YARN lets a queue's first application in whatever the limit; the next one waits.
    await in_thread(livy.set_scheduler_conf, real_endpoint.cluster, AM_PERCENT, "0.1")
    try:
        blocked = await in_thread(livy.create_session, "pyspark")
        sessions.append(blocked)
        shown, noticed = await first_seen_blocked(jp_fetch, blocked, "am-limit")
        s = session_in(shown, blocked)
        assert "AM resource limit exceeded" in s["diagnostics"]
        assert s["culprits"] == [idle] and s["queue"] == "default"
        # The cluster has room: this is not a full cluster, and nobody is a hog.
        assert shown["cluster"]["max_executors"] > shown["cluster"]["executors_in_use"]
        starving = await starving_in_time(jp_fetch, blocked, noticed)
        assert session_in(starving, blocked)["starved_by"] == [idle]
        assert session_in(starving, idle)["starving"] == [blocked]
        assert all(x["status"] != "hogging" for x in starving["sessions"])
        (advice,) = [a for a in starving["advice"] if a["session"] == blocked]
        assert advice["configure"] is None
        assert f"Stop livy-session-{idle}" in advice["text"] and AM_PERCENT in advice["reason"]
    finally:
        await in_thread(livy.set_scheduler_conf, real_endpoint.cluster, AM_PERCENT, "0.5")
    # The limit raised again, YARN lets the driver in.
    await in_thread(livy.wait_state, blocked, ("idle",), 300)
