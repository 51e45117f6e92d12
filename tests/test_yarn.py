"""YARN and standalone sizing on responses recorded from the real devstack (devstack/samples/).

The YARN sample was taken with real Livy in cluster mode on a 6-vcore / 8 GB NodeManager:
livy-session-0 ran a 200-task job and held 4 one-core executors plus its driver (the AM),
livy-session-1 waited for 6 executors with only its driver. YARN's own numbers at that moment:
6 of 6 vcores allocated, 6 containers, 196 + 6 executor containers pending.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from glue_sessions.client.http import FetchError
from glue_sessions.config import PollerConfig
from glue_sessions.observe import capacity, parse, parse_cluster
from glue_sessions.serve.poller import Poller

SAMPLES = Path(__file__).resolve().parents[1] / "devstack" / "samples"
YARN = SAMPLES / "yarn"


def load(path: Path):
    return json.loads(path.read_text())


class RecordedFetcher:
    """Answers each URL's path from a table of recorded bodies (query strings ignored)."""

    def __init__(self, bodies: dict[str, object]):
        self.bodies = bodies
        self.requests_sent = 0
        self.asked: list[str] = []

    async def get_json(self, url: str, *, authenticate: bool = True):
        self.requests_sent += 1
        path = urlsplit(url).path
        self.asked.append(path)
        if path not in self.bodies:
            raise FetchError("http", f"{path}: 404", status=404)
        return copy.deepcopy(self.bodies[path])

    def close(self) -> None:
        pass


def yarn_bodies(mode: str = "cluster") -> dict[str, object]:
    livy = load(YARN / f"{mode}_livy_sessions.json")
    bodies: dict[str, object] = {
        "/sessions": livy,
        "/ws/v1/cluster/metrics": load(YARN / f"{mode}_rm_metrics.json"),
        "/ws/v1/cluster/apps": load(YARN / f"{mode}_rm_apps.json"),
    }
    for s in livy["sessions"]:
        app = s["appId"]
        api = f"/proxy/{app}/api/v1/applications/{app}"
        prefix = YARN / f"{mode}_livy-session-{s['id']}"
        if not Path(f"{prefix}_executors.json").exists():
            continue  # not running yet when recorded: its driver has no API
        bodies[f"{api}/executors"] = load(Path(f"{prefix}_executors.json"))
        bodies[f"{api}/stages"] = load(Path(f"{prefix}_stages_active.json"))
        bodies[f"{api}/environment"] = load(Path(f"{prefix}_environment.json"))
    return bodies


def yarn_poller(bodies, clock, **config) -> Poller:
    settings = {"livy_url": "http://127.0.0.1:8998", "yarn_url": "http://localhost:8088"}
    settings.update(starvation_seconds=10.0, poll_interval=2.0, worker_type=None)
    settings.update(config)
    return Poller(PollerConfig(**settings), RecordedFetcher(bodies), clock=clock)


def by_id(snapshot) -> dict[int, dict]:
    return {s["id"]: s for s in snapshot["sessions"]}


def test_yarn_apps_and_metrics_as_recorded():
    apps = {a.id: a for a in parse_cluster.yarn_apps(load(YARN / "cluster_rm_apps.json"))}
    hog = apps["application_1796014550595_0001"]
    assert (hog.containers, hog.vcores, hog.memory_mb) == (5, 5, 5120)
    assert (hog.pending_containers, hog.request_vcores, hog.request_memory_mb) == (196, 1, 1024)
    metrics = parse_cluster.yarn_cluster_metrics(load(YARN / "cluster_rm_metrics.json"))
    assert (metrics.total_vcores, metrics.allocated_vcores, metrics.total_mb) == (6, 6, 8192)
    assert parse_cluster.yarn_apps({"apps": None}) == []
    with pytest.raises(ValueError):
        parse_cluster.yarn_apps({"app": []})


def test_spark_conf_from_a_recorded_environment():
    conf = parse.spark_conf(load(YARN / "cluster_livy-session-0_environment.json"))
    assert (conf.executor_cores, conf.executor_memory_mb, conf.max_executors) == (1, 512, None)
    assert [parse.spark_memory_mb(v) for v in ("512m", "2g", "1024", "2gb", "x", None)] == [
        512,
        2048,
        1024,
        2048,
        None,
        None,
    ]


