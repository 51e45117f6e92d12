"""Capacity held outside Livy: YARN applications that hold containers and are none of Livy's
sessions (a batch job, another user's work, a session Livy lost when it crashed) are shown,
take part in the fair share as needing what they hold, and are named when sessions wait."""

from __future__ import annotations

from test_analysis import by_id, observe, run, session
from test_cannot_start import yarn_cluster

from glue_sessions.observe import parse_cluster
from glue_sessions.observe.capacity import ClusterRead, outside_livy
from glue_sessions.observe.model import OutsideApp, SessionObservation

RM = "http://rm:8088"


def app(id: str, name: str, containers: int, state: str = "RUNNING") -> dict:
    return {
        "id": id,
        "name": name,
        "state": state,
        "user": "etl",
        "queue": "default",
        "applicationType": "MAPREDUCE",
        "startedTime": 1796520000000,
        "runningContainers": containers,
        "allocatedVCores": containers,
        "allocatedMB": containers * 1024,
        "trackingUrl": f"{RM}/proxy/{id}/",
    }


def read(*apps: dict) -> ClusterRead:
    parsed = parse_cluster.yarn_apps({"apps": {"app": list(apps)}})
    return ClusterRead(yarn_apps={a.id: a for a in parsed})


def test_only_applications_livy_does_not_list_and_that_hold_containers():
    sessions = [
        SessionObservation(id=0, state="busy", app_name="livy-session-0", app_id="app_0"),
        # Starting: Livy has not reported its app id yet, its name tells.
        SessionObservation(id=1, state="starting", app_name="livy-session-1"),
    ]
    found = outside_livy(
        read(
            app("app_0", "livy-session-0", 3),
            app("app_1", "livy-session-1", 1, "ACCEPTED"),
            app("app_9", "nightly etl", 4),
            app("app_8", "queued job", 0, "ACCEPTED"),  # holds nothing
        ),
        sessions,
        RM,
    )
    (outside,) = found
    assert (outside.app_id, outside.yarn.name, outside.yarn.user, outside.yarn.queue) == (
        "app_9",
        "nightly etl",
        "etl",
        "default",
    )
    assert (outside.yarn.containers, outside.executors) == (4, 3)
    assert (outside.yarn.vcores, outside.yarn.memory_mb) == (4, 4096)
    assert outside.url == f"{RM}/cluster/app/app_9" and outside.yarn.started_ms == 1796520000000


def test_another_livys_session_of_the_same_name_is_outside():
    """A second Livy on the same YARN names its first session livy-session-0 too: once Livy
    gave this session's app id, the name no longer stands for it."""
    sessions = [SessionObservation(id=0, state="idle", app_name="livy-session-0", app_id="app_0")]
    found = outside_livy(
        read(app("app_0", "livy-session-0", 2), app("app_5", "livy-session-0", 3)), sessions, RM
    )
    assert [a.app_id for a in found] == ["app_5"]


def lost_session(executors: int) -> OutsideApp:
    """A session Livy lost: its YARN application holds its executors and its AM."""
    (lost,) = outside_livy(read(app("application_1_0007", "livy-session-7", executors + 1)), [], RM)
    assert lost.executors == executors
    return lost


def test_an_application_outside_livy_is_named_when_a_session_starves():
    waiting = session(1, 0, running=0, pending=4, per_executor=1)
    lost = lost_session(5)
    obs = observe(0, [waiting], yarn_cluster(5, 5))
    obs.outside = [lost]
    first, state = run([obs])
    s = by_id(first)[1]
    assert s["status"] == "waiting"
    assert (s["culprits"], s["outside_culprits"]) == ([], ["application_1_0007"])
    (entry,) = first["outside_livy"]
    assert (entry["executors"], entry["containers"], entry["starving"]) == (5, 6, [])
    assert entry["fair_share"] == 2.5 and entry["since"].startswith("2026-12-")

    obs.polled_at = 30
    later, _ = run([obs], state)
    s = by_id(later)[1]
    assert s["status"] == "starving" and s["starved_by"] == []
    assert later["outside_livy"][0]["starving"] == [1]
    (advice,) = [a for a in later["advice"] if "application_1_0007" in a["text"]]
    assert advice["session"] is None and advice["configure"] is None
    assert "never stops it" in advice["reason"] and lost.url in advice["reason"]


def test_an_application_outside_livy_within_its_share_is_nobodys_culprit():
    busy = session(1, 2, running=2, pending=0, per_executor=1)
    obs = observe(0, [busy], yarn_cluster(6, 4))
    obs.outside = [lost_session(2)]
    snapshot, _ = run([obs])
    assert by_id(snapshot)[1]["outside_culprits"] == []
    assert snapshot["outside_livy"][0]["starving"] == [] and not snapshot["advice"]
