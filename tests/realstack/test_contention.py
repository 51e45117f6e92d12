"""Starvation, hoarding and the advice, on real Spark executors with dynamic allocation."""

from __future__ import annotations

import asyncio
import json
import time

from stack import (
    POLL,
    STARVATION,
    epoch,
    in_thread,
    livy,
    long_job,
    session_in,
    snapshot_of,
    start_sessions,
    starving_in_time,
    wait_for,
)


async def test_hog_starves_a_small_job_then_both_recover(jp_fetch, running_poller, sessions):
    hog, small = await start_sessions(sessions, 2)

    hog_statement = await in_thread(livy.submit, hog, long_job(600))
    # Every executor slot of the cluster, as it stands with both drivers in place (on YARN a
    # container that is still being set up can take a slot for a moment).
    full = await wait_for(
        jp_fetch,
        lambda s: session_in(s, hog).get("executors") == s["cluster"]["max_executors"] >= 2,
        240,
        f"livy-session-{hog} to hold every executor",
    )
    capacity = full["cluster"]["max_executors"]
    small_statement = await in_thread(livy.submit, small, long_job(6))
    waiting = await wait_for(
        jp_fetch,
        lambda s: (session_in(s, small).get("pending_tasks") or 0) > 0,
        60,
        "the small job's tasks to be pending",
    )
    assert session_in(waiting, small)["executors"] == 0
    noticed = time.monotonic()

    starving = await starving_in_time(jp_fetch, small, noticed)
    victim, culprit = session_in(starving, small), session_in(starving, hog)
    assert victim["starved_by"] == [hog]
    assert culprit["status"] == "hogging" and culprit["starving"] == [small]
    assert culprit["executors"] == capacity and culprit["share"] == 1.0
    (entry,) = [e for e in starving["starvation"] if e["session"] == small]
    # The edges are sent once, in the sessions (victim["starved_by"] above).
    assert "by" not in entry and entry["deficit_executors"] >= 1
    assert victim["culprits"] == [hog]
    advice = [a for a in starving["advice"] if a["session"] == hog]
    assert advice and "spark.dynamicAllocation.maxExecutors" in advice[0]["configure"]
    conf = json.loads(advice[0]["configure"].split("\n", 1)[1])
    assert int(conf["conf"]["spark.dynamicAllocation.maxExecutors"]) == capacity // 2

    # The hog's job ends: its executors go idle, are released, and the small job runs.
    await in_thread(livy.cancel_statement, hog, hog_statement)
    await in_thread(livy.wait_statement, small, small_statement, 300)
    recovered = await wait_for(
        jp_fetch,
        lambda s: (
            not s["starvation"]
            and session_in(s, small).get("status") not in ("starving", "waiting")
            and session_in(s, hog).get("status") != "hogging"
        ),
        120,
        "both sessions back to normal",
    )
    assert session_in(recovered, small)["starved_by"] == []


async def test_cached_data_pins_executors_idle_hoarding(jp_fetch, running_poller, sessions):
    (hoarder,) = await start_sessions(sessions, 1)
    await in_thread(
        livy.run,
        hoarder,
        "df = spark.range(0, 3000000, 1, 6).selectExpr('id', 'id * 2 as x').cache()\ndf.count()",
        300,
    )
    snapshot = await wait_for(
        jp_fetch,
        lambda s: session_in(s, hoarder).get("status") == "idle-hoarding",
        180,
        f"livy-session-{hoarder} to be idle-hoarding",
    )
    s = session_in(snapshot, hoarder)
    assert s["executors"] >= 1 and s["running_tasks"] == 0
    assert any(a["session"] == hoarder and a["configure"] is None for a in snapshot["advice"])


async def test_advised_max_executors_removes_the_contention(jp_fetch, running_poller, sessions):
    # Capacity with both sessions' drivers in place (on YARN each takes a container), then the
    # advised restart of one of them with the cap, as %%configure -f does.
    first, other = await start_sessions(sessions, 2)
    capacity = (await snapshot_of(jp_fetch))["cluster"]["max_executors"]
    cap = capacity // 2
    await in_thread(livy.delete_session, first)
    (capped,) = await start_sessions(
        sessions, 1, {"spark.dynamicAllocation.maxExecutors": str(cap)}
    )
    statement = await in_thread(livy.submit, capped, long_job(300))
    await wait_for(
        jp_fetch,
        lambda s: session_in(s, capped).get("executors") == cap,
        240,
        f"the capped session to hold its {cap} executors",
    )
    other_statement = await in_thread(livy.submit, other, long_job(6))
    started = time.monotonic()
    seen = []
    while time.monotonic() - started < STARVATION + 4 * POLL:
        snapshot = await snapshot_of(jp_fetch)
        seen.append(
            (
                session_in(snapshot, other).get("status"),
                [
                    (x["id"], x["executors"], x["need"], x["fair_share"], x["status"])
                    for x in snapshot["sessions"]
                ],
                snapshot["cluster"]["executors_in_use"],
            )
        )
        assert session_in(snapshot, capped)["executors"] <= cap
        await asyncio.sleep(1)
    statuses = [status for status, _, _ in seen]
    assert "starving" not in statuses, [x for x in seen if x[0] not in ("idle", "ok")][:3]
    result = await in_thread(livy.wait_statement, other, other_statement, 120)
    assert result["output"]["status"] == "ok"
    assert session_in(snapshot, capped)["max_executors"] == cap
    await in_thread(livy.cancel_statement, capped, statement)


async def test_counts_equal_the_cluster_managers_own(
    jp_fetch, running_poller, sessions, real_endpoint
):
    """Executors held are what the cluster manager granted (starting ones included) at each
    poll once its count has been stable for one poll interval, and never shown as free."""
    (busy,) = await start_sessions(sessions, 1)
    known = await wait_for(jp_fetch, lambda s: session_in(s, busy).get("app_id"), 60, "the app")
    app_id = session_in(known, busy)["app_id"]
    statement = await in_thread(livy.submit, busy, long_job(200))
    compared = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        before = time.time()
        granted = await in_thread(real_endpoint.executors_granted, app_id)
        in_use = await in_thread(real_endpoint.executors_in_use)
        # A poll that started after that read; a slow cycle (Spark UIs of a busy app) can take
        # longer than the interval, so wait for it rather than for a fixed time.
        snapshot = await wait_for(
            jp_fetch, lambda s, t=before: epoch(s["endpoint"]["polled_at"]) > t, 30, "a later poll"
        )
        granted_after = await in_thread(real_endpoint.executors_granted, app_id)
        in_use_after = await in_thread(real_endpoint.executors_in_use)
        if (granted, in_use) != (granted_after, in_use_after):
            continue  # changing under us: the next poll will tell
        mine = session_in(snapshot, busy)
        compared.append(
            (granted, mine["executors"], in_use, snapshot["cluster"]["executors_in_use"])
        )
        assert mine["executors"] == granted, compared
        assert snapshot["cluster"]["executors_in_use"] == in_use, compared
    await in_thread(livy.cancel_statement, busy, statement)
    assert len(compared) >= 5, compared
    assert any(g > 0 for g, *_ in compared), compared
