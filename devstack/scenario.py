#!/usr/bin/env python3
"""Drive the devstack's Livy, Spark master and YARN ResourceManager from tests, benchmarks and
the demo: the functions they call, and the entry point of the CLI (its commands are in
scenario_cli.py).

Stdlib only (urllib). As a module::

    from devstack import scenario            # or put devstack/ on sys.path
    sid = scenario.create_session()          # kind="pyspark"
    scenario.wait_state(sid, {"idle"})
    st = scenario.submit(sid, "spark.range(100).count()")
    scenario.wait_statement(sid, st)["output"]["data"]["text/plain"]   # '100'
    scenario.delete_session(sid)

As a CLI::

    python devstack/scenario.py contention [--tasks 600] [--cleanup]
    python devstack/scenario.py list | snapshot | delete-all
    python devstack/scenario.py capture --out devstack/samples

Base URLs come from GLUE_DEVSTACK_LIVY_URL (default http://127.0.0.1:8998),
GLUE_DEVSTACK_MASTER_UI (default http://127.0.0.1:8080) and, in the YARN topology,
GLUE_DEVSTACK_YARN_URL (the ResourceManager; `source .devstack/env.sh` sets them), or each
function's arguments.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

LIVY_URL = os.environ.get("GLUE_DEVSTACK_LIVY_URL", "http://127.0.0.1:8998")
MASTER_UI = os.environ.get("GLUE_DEVSTACK_MASTER_UI", "http://127.0.0.1:8080")
YARN_URL = os.environ.get("GLUE_DEVSTACK_YARN_URL", "")  # set: the YARN topology runs

# the jobs of the contention scenario (executor 1 core / 512m comes from spark-defaults.conf)
HOG_CODE = (
    "import time\n"
    "sc.parallelize(range({tasks}), {tasks}).map(lambda x: time.sleep({sleep}) or x).count()"
)
SMALL_CODE = "import time\nsc.parallelize(range(6), 6).map(lambda x: time.sleep(1) or x).count()"
CACHE_CODE = (
    "df = spark.range(0, 2000000, 1, 2).selectExpr('id', 'id * 2 AS twice').cache()\ndf.count()"
)


class LivyError(RuntimeError):
    pass


def _request(method: str, url: str, body=None, timeout: float = 30.0):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        raise LivyError(
            f"{method} {url}: HTTP {e.code}: {e.read().decode(errors='replace')}"
        ) from e
    return json.loads(raw) if raw.strip() else None


def get_json(url: str, timeout: float = 10.0):
    return _request("GET", url, timeout=timeout)


# ------------------------------------------------------------------ Livy
def list_sessions(livy: str = LIVY_URL) -> list:
    return get_json(f"{livy}/sessions")["sessions"]


def get_session(sid: int, livy: str = LIVY_URL) -> dict:
    return get_json(f"{livy}/sessions/{sid}")


def create_session(
    kind: str = "pyspark",
    conf: dict | None = None,
    name: str | None = None,
    livy: str = LIVY_URL,
    **fields,
) -> int:
    """POST /sessions; returns the new session id. Extra fields (driverMemory...) pass through."""
    body = {"kind": kind, **fields}
    if conf:
        body["conf"] = conf
    if name:
        body["name"] = name
    return _request("POST", f"{livy}/sessions", body)["id"]


def wait_state(sid: int, states=("idle",), timeout: float = 180.0, livy: str = LIVY_URL) -> str:
    """Wait until the session is in one of `states`; raises on error/dead/killed or timeout."""
    states = {states} if isinstance(states, str) else set(states)
    deadline = time.time() + timeout
    state = None
    while time.time() < deadline:
        state = get_json(f"{livy}/sessions/{sid}/state")["state"]
        if state in states:
            return state
        if state in ("error", "dead", "killed", "success") and state not in states:
            raise LivyError(f"session {sid} is {state}")
        time.sleep(0.5)
    raise TimeoutError(f"session {sid} still {state} after {timeout}s (wanted {sorted(states)})")


def submit(sid: int, code: str, kind: str | None = None, livy: str = LIVY_URL) -> int:
    """POST /sessions/N/statements; returns the statement id."""
    body = {"code": code}
    if kind:
        body["kind"] = kind
    return _request("POST", f"{livy}/sessions/{sid}/statements", body)["id"]


def get_statement(sid: int, stid: int, livy: str = LIVY_URL) -> dict:
    return get_json(f"{livy}/sessions/{sid}/statements/{stid}")


def wait_statement(sid: int, stid: int, timeout: float = 300.0, livy: str = LIVY_URL) -> dict:
    """Wait until the statement is available/cancelled; returns it (check output.status)."""
    deadline = time.time() + timeout
    st = None
    while time.time() < deadline:
        st = get_statement(sid, stid, livy)
        if st["state"] in ("available", "cancelled", "error"):
            return st
        time.sleep(0.5)
    raise TimeoutError(f"statement {sid}/{stid} still {st and st['state']} after {timeout}s")


def run(sid: int, code: str, timeout: float = 300.0, livy: str = LIVY_URL) -> str:
    """Submit, wait, and return text/plain; raises LivyError on a Python error."""
    st = wait_statement(sid, submit(sid, code, livy=livy), timeout, livy)
    out = st.get("output") or {}
    if out.get("status") != "ok":
        raise LivyError(f"{out.get('ename')}: {out.get('evalue')}")
    return out.get("data", {}).get("text/plain", "")


def cancel_statement(sid: int, stid: int, livy: str = LIVY_URL) -> None:
    _request("POST", f"{livy}/sessions/{sid}/statements/{stid}/cancel", {})


def delete_session(sid: int, livy: str = LIVY_URL) -> None:
    try:
        _request("DELETE", f"{livy}/sessions/{sid}", timeout=60)
    except LivyError as e:
        if "HTTP 404" not in str(e):
            raise


def session_log(sid: int, size: int = 200, livy: str = LIVY_URL) -> dict:
    return get_json(f"{livy}/sessions/{sid}/log?size={size}")


# ------------------------------------------------------------------ Spark
def master_json(master_ui: str = MASTER_UI) -> dict:
    return get_json(f"{master_ui}/json/")


def app_for_session(sid: int, master_ui: str = MASTER_UI, name: str | None = None) -> dict | None:
    """The master's active app of a Livy session (matched by name: livy-session-N by default)."""
    want = name or f"livy-session-{sid}"
    for app in master_json(master_ui).get("activeapps", []):
        if app["name"] == want:
            return app
    return None


