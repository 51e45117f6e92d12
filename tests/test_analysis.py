"""The definitions of README.md ("How it decides"), on observations built by hand (no I/O)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glue_sessions.client.http import FetchError
from glue_sessions.config import AnalysisConfig
from glue_sessions.decide.analysis import AnalysisState, analyze
from glue_sessions.decide.fairness import configure_cell, executors_needed, max_min_fair
from glue_sessions.observe.capacity import glue_max_executors, worker_type_cluster
from glue_sessions.observe.model import Observation, SessionObservation

CONFIG = AnalysisConfig(starvation_seconds=30, idle_hoarding_seconds=60, poll_interval=5)


def session(id, executors, running, pending, state="busy", per_executor=8, **kw):
    return SessionObservation(
        id=id,
        state=state,
        app_name=f"livy-session-{id}",
        app_id=f"application_1_{id:04d}",
        kind="pyspark",
        owner=kw.pop("owner", None),
        executors=executors,
        cores=executors * per_executor,
        memory_mb=executors * 10240,
        running_tasks=running,
        pending_tasks=pending,
        tasks_per_executor=per_executor,
        **kw,
    )


def observe(t, sessions, cluster=None):
    return Observation(
        polled_at=t,
        livy_url="http://livy:8998",
        mode="yarn",
        cluster=cluster or worker_type_cluster("G.1X", 10),
        sessions=sessions,
    )


def seed_sessions():
    # The seed: 10 G.1X workers -> 9 executors. One session holds all 9 with hundreds of
    # pending tasks; a second has 40 pending tasks and none.
    return [
        session(0, 9, running=72, pending=428, owner="alice"),
        session(1, 0, running=0, pending=40, owner="bob"),
    ]


def run(observations, state=None):
    state = state or AnalysisState()
    snapshot = None
    for obs in observations:
        snapshot, state = analyze(obs, state, CONFIG)
    return snapshot, state


def by_id(snapshot):
    return {s["id"]: s for s in snapshot["sessions"]}


def test_glue_capacity_model():
    assert glue_max_executors("G.1X", 10) == 9
    assert glue_max_executors("G.2X", 10) == 9
    assert glue_max_executors("Standard", 5) == 7
    cluster = worker_type_cluster("G.2X", 4)
    assert (cluster.max_executors, cluster.executor_cores, cluster.executor_memory_mb) == (
        3,
        16,
        20480,
    )
    with pytest.raises(ValueError):
        glue_max_executors("G.8X", 3)


def test_need_follows_spark_allocation_manager():
    assert executors_needed(0, 40, 8, None) == 5
    assert executors_needed(72, 428, 8, None) == 63
    assert executors_needed(72, 428, 8, 4) == 4
    assert executors_needed(0, 0, 8, None) == 0
    assert executors_needed(1, 0, 0, None) == 1  # never divide by zero


def test_seed_scenario_second_session_starves_after_threshold():
    first, state = run([observe(0, seed_sessions())])
    sessions = by_id(first)
    # Short but not yet for starvation_seconds: waiting, not starving.
    assert sessions[1]["status"] == "waiting"
    assert sessions[0]["status"] == "hogging"
    assert first["starvation"] == []

    snapshot, state = run([observe(t, seed_sessions()) for t in (10, 20, 31)], state)
    sessions = by_id(snapshot)
    assert sessions[1]["status"] == "starving"
    assert sessions[1]["starved_by"] == [0]
    assert sessions[0]["status"] == "hogging"
    assert sessions[0]["starving"] == [1]
    assert sessions[0]["share"] == 1.0
    assert sessions[0]["need"] == 63 and sessions[1]["need"] == 5
    assert sessions[0]["fair_share"] == 4.5 and sessions[1]["fair_share"] == 4.5
    (entry,) = snapshot["starvation"]
    # The edges are sent once, in the sessions: the entry says only how short, since when.
    assert entry == {"session": 1, "deficit_executors": 4.5, "since": "1970-01-01T00:00:00Z"}
    # The holder's weight: executors above its fair share.
    assert sessions[0]["executors"] - sessions[0]["fair_share"] == 4.5
    # The server names the culprits of a short session (waiting or starving), no one else's.
    assert sessions[1]["culprits"] == [0] and sessions[0]["culprits"] == []
    # Waiting (not yet starving) already names them, but draws no edge.
    assert [(s["culprits"], s["starved_by"]) for s in first["sessions"]] == [([], []), ([0], [])]
    configure = [a["configure"] for a in snapshot["advice"] if a["session"] == 0]
    assert configure, snapshot["advice"]
    cell = configure[0]
    assert cell.startswith("%%configure -f\n")
    conf = json.loads(cell.split("\n", 1)[1])
    assert conf == {"conf": {"spark.dynamicAllocation.maxExecutors": "4"}}
    assert snapshot["cluster"]["max_executors"] == 9
    assert snapshot["cluster"]["executors_in_use"] == 9


def test_starvation_needs_continuity():
    fine = [session(0, 4, 32, 0), session(1, 5, 40, 0)]
    observations = [observe(0, seed_sessions()), observe(20, fine), observe(40, seed_sessions())]
    snapshot, _ = run(observations)
    # The clock restarted at t=40: 0 s short, not 40.
    assert by_id(snapshot)[1]["status"] == "waiting"


def test_recovery_after_hog_finishes():
    _, state = run([observe(t, seed_sessions()) for t in (0, 40)])
    after = [session(0, 4, 0, 0), session(1, 5, 40, 0)]
    snapshot, _ = analyze(observe(45, after), state, CONFIG)
    sessions = by_id(snapshot)
    assert sessions[1]["status"] == "ok"
    assert snapshot["starvation"] == []
    assert sessions[0]["starving"] == [] and sessions[1]["starved_by"] == []


def test_rounding_of_fractional_fair_share_is_not_starvation():
    # 9 executors, two busy sessions: 5 + 4 is as fair as whole executors allow.
    observations = [observe(t, [session(0, 5, 40, 100), session(1, 4, 32, 100)]) for t in (0, 60)]
    snapshot, _ = run(observations)
    assert {s["status"] for s in snapshot["sessions"]} == {"ok"}


def test_zero_executors_with_positive_due_is_short_even_below_one():
    # One executor, two sessions wanting it: the one with none is starving.
    cluster = worker_type_cluster("G.1X", 2)
    observations = [
        observe(t, [session(0, 1, 8, 50), session(1, 0, 0, 8)], cluster) for t in (0, 31)
    ]
    snapshot, _ = run(observations)
    assert by_id(snapshot)[1]["status"] == "starving"


def test_idle_hoarding_after_idle_timeout():
    hoarder = [session(2, 3, 0, 0, state="idle"), session(3, 0, 0, 0, state="idle")]
    snapshot, _ = run([observe(t, hoarder) for t in (0, 30, 61)])
    sessions = by_id(snapshot)
    assert sessions[2]["status"] == "idle-hoarding"
    assert sessions[3]["status"] == "idle"
    assert any(a["session"] == 2 and "nothing to run" in a["text"] for a in snapshot["advice"])
    snapshot, _ = run([observe(t, hoarder) for t in (0, 30)])
    assert by_id(snapshot)[2]["status"] == "ok"


def test_starting_and_gone_sessions():
    sessions = [
        session(0, 0, None, None, state="starting"),
        session(1, 0, None, None, state="dead"),
        session(2, 2, 2, 0),
    ]
    snapshot, _ = run([observe(0, sessions)])
    statuses = {s["id"]: s["status"] for s in snapshot["sessions"]}
    assert statuses == {0: "starting", 1: "gone", 2: "ok"}


def test_unknown_tasks_assume_need_is_what_is_held():
    snapshot, _ = run([observe(0, [session(0, 3, None, None, error="Spark UI: timeout")])])
    (s,) = snapshot["sessions"]
    assert s["need"] == 3 and s["status"] == "ok" and s["error"] == "Spark UI: timeout"


def test_unreachable_keeps_last_picture_marked_stale():
    snapshot, state = run([observe(0, seed_sessions())])
    down = Observation(
        polled_at=5,
        livy_url="http://livy:8998",
        mode="yarn",
        livy_failure=FetchError("unreachable", "connection refused"),
    )
    snapshot, state = analyze(down, state, CONFIG)
    snapshot, state = analyze(dict_replace(down, polled_at=10), state, CONFIG)
    endpoint = snapshot["endpoint"]
    assert endpoint["reachable"] is False
    assert endpoint["down_since"] == "1970-01-01T00:00:05Z"
    assert endpoint["last_success_at"] == "1970-01-01T00:00:00Z"
    assert all(s["stale"] for s in snapshot["sessions"]) and len(snapshot["sessions"]) == 2
    snapshot, _ = analyze(observe(15, seed_sessions()), state, CONFIG)
    assert snapshot["endpoint"]["reachable"] and snapshot["endpoint"]["down_since"] is None


def dict_replace(obs, **changes):
    from dataclasses import replace

    return replace(obs, **changes)


def test_configure_cell_is_valid_sparkmagic():
    cell = configure_cell(3)
    magic, body = cell.split("\n", 1)
    assert magic == "%%configure -f"
    assert json.loads(body)["conf"]["spark.dynamicAllocation.maxExecutors"] == "3"


# -- max-min fairness, as properties ---------------------------------------------------------

needs_strategy = st.dictionaries(
    st.text(min_size=1, max_size=4), st.integers(min_value=0, max_value=500), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(min_value=0, max_value=1000), needs=needs_strategy)
def test_fair_share_never_exceeds_capacity_or_need(capacity, needs):
    shares = max_min_fair(capacity, needs)
    assert set(shares) == set(needs)
    assert sum(shares.values()) <= capacity + 1e-6
    for key, share in shares.items():
        assert -1e-9 <= share <= needs[key] + 1e-9
    # Nothing is wasted: either every need is met or the capacity is used up.
    assert sum(shares.values()) == pytest.approx(min(capacity, sum(needs.values())))


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(min_value=0, max_value=1000), needs=needs_strategy)
def test_fair_share_is_max_min_fair(capacity, needs):
    shares = max_min_fair(capacity, needs)
    for key, share in shares.items():
        if share < needs[key] - 1e-6:
            # An unsatisfied session gets at least as much as anyone else.
            assert all(share >= other - 1e-6 for other in shares.values())


@settings(max_examples=200, deadline=None)
@given(
    capacity=st.integers(min_value=0, max_value=1000),
    needs=needs_strategy,
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_fair_share_is_stable_under_reordering(capacity, needs, seed):
    items = list(needs.items())
    random.Random(seed).shuffle(items)
    assert max_min_fair(capacity, dict(items)) == max_min_fair(capacity, needs)


@settings(max_examples=100, deadline=None)
@given(
    held=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=8),
    tasks=st.lists(st.integers(min_value=0, max_value=200), min_size=8, max_size=8),
)
def test_snapshot_invariants(held, tasks):
    sessions = [
        session(i, h, min(t, h * 8), max(0, t - h * 8)) for i, (h, t) in enumerate(zip(held, tasks))
    ]
    snapshot, _ = run([observe(t, sessions) for t in (0, 40)])
    ids = {s["id"] for s in snapshot["sessions"]}
    for s in snapshot["sessions"]:
        assert s["status"] in {"ok", "idle", "waiting", "starving", "hogging", "idle-hoarding"}
        assert set(s["starved_by"]) <= ids and set(s["starving"]) <= ids
        if s["status"] == "starving":
            assert s["executors"] < s["fair_share"] and s["executors"] < s["need"]
    total_fair = sum(s["fair_share"] for s in snapshot["sessions"])
    assert total_fair <= snapshot["cluster"]["max_executors"] + 0.05
    json.dumps(snapshot)  # serialisable


def test_ramping_up_into_free_slots_is_not_starvation():
    # 9 slots, one session holds 3, the other needs 5 and has none yet: 6 slots are free.
    observations = [observe(t, [session(0, 3, 24, 0), session(1, 0, 0, 40)]) for t in (0, 60)]
    snapshot, _ = run(observations)
    assert by_id(snapshot)[1]["status"] == "ok"
    assert snapshot["starvation"] == []


def test_idle_since_and_when_livy_ends_an_idle_session():
    idle = session(0, 0, running=0, pending=0, state="idle", idle_timeout_seconds=600.0)
    busy = session(1, 1, running=1, pending=0, state="busy", ttl_seconds=3600.0)
    first, state = run([observe(100, [idle, busy])])
    later, _ = run([observe(160, [idle, busy])], state)
    s, b = by_id(later)[0], by_id(later)[1]
    # Idle as seen since the first poll, and Livy ends it 600 s after that.
    assert s["idle_since"] == first["endpoint"]["polled_at"]
    assert s["ends_at"] == "1970-01-01T00:11:40Z"
    assert (b["idle_since"], b["ends_at"]) == (None, None)
