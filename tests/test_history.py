"""The history's chart fields (docs/timeline.md): per sample the cluster's capacity, and per
session the sample ranges in which it was starving; aligned with `times`, gap markers included."""

from __future__ import annotations

import asyncio
import json

import pytest

from glue_sessions.serve.history import History

FULL, IDLE = 5.0, 60.0


@pytest.fixture
def glue_config(glue_config):
    return dict(
        glue_config,
        poll_interval=FULL,
        idle_poll_interval=IDLE,
        watch_seconds=60.0,
        starvation_seconds=10.0,
    )


def encoded(history: History, poll_interval: float = 5.0) -> dict:
    return json.loads(asyncio.run(history.body(poll_interval, chunk=2)))


def test_capacity_and_starving_ranges_are_aligned_with_times():
    history = History(maxlen=100)
    history.add(0.0, {1: 9, 2: 0}, capacity=9, starving=())
    history.add(5.0, {1: 9, 2: 0}, capacity=9, starving=(2,))
    history.add(10.0, {1: 9, 2: 0, 3: 0}, capacity=9, starving=(2, 3))
    history.add(15.0, {1: 9, 2: 0, 3: 0}, capacity=None, starving=(3,))
    answer = history.as_json(5.0)
    assert answer["capacity"] == [9, 9, 9, None]
    assert answer["starving"] == {"2": [[1, 3]], "3": [[2, 4]]}
    assert encoded(history) == answer


def test_a_gap_marker_breaks_a_starving_range_and_has_no_capacity():
    history = History(maxlen=100)
    history.add(0.0, {1: 9, 2: 0}, capacity=9, starving=(2,))
    history.add(5.0, {1: 9, 2: 0}, capacity=9, starving=(2,))
    history.add(70.0, {1: 9, 2: 0}, gap_after=10.0, capacity=9, starving=(2,))
    answer = history.as_json(5.0)
    assert answer["times"] == [0.0, 5.0, 10.0, 70.0]
    assert answer["capacity"] == [9, 9, None, 9]
    assert answer["starving"] == {"2": [[0, 2], [3, 4]]}
    assert encoded(history) == answer


def test_ranges_follow_the_ring_when_old_samples_go():
    history = History(maxlen=3)
    for k in range(5):
        history.add(float(k), {1: 0}, capacity=4 + k, starving=(1,) if k in (1, 2, 4) else ())
    answer = history.as_json(1.0)
    assert answer["times"] == [2.0, 3.0, 4.0]
    assert answer["capacity"] == [6, 7, 8]
    assert answer["starving"] == {"1": [[0, 1], [2, 3]]}


def test_an_empty_history_has_empty_chart_fields():
    answer = encoded(History(maxlen=10))
    assert answer == {
        "poll_interval": 5.0,
        "times": [],
        "series": {},
        "capacity": [],
        "starving": {},
    }


async def test_the_poller_records_capacity_and_starvation_across_a_gap(demand, clock, emulator):
    # Seed scenario: livy-session-0 holds the 9 executors, livy-session-1 is short of its share.
    for _ in range(4):
        await demand.poll_once()
        clock.now += FULL
    clock.now += IDLE  # unobserved: the starvation timer restarts after it
    for _ in range(4):
        await demand.poll_once()
        clock.now += FULL
    answer = json.loads(await demand.history.body(FULL))
    times, capacity = answer["times"], answer["capacity"]
    assert len(times) == len(capacity) == 9
    marker = 4
    assert all(series[marker] is None for series in answer["series"].values())
    assert capacity[marker] is None
    assert [c for k, c in enumerate(capacity) if k != marker] == [9] * 8
    # Starving from starvation_seconds after the first poll, and again only that long after
    # the first poll after the gap: never across it.
    assert answer["starving"] == {"1": [[2, 4], [7, 9]]}