def driver_api(app_id: str, path: str = "", master_ui: str = MASTER_UI):
    """The driver's REST API through the master's reverse proxy (spark.ui.reverseProxy=true)."""
    return get_json(f"{master_ui}/proxy/{app_id}/api/v1/applications/{app_id}{path}")


def executors_held(app_id: str, master_ui: str = MASTER_UI) -> int:
    return sum(
        1
        for e in driver_api(app_id, "/executors", master_ui)
        if e["id"] != "driver" and e["isActive"]
    )


# ------------------------------------------------------------------ YARN
def yarn_apps(yarn_url: str) -> list:
    body = get_json(f"{yarn_url}/ws/v1/cluster/apps?states=RUNNING")
    return (body.get("apps") or {}).get("app", [])


def kill_yarn_app(yarn_url: str, app_id: str) -> None:
    """Ends an application through YARN itself."""
    _request("PUT", f"{yarn_url}/ws/v1/cluster/apps/{app_id}/state", {"state": "KILLED"})


def kill_apps_left_by_livy(yarn_url: str, livy: str = LIVY_URL) -> list[str]:
    """Kills the YARN applications of Livy sessions (tagged livy-session-N-...) that Livy no
    longer lists: Livy leaves behind the application of a session deleted while it starts (a
    notebook whose kernel ended while it waited for a driver), and it would hold containers."""
    listed = {s.get("appId") for s in list_sessions(livy)}
    body = get_json(f"{yarn_url}/ws/v1/cluster/apps?states=RUNNING,ACCEPTED")
    left = [
        app["id"]
        for app in (body.get("apps") or {}).get("app", [])
        if app["id"] not in listed
        and any(t.startswith("livy-session-") for t in app.get("applicationTags", "").split(","))
    ]
    for app_id in left:
        kill_yarn_app(yarn_url, app_id)
    return left


def set_scheduler_conf(yarn_url: str, key: str, value: str) -> None:
    """Changes the CapacityScheduler's configuration at run time, as an operator would
    through YARN's REST API (devstack's RM keeps it in a mutable store)."""
    entry = f"<entry><key>{key}</key><value>{value}</value></entry>"
    _request_xml(
        f"{yarn_url}/ws/v1/cluster/scheduler-conf?user.name=root",
        f"<sched-conf><global-updates>{entry}</global-updates></sched-conf>".encode(),
    )


def _request_xml(url: str, body: bytes) -> None:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/xml"}, method="PUT"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def yarn_snapshot(livy: str, yarn_url: str) -> str:
    m = get_json(f"{yarn_url}/ws/v1/cluster/metrics")["clusterMetrics"]
    lines = [
        f"yarn: vcores {m['allocatedVirtualCores']}/{m['totalVirtualCores']} used, "
        f"containers {m['containersAllocated']}, pending {m['containersPending']}"
    ]
    apps = {a["name"]: a for a in yarn_apps(yarn_url)}
    for s in list_sessions(livy):
        app = apps.get(s.get("name") or f"livy-session-{s['id']}")
        extra = ""
        if app:
            extra = f"  app {app['id']} containers {app['runningContainers']} (1 is the AM)"
        lines.append(f"session {s['id']:>3} {s['state']:<8} {s['kind']:<8}{extra}")
    return "\n".join(lines)


# ------------------------------------------------------------------ CLI
def main(argv=None) -> int:
    """The CLI: python devstack/scenario.py contention | list | snapshot | delete-all | capture."""
    import scenario_cli  # imported here: it imports this module (devstack/ is on sys.path)

    return scenario_cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
