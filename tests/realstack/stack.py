"""Helpers for the real-stack tests: devstack's Livy client and waiting on the extension's API."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "devstack"))

import scenario as livy  # noqa: E402  (devstack/scenario.py)

LIVY_URL = livy.LIVY_URL
MASTER_UI = livy.MASTER_UI
YARN_URL = "http://127.0.0.1:8088"  # devstack's ResourceManager web address
STATE = REPO / ".devstack"
TOPOLOGIES = ["standalone", "yarn"]
POLL = 2.0
STARVATION = 15.0
IDLE_HOARDING = 20.0


async def in_thread(fn, *args, **kwargs):
    """devstack/scenario.py blocks (urllib): keep it off the server's event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def start_sessions(created: list[int], count: int, conf: dict | None = None) -> list[int]:
    ids = [await in_thread(livy.create_session, "pyspark", conf) for _ in range(count)]
    created.extend(ids)
    await asyncio.gather(*(in_thread(livy.wait_state, sid, ("idle",), 600) for sid in ids))
    return ids


def epoch(iso_time: str) -> float:
    """A snapshot's ISO time ('...Z') as epoch seconds, to compare with time.time()."""
    return datetime.fromisoformat(iso_time.replace("Z", "+00:00")).timestamp()


async def snapshot_of(jp_fetch) -> dict:
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    return json.loads(response.body)


async def wait_for(jp_fetch, predicate, timeout: float, what: str) -> dict:
    """Polls the extension's own API until predicate(snapshot) holds."""
    deadline = time.monotonic() + timeout
    snapshot = None
    while time.monotonic() < deadline:
        snapshot = await snapshot_of(jp_fetch)
        if predicate(snapshot):
            return snapshot
        await asyncio.sleep(1.0)
    summary = json.dumps(
        [
            {
                k: s.get(k)
                for k in (
                    "id",
                    "state",
                    "status",
                    "executors",
                    "need",
                    "fair_share",
                    "running_tasks",
                    "pending_tasks",
                    "error",
                )
            }
            for s in (snapshot or {}).get("sessions", [])
        ]
    )
    context = json.dumps(
        {
            "cluster": (snapshot or {}).get("cluster"),
            "endpoint": {
                k: (snapshot or {}).get("endpoint", {}).get(k)
                for k in ("reachable", "error", "problems")
            },
        }
    )
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what}; last: {summary} {context}"
    )


async def starving_in_time(jp_fetch, sid: int, noticed: float) -> dict:
    """The snapshot where `sid` starves, which must come within starvation_seconds plus two
    poll intervals (and the test's own 1 s polling) of when its shortage was `noticed`."""
    snapshot = await wait_for(
        jp_fetch,
        lambda s: session_in(s, sid).get("status") == "starving",
        STARVATION + 2 * POLL + 10,
        f"livy-session-{sid} to be starving",
    )
    assert time.monotonic() - noticed <= STARVATION + 2 * POLL + 3
    return snapshot


def session_in(snapshot: dict, sid: int) -> dict:
    for s in snapshot["sessions"]:
        if s["id"] == sid:
            return s
    return {}


LONG_JOB = (
    "import time\n"
    "sc.parallelize(range({tasks}), {tasks}).map(lambda x: (time.sleep({seconds}), x)[1]).count()"
)


def long_job(tasks: int, seconds: float = 1.0) -> str:
    return LONG_JOB.format(tasks=tasks, seconds=seconds)


@dataclass
class Endpoint:
    topology: str  # "standalone" | "yarn"
    livy: str
    cluster: str  # the standalone master's web UI, or the YARN ResourceManager

    def executors_granted(self, app_id: str) -> int | None:
        """The cluster manager's own count of an app's executors (None: it does not know it).

        Standalone: the cores the master granted, in the devstack's 1-core executors. YARN: the
        app's running containers but its application master."""
        if self.topology == "yarn":
            app = livy.get_json(f"{self.cluster}/ws/v1/cluster/apps/{app_id}").get("app", {})
            return max(0, app.get("runningContainers", 0) - 1) if app else None
        for app in livy.get_json(f"{self.cluster}/json/").get("activeapps", []):
            if app["id"] == app_id:
                return app["cores"]
        return None

    def executors_in_use(self) -> int:
        """Executors of every app as the cluster manager counts them (granted, maybe starting)."""
        if self.topology == "yarn":
            return sum(max(0, a["runningContainers"] - 1) for a in livy.yarn_apps(self.cluster))
        return livy.get_json(f"{self.cluster}/json/")["coresused"]

    def kill_app(self, app_id: str) -> None:
        """Ends an app through the cluster manager itself (orphans of a killed Livy)."""
        try:
            if self.topology == "yarn":
                livy.kill_yarn_app(self.cluster, app_id)
                return
            request = urllib.request.Request(
                f"{self.cluster}/app/kill/",
                data=f"id={app_id}&terminate=true".encode(),
                method="POST",
            )
            urllib.request.urlopen(request, timeout=10).read()
        except Exception as error:  # best effort cleanup
            print(f"could not kill {app_id}: {error}")


def endpoint_sh(*args: str, timeout: float = 1800) -> None:
    subprocess.run(
        ["bash", str(REPO / "devstack" / "endpoint.sh"), *args], check=True, timeout=timeout
    )


def bring_up(topology: str) -> Endpoint:
    """devstack/endpoint.sh up in this topology, taking the other one down first if it runs."""
    recorded = STATE / "topology"
    if recorded.exists() and recorded.read_text().strip() != topology:
        endpoint_sh("down", timeout=300)
    endpoint_sh("up", f"--{topology}")
    if os.environ.get("CI"):  # CI always has ../shared/livy: no stand-in may pass for Livy
        kind = (STATE / "livy-kind").read_text().split()[0]
        assert kind == "real", f"CI ran the real-stack tests on {kind} Livy, not Apache Livy"
    cluster = YARN_URL if topology == "yarn" else MASTER_UI
    return Endpoint(topology, LIVY_URL, cluster)
