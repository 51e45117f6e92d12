"""Demand-driven polling: full rate while watched, slow otherwise, a fresh answer
at wake-up, and history and timers that stay honest across the slow gaps (docs/polling.md)."""

from __future__ import annotations

import asyncio
import json

import pytest
from test_analysis import observe, session

from glue_sessions.config import AnalysisConfig
from glue_sessions.decide.analysis import AnalysisState, analyze
from glue_sessions.decide.entries import iso
from glue_sessions.serve.history import History

FULL, IDLE, WATCH = 5.0, 60.0, 60.0


@pytest.fixture
def glue_config(glue_config):
    return dict(glue_config, poll_interval=FULL, idle_poll_interval=IDLE, watch_seconds=WATCH)


async def settled(poller, clock):
    """Until the loop has polled at the clock's current time and sleeps again."""
    for _ in range(500):
        if poller._sleeping and poller._last_cycle_end == clock.now and poller._fresh is None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the poll loop did not settle")


async def wake_and_settle(poller, clock):
    """What the loop's timer does when the planned time has come (the wait is real time)."""
    poller._wake.set()
    await settled(poller, clock)


def livy_calls(emulator) -> int:
    return sum(r.startswith("/sessions") for r in emulator.requests)


async def get(jp_fetch, what="snapshot"):
    response = await jp_fetch("glue-sessions", "api", what)
    return json.loads(response.body)


async def test_idle_then_a_read_brings_full_rate_and_a_fresh_answer(
    demand, clock, emulator, jp_fetch
):
    demand.start()  # the start counts as a read
    await settled(demand, clock)
    assert demand.rate == "full" and demand._next_delay() == FULL
    assert demand.snapshot["endpoint"]["polling"] == "full"
    assert demand.snapshot["endpoint"]["polling_interval"] == FULL

    # Nobody reads for longer than the window: the next poll plans the slow rate.
    clock.now += WATCH + 1
    assert demand.rate == "idle"
    await wake_and_settle(demand, clock)
    assert demand._planned_rate == "idle" and demand._next_delay() == IDLE
    endpoint = demand.snapshot["endpoint"]
    assert (endpoint["polling"], endpoint["polling_interval"]) == ("idle", IDLE)
    idle_polled_at = endpoint["polled_at"]

    # 30 s later (half the slow interval, six full ones) a panel opens: it is answered with
    # a poll made for it, not the 30 s old snapshot, and the rate is full again.
    clock.now += 30
    before = livy_calls(emulator)
    snapshot = await get(jp_fetch)
    assert snapshot["endpoint"]["polled_at"] == iso(clock.now) != idle_polled_at
    assert snapshot["endpoint"]["polling"] == "full"
    assert livy_calls(emulator) == before + 1
    assert demand.rate == "full" and demand._planned_rate == "full"

    # At full rate a read never waits for a poll: the snapshot is at most an interval old.
    clock.now += 2
    snapshot = await get(jp_fetch)
    assert snapshot["endpoint"]["polled_at"] == iso(clock.now - 2)
    assert livy_calls(emulator) == before + 1


async def test_concurrent_readers_share_one_wake_up_poll(demand, clock, emulator, jp_fetch):
    demand.start()
    await settled(demand, clock)
    clock.now += WATCH + 1
    await wake_and_settle(demand, clock)
    assert demand._planned_rate == "idle"

    clock.now += 45
    before = livy_calls(emulator)
    answers = await asyncio.gather(
        get(jp_fetch), get(jp_fetch), get(jp_fetch), get(jp_fetch, "history")
    )
    assert livy_calls(emulator) == before + 1
    for snapshot in answers[:3]:
        assert snapshot["endpoint"]["polled_at"] == iso(clock.now)
    assert answers[3]["times"][-1] == pytest.approx(clock.now)


async def test_a_read_soon_after_a_slow_poll_does_not_poll_again(demand, clock, emulator, jp_fetch):
    demand.start()
    await settled(demand, clock)
    clock.now += WATCH + 1
    await wake_and_settle(demand, clock)
    clock.now += 2  # the slow poll is 2 s old: fresh enough
    before = livy_calls(emulator)
    snapshot = await get(jp_fetch)
    assert snapshot["endpoint"]["polled_at"] == iso(clock.now - 2)
    assert livy_calls(emulator) == before
    # ... but the loop plans again at the full rate: the next poll is 3 s away, not 58.
    await asyncio.sleep(0.05)
    assert demand._planned_rate == "full"


async def test_wake_up_answers_what_it_has_when_the_poll_is_slow(demand, clock, emulator, jp_fetch):
    from emulator import Fault

    demand.start()
    await settled(demand, clock)
    clock.now += WATCH + 1
    await wake_and_settle(demand, clock)
    clock.now += 30
    old = demand.snapshot["endpoint"]["polled_at"]
    emulator.scenario.faults["/sessions"] = Fault(status=200, delay=3.0)
    demand.fetcher.request_timeout = 5.0
    read = asyncio.ensure_future(demand.read(timeout=0.3))
    await asyncio.wait_for(read, 2)  # bounded by the timeout, not by the slow Livy
    assert demand.snapshot["endpoint"]["polled_at"] == old
    emulator.scenario.faults.clear()


