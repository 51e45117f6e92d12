"""Sessions that cannot start: a YARN application ACCEPTED with no AM container (its driver in
cluster mode) needs that container, waits from the first poll and starves after the threshold,
with the sessions that keep it out named; the two reasons (a full cluster, the queue's
AM-resource limit) are told apart."""

from __future__ import annotations

from test_analysis import by_id, observe, run, session
from test_yarn import yarn_bodies, yarn_poller

from glue_sessions.observe import parse_cluster
from glue_sessions.observe.capacity import ClusterRead, YarnSizes, apply_grants
from glue_sessions.observe.model import ClusterObservation, SessionObservation

FULL = (
    "[Sat Dec 05 10:00:00 +0000 2026] Application is Activated, waiting for resources to be "
    "assigned for AM.  Details : AM Partition = <DEFAULT_PARTITION> ; Partition Resource = "
    "<memory:8192, vCores:6> ; Queue's Absolute used capacity = 100.0 % ;"
)
AM_LIMIT = (
    "[Sat Dec 05 10:00:00 +0000 2026] Application is added to the scheduler and is not yet "
    "activated. Queue's AM resource limit exceeded.  Details : AM Partition = "
    "<DEFAULT_PARTITION>; AM Resource Request = <memory:1024, vCores:1>; Queue Resource Limit "
    "for AM = <memory:1024, vCores:1>;"
)


def yarn_cluster(max_executors: int, in_use: int) -> ClusterObservation:
    return ClusterObservation(
        source="yarn",
        max_executors=max_executors,
        executor_cores=1,
        executor_memory_mb=512,
        executors_in_use=in_use,
        drivers=2,
    )


def cannot_start(id: int, *, am_limit: bool) -> SessionObservation:
    return SessionObservation(
        id=id,
        state="starting",
        app_name=f"livy-session-{id}",
        app_id=f"application_1_{id:04d}",
        executors=0,
        driver_waiting=True,
        driver_slots=1,
        driver_cores=1,
        driver_memory_mb=1024,
        am_limit_reached=am_limit,
        diagnostics=AM_LIMIT if am_limit else FULL,
        queue="default",
    )


def yarn_app(**fields) -> dict:
    app = {
        "id": "application_1_0001",
        "name": "livy-session-1",
        "state": "ACCEPTED",
        "queue": "default",
        "user": "root",
        "runningContainers": 0,
        "allocatedVCores": 0,
        "allocatedMB": 0,
        "amContainerLogs": None,
        "diagnostics": FULL,
        "resourceRequests": [
            {"resourceName": "*", "numContainers": 1, "capability": {"memory": 1024, "vCores": 1}}
        ],
    }
    app.update(fields)
    return app


def test_accepted_without_am_container_waits_for_its_driver():
    (waiting,) = parse_cluster.yarn_apps({"apps": {"app": [yarn_app()]}})
    assert waiting.waiting_for_am and waiting.diagnostics == FULL
    # Launched and registering: ACCEPTED as well, but its AM container is there.
    (registering,) = parse_cluster.yarn_apps(
        {
            "apps": {
                "app": [
                    yarn_app(
                        runningContainers=1,
                        allocatedVCores=1,
                        allocatedMB=1024,
                        amContainerLogs="http://localhost:8042/node/containerlogs/c_1/root",
                        diagnostics="AM container is launched, waiting for AM container to "
                        "Register with RM",
                        resourceRequests=[],
                    )
                ]
            }
        }
    )
    assert not registering.waiting_for_am


def test_yarn_words_tell_the_am_limit_from_a_full_cluster():
    assert parse_cluster.yarn_am_limit_reached(AM_LIMIT)
    assert parse_cluster.yarn_am_limit_reached("User's AM resource limit exceeded. Details : ...")
    assert not parse_cluster.yarn_am_limit_reached(FULL)
    assert not parse_cluster.yarn_am_limit_reached(None)


def test_a_waiting_driver_asks_for_its_am_container_as_yarn_asks():
    (app,) = parse_cluster.yarn_apps({"apps": {"app": [yarn_app(diagnostics=AM_LIMIT)]}})
    s = SessionObservation(id=1, state="starting", app_name="livy-session-1", app_id=app.id)
    sizes = YarnSizes()
    sizes.learn([app])
    apply_grants([s], ClusterRead(yarn_apps={app.id: app}), None, sizes)
    assert s.driver_waiting and s.am_limit_reached
    assert (s.driver_cores, s.driver_memory_mb, s.driver_slots) == (1, 1024, 1)
    assert (s.executors, s.pending_containers) == (0, 0)
    assert s.queue == "default" and s.diagnostics == AM_LIMIT