def test_yarn_capacity_counts_the_drivers_like_yarn():
    metrics = parse_cluster.yarn_cluster_metrics(load(YARN / "cluster_rm_metrics.json"))
    apps = parse_cluster.yarn_apps(load(YARN / "cluster_rm_apps.json"))
    sizes = capacity.YarnSizes()
    sizes.learn(apps)
    cluster = capacity.yarn_cluster(metrics, apps, sizes, 1, 512)
    # 6 vcores: 2 drivers (AM containers) and 4 one-core executors; nothing else fits.
    assert (cluster.max_executors, cluster.executors_in_use) == (4, 4)
    assert (cluster.drivers, cluster.driver_cores, cluster.driver_memory_mb) == (2, 2, 2048)
    assert (cluster.executor_cores, cluster.executor_memory_mb) == (1, 512)


def test_memory_only_calculator_counts_memory():
    metrics = parse_cluster.YarnMetrics(
        total_vcores=4, total_mb=16384, allocated_vcores=6, allocated_mb=6144, active_nodes=1
    )
    app = parse_cluster.YarnApp(
        "application_1_0001", "livy-session-0", "RUNNING", 6, 6, 6144, 0, None, None
    )
    cluster = capacity.yarn_cluster(metrics, [app], capacity.YarnSizes(), 1, 512)
    # vcores are oversubscribed, so YARN does not count them: 10 GB free, 1 GB containers.
    assert cluster.max_executors == 5 + 10


def test_container_of_an_executor_when_yarn_has_not_shown_one():
    assert capacity.yarn_container_mb(512) == 1024
    assert capacity.yarn_container_mb(4096) == 5120
    assert capacity.yarn_container_mb(10240) == 11264


async def test_recorded_yarn_contention_end_to_end(clock):
    poller = yarn_poller(yarn_bodies(), clock)
    first = await poller.poll_once()
    cluster = first["cluster"]
    assert cluster["source"] == "yarn" and cluster["note"] is None
    assert (cluster["max_executors"], cluster["executors_in_use"]) == (4, 4)
    assert (cluster["executor_cores"], cluster["executor_memory_mb"]) == (1, 512)
    assert (cluster["drivers"], cluster["driver_cores"], cluster["total_cores"]) == (2, 2, 6)
    hog, small = by_id(first)[0], by_id(first)[1]
    # YARN's numbers: containers but the AM, and what the AM (the driver) holds.
    assert (hog["executors"], hog["cores"], hog["memory_mb"]) == (4, 4, 4096)
    assert (hog["driver_cores"], hog["driver_memory_mb"]) == (1, 1024)
    assert (small["executors"], small["pending_containers"]) == (0, 6)
    assert small["status"] == "waiting" and hog["share"] == 1.0

    clock.now += 12
    later = await poller.poll_once()
    hog, small = by_id(later)[0], by_id(later)[1]
    assert small["status"] == "starving" and small["starved_by"] == [0]
    assert hog["status"] == "hogging" and hog["starving"] == [1]
    cells = [a["configure"] for a in later["advice"] if a["session"] == 0]
    # 4 executor slots, 2 sessions that want executors: 2 each lets both run.
    assert cells and '"spark.dynamicAllocation.maxExecutors": "2"' in cells[0]
    # The environment is read once per app, never per cycle.
    asked = poller.fetcher.asked
    assert sum(p.endswith("/environment") for p in asked) == 2


async def test_client_mode_reaches_the_driver_through_the_rm_proxy(clock):
    bodies = yarn_bodies()
    for s in bodies["/sessions"]["sessions"]:
        s["appInfo"] = {"driverLogUrl": None, "sparkUiUrl": None, "executorLogUrls": None}
    poller = yarn_poller(bodies, clock)
    snapshot = await poller.poll_once()
    assert not snapshot["endpoint"]["problems"]
    assert by_id(snapshot)[0]["running_tasks"] == 4
    assert any(
        p.startswith("/proxy/application_1796014550595_0001/api/v1/") for p in poller.fetcher.asked
    )