async def test_a_live_session_of_our_notebook_keeps_full_rate(demand, clock, emulator):
    ours = {1: {"path": "work.ipynb", "kernel_id": "k-1"}}

    async def notebooks(ids):
        return {i: ours[i] for i in ids if i in ours}

    demand.notebooks = notebooks
    demand.start()
    await settled(demand, clock)
    clock.now += WATCH + 1  # nobody reads the API ...
    await wake_and_settle(demand, clock)
    # ... but bob's notebook on this server has a live session: full rate.
    assert demand.rate == "full" and demand.snapshot["endpoint"]["polling"] == "full"
    assert demand._planned_rate == "full"

    emulator.scenario.sessions[1].state = "dead"  # the session ends
    clock.now += FULL
    await wake_and_settle(demand, clock)
    assert demand.rate == "idle" and demand.snapshot["endpoint"]["polling"] == "idle"


async def test_slowing_down_can_be_turned_off(poller, clock, monkeypatch):
    poller.config.idle_poll_interval = 0.0
    poller.monotonic = clock
    poller.start()
    try:
        clock.now += 3600
        assert poller.rate == "full" and poller.idle_interval == poller.config.poll_interval
    finally:
        task, poller._task = poller._task, None
        task.cancel()


# -- history and timers across a gap ---------------------------------------------------------


async def test_history_marks_a_slow_gap_with_a_null_sample(demand, clock, emulator, jp_fetch):
    t0 = clock.now
    for _ in range(3):
        await demand.poll_once()
        clock.now += FULL
    clock.now += IDLE  # slow: one poll a minute
    await demand.poll_once()
    history = await get(jp_fetch, "history")
    times = history["times"]
    assert times == [t0, t0 + 5, t0 + 10, t0 + 15, t0 + 75]
    # The marker sits one full interval after the last sample before the gap: every series
    # is null there, so no line joins 10 s and 75 s.
    assert history["series"]["0"] == [9, 9, 9, None, 9]
    assert all(series[3] is None for series in history["series"].values())


async def test_livy_down_is_a_gap_too(demand, clock, emulator):
    from emulator import Fault

    await demand.poll_once()
    emulator.scenario.faults["/sessions"] = Fault(status=500)
    for _ in range(4):
        clock.now += FULL
        await demand.poll_once()
    emulator.scenario.faults.clear()
    clock.now += FULL
    snapshot = await demand.poll_once()
    assert snapshot["endpoint"]["observed_since"] == iso(clock.now)
    assert len(demand.history.times) == 3 and demand.history.series[0][1] is None


def test_history_gap_marker_and_age_bound():
    history = History(maxlen=100, max_age=60)
    history.add(0.0, {1: 2})
    history.add(5.0, {1: 2})
    history.add(70.0, {1: 3}, gap_after=10.0)
    assert list(history.times) == [10.0, 70.0]  # the two first are older than 60 s
    assert list(history.series[1]) == [None, 3]
    # A marker never lands outside the gap it marks.
    history.add(72.0, {1: 3}, gap_after=80.0)
    assert list(history.times) == [70.0, 71.0, 72.0]  # the marker at 10 s aged out


async def test_starvation_timer_restarts_after_a_gap(demand, clock, jp_fetch):
    for _ in range(7):  # 30 s at the full rate: bob starves
        await demand.poll_once()
        clock.now += FULL
    snapshot = await demand.poll_once()
    bob = {s["id"]: s for s in snapshot["sessions"]}[1]
    assert bob["status"] == "starving"
    first_seen = snapshot["endpoint"]["observed_since"]

    clock.now += IDLE  # one slow minute nobody saw
    snapshot = await demand.poll_once()
    bob = {s["id"]: s for s in snapshot["sessions"]}[1]
    # Short on both sides of the gap, but only observed short since this poll.
    assert bob["status"] == "waiting" and bob["status_since"] == iso(clock.now)
    assert snapshot["starvation"] == []
    assert snapshot["endpoint"]["observed_since"] == iso(clock.now) != first_seen
    restarted = clock.now

    for _ in range(6):
        clock.now += FULL
        snapshot = await demand.poll_once()
    (starvation,) = snapshot["starvation"]
    assert starvation["session"] == 1 and starvation["since"] == iso(restarted)


def test_hoarding_timer_restarts_after_a_gap():
    config = AnalysisConfig(starvation_seconds=30, idle_hoarding_seconds=60, poll_interval=5)
    hoarder = [session(0, 3, running=0, pending=0)]
    state = AnalysisState()
    for t in range(0, 35, 5):
        _, state = analyze(observe(t, hoarder), state, config)
    gap = observe(95, hoarder)
    gap.after_gap = True  # 30..95 unobserved: 95 s since the first idle poll, 0 observed
    snapshot, state = analyze(gap, state, config)
    assert snapshot["sessions"][0]["status"] != "idle-hoarding"
    for t in range(100, 155, 5):
        snapshot, state = analyze(observe(t, hoarder), state, config)
    assert snapshot["sessions"][0]["status"] != "idle-hoarding"  # 55 s observed
    snapshot, state = analyze(observe(155, hoarder), state, config)
    assert snapshot["sessions"][0]["status"] == "idle-hoarding"  # 60 s since the gap
    assert snapshot["sessions"][0]["status_since"] == iso(155)
