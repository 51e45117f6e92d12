"""Orphaned sessions: created by a kernel of this server that no longer runs them. They are
this server's (stoppable under the same rules), shown as orphaned, and the first advice when
someone starves; at the AM-resource limit their drivers are named first."""

from __future__ import annotations

from test_analysis import by_id, observe, run, session
from test_cannot_start import cannot_start, yarn_cluster

ORPHAN = {"path": "etl.ipynb", "kernel_id": "k-1", "orphaned": True}
OWN = {"path": "report.ipynb", "kernel_id": "k-2", "orphaned": False}


def test_an_orphan_is_this_servers_and_is_advised_first_when_someone_starves():
    orphan = session(0, 3, running=3, pending=50, per_executor=1, driver_cores=1)
    waiting = session(1, 0, running=0, pending=6, per_executor=1)
    obs = observe(0, [orphan, waiting], yarn_cluster(3, 3))
    obs.notebooks = {0: ORPHAN, 1: OWN}
    first, state = run([obs])
    o = by_id(first)[0]
    assert o["mine"] is True and o["notebook"] == ORPHAN
    # Above its fair share while someone is short, but nobody uses it: that says more.
    assert o["status"] == "orphaned" and o["starving"] == []
    obs.polled_at = 30
    later, _ = run([obs], state)
    assert by_id(later)[1]["status"] == "starving"
    advice = later["advice"]
    assert advice[0]["session"] == 0 and advice[0]["configure"] is None
    # No cell to restart it with: nobody would run it.
    assert not any(a["session"] == 0 and a["configure"] for a in advice)
    assert (
        advice[0]["text"]
        == "Stop livy-session-0: nobody uses it, and it holds 3 executors and its driver."
    )


def test_no_orphan_advice_while_nobody_starves():
    orphan = session(0, 1, running=0, pending=0, state="idle", per_executor=1)
    obs = observe(0, [orphan], yarn_cluster(4, 1))
    obs.notebooks = {0: ORPHAN}
    snapshot, _ = run([obs])
    assert snapshot["advice"] == []


def test_orphaned_drivers_are_named_first_at_the_am_limit():
    idle = session(0, 0, running=0, pending=0, state="idle", driver_cores=1, queue="default")
    orphan = session(2, 0, running=0, pending=0, state="idle", driver_cores=1, queue="default")
    blocked = cannot_start(1, am_limit=True)
    obs = observe(0, [idle, orphan, blocked], yarn_cluster(6, 0))
    obs.notebooks = {2: ORPHAN}
    snapshot, _ = run([obs])
    assert by_id(snapshot)[1]["culprits"] == [2, 0]


def test_an_orphan_that_is_not_short_is_orphaned():
    orphan = session(0, 2, running=0, pending=0, state="idle", per_executor=1)
    own = session(1, 1, running=1, pending=0, per_executor=1)
    obs = observe(0, [orphan, own], yarn_cluster(6, 3))
    obs.notebooks = {0: ORPHAN, 1: OWN}
    snapshot, _ = run([obs])
    sessions = by_id(snapshot)
    assert (sessions[0]["status"], sessions[1]["status"]) == ("orphaned", "ok")