async def test_without_yarn_the_worker_type_model_says_so(clock):
    bodies = yarn_bodies()
    poller = yarn_poller(bodies, clock, yarn_url=None, worker_type="G.1X", number_of_workers=5)
    snapshot = await poller.poll_once()
    cluster = snapshot["cluster"]
    assert cluster["source"] == "worker-type" and cluster["max_executors"] == 4
    assert "worker-type table (G.1X x 5)" in cluster["note"] and "yarn_url" in cluster["note"]
    # The sessions' own executor size still comes from Spark, not from the worker type.
    assert by_id(snapshot)[0]["executor_cores"] == 1
    assert by_id(snapshot)[0]["executor_memory_mb"] == 512


async def test_standalone_granted_cores_count_before_executors_register(clock):
    """The master grants the hog every core at once; its executors register 15-20 s later.
    Held is what the master granted, so the culprit is named from the first starving poll."""
    master = load(SAMPLES / "master_json.json")
    hog_app, small_app = master["activeapps"][0], master["activeapps"][1]
    hog_app.update(name="livy-session-1", cores=6, state="RUNNING")
    small_app.update(name="livy-session-2", cores=0, state="WAITING")
    master["coresused"] = 6
    sessions = {"from": 0, "total": 2, "sessions": []}
    for sid in (1, 2):
        sessions["sessions"].append(
            {
                "id": sid,
                "name": None,
                "appId": None,
                "state": "busy",
                "kind": "pyspark",
                "appInfo": {"sparkUiUrl": None, "driverLogUrl": None},
            }
        )
    stage = {"status": "ACTIVE", "numTasks": 60, "numActiveTasks": 0, "numCompleteTasks": 0}
    bodies: dict[str, object] = {"/sessions": sessions, "/json/": master}
    for app in (hog_app, small_app):
        api = f"/proxy/{app['id']}/api/v1/applications/{app['id']}"
        bodies[f"{api}/executors"] = [{"id": "driver", "totalCores": 0}]  # none registered
        bodies[f"{api}/stages"] = [stage]
        bodies[f"{api}/environment"] = {"sparkProperties": [["spark.executor.cores", "1"]]}
    poller = Poller(
        PollerConfig(
            livy_url="http://127.0.0.1:8998",
            spark_master_url="http://127.0.0.1:8080",
            starvation_seconds=10.0,
            poll_interval=2.0,
        ),
        RecordedFetcher(bodies),
        clock=clock,
    )
    first = await poller.poll_once()
    hog, small = by_id(first)[1], by_id(first)[2]
    assert (hog["executors"], hog["registered_executors"], hog["starting_executors"]) == (6, 0, 6)
    assert first["cluster"]["executors_in_use"] == 6 and first["cluster"]["max_executors"] == 6
    assert small["status"] == "waiting"
    clock.now += 10
    starving = await poller.poll_once()
    hog, small = by_id(starving)[1], by_id(starving)[2]
    assert small["status"] == "starving" and small["starved_by"] == [1]
    assert hog["status"] == "hogging" and hog["executors"] == 6


@pytest.mark.parametrize("mode", ["cluster", "client"])
async def test_counts_equal_yarns_own(clock, mode):
    """Each session's executors are YARN's containers but the AM, as the RM reported them."""
    poller = yarn_poller(yarn_bodies(mode), clock)
    snapshot = await poller.poll_once()
    apps = {a.id: a for a in parse_cluster.yarn_apps(load(YARN / f"{mode}_rm_apps.json"))}
    metrics = parse_cluster.yarn_cluster_metrics(load(YARN / f"{mode}_rm_metrics.json"))
    for s in snapshot["sessions"]:
        app = apps[s["app_id"]]
        assert s["executors"] == app.containers - 1
        assert s["cores"] + s["driver_cores"] == app.vcores
        assert s["memory_mb"] + s["driver_memory_mb"] == app.memory_mb
    cluster = snapshot["cluster"]
    assert cluster["executors_in_use"] + cluster["drivers"] == metrics_containers(metrics, apps)
    assert cluster["total_cores"] == metrics.total_vcores
    assert not snapshot["endpoint"]["problems"]


def metrics_containers(metrics, apps) -> int:
    return sum(a.containers for a in apps.values())