def test_full_cluster_the_new_session_starves_with_the_hog_as_culprit():
    hog = session(0, 4, running=4, pending=300, per_executor=1)
    blocked = cannot_start(1, am_limit=False)
    cluster = yarn_cluster(4, 4)
    first, state = run([observe(0, [hog, blocked], cluster)])
    s = by_id(first)[1]
    # Waiting from the first poll, Livy's own state kept.
    assert (s["status"], s["state"], s["need"], s["cannot_start"]) == (
        "waiting",
        "starting",
        1,
        "cluster-full",
    )
    assert s["culprits"] == [0] and s["diagnostics"] == FULL
    later, _ = run([observe(30, [hog, blocked], cluster)], state)
    s, h = by_id(later)[1], by_id(later)[0]
    assert s["status"] == "starving" and s["starved_by"] == [0]
    assert h["status"] == "hogging" and h["starving"] == [1]
    assert [e["session"] for e in later["starvation"]] == [1]
    (to_hog,) = [a for a in later["advice"] if a["session"] == 0]
    assert (
        "maxExecutors" in to_hog["configure"]
        and "livy-session-1 cannot start" in (to_hog["reason"])
    )


def test_am_limit_is_told_apart_and_names_the_drivers_that_take_it():
    idle = session(0, 0, running=0, pending=0, state="idle", driver_cores=1, queue="default")
    busy = session(2, 2, running=2, pending=0, per_executor=1, driver_cores=1, queue="default")
    blocked = cannot_start(1, am_limit=True)
    # The cluster has room: free slots do not help a driver the queue's rule keeps out.
    cluster = yarn_cluster(6, 2)
    first, state = run([observe(0, [idle, busy, blocked], cluster)])
    s = by_id(first)[1]
    assert (s["status"], s["cannot_start"]) == ("waiting", "am-limit")
    assert s["culprits"] == [0, 2]  # the driver running nothing first
    later, _ = run([observe(30, [idle, busy, blocked], cluster)], state)
    sessions = by_id(later)
    assert sessions[1]["status"] == "starving" and sessions[1]["starved_by"] == [0, 2]
    assert sessions[0]["starving"] == [1] and sessions[2]["starving"] == [1]
    # Nobody is above a fair share: no hog, no maxExecutors cell.
    assert all(x["status"] != "hogging" for x in later["sessions"])
    (advice,) = later["advice"]
    assert advice["session"] == 1 and advice["configure"] is None
    assert "Stop livy-session-0" in advice["text"]
    assert "maximum-am-resource-percent" in advice["reason"]


def test_a_driver_that_has_its_container_is_only_starting():
    starting = SessionObservation(
        id=1, state="starting", app_name="livy-session-1", app_id="application_1_0001"
    )
    snapshot, _ = run([observe(0, [session(0, 1, 1, 0), starting])])
    s = by_id(snapshot)[1]
    assert (s["status"], s["need"], s["cannot_start"]) == ("starting", 0, None)


def test_advice_for_one_executor_reads_right():
    hog = session(0, 2, running=2, pending=100, per_executor=1)
    blocked = cannot_start(1, am_limit=False)
    cluster = yarn_cluster(2, 2)
    snapshot, _ = run([observe(0, [hog, blocked], cluster), observe(40, [hog, blocked], cluster)])
    (to_hog,) = [a for a in snapshot["advice"] if a["session"] == 0]
    assert to_hog["text"] == "Restart livy-session-0 with at most 1 executor."


async def test_recorded_from_real_yarn_a_session_that_cannot_start(clock):
    """devstack/samples/yarn/cannot_start_*: real Livy in cluster mode on YARN, livy-session-0
    running 900 one-second tasks on all 6 vcores, livy-session-1 created after it, ACCEPTED
    with no AM container."""
    poller = yarn_poller(yarn_bodies("cannot_start"), clock)
    first = await poller.poll_once()
    hog, blocked = by_id(first)[0], by_id(first)[1]
    assert (first["cluster"]["max_executors"], first["cluster"]["drivers"]) == (5, 1)
    assert (hog["executors"], blocked["executors"], blocked["state"]) == (5, 0, "starting")
    assert (blocked["status"], blocked["cannot_start"], blocked["need"]) == (
        "waiting",
        "cluster-full",
        1,
    )
    assert (blocked["driver_cores"], blocked["driver_memory_mb"]) == (1, 1024)
    assert "waiting for resources to be assigned for AM" in blocked["diagnostics"]
    assert blocked["culprits"] == [0]
    clock.now += 12
    later = await poller.poll_once()
    hog, blocked = by_id(later)[0], by_id(later)[1]
    assert blocked["status"] == "starving" and blocked["starved_by"] == [0]
    assert hog["status"] == "hogging" and hog["starving"] == [1]
    cells = [a["configure"] for a in later["advice"] if a["session"] == 0]
    assert cells and '"spark.dynamicAllocation.maxExecutors": "2"' in cells[0]
