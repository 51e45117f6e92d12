"""A deterministic Livy + Spark endpoint emulator for unit tests, ui-tests and benchmarks.

It answers the same URLs as the real peers, with response bodies cut from responses recorded on
the real local endpoint (devstack/samples/, cut by make_templates.py): Livy's GET /sessions, a
Spark standalone master's /json/, YARN's /ws/v1/cluster/metrics, and each driver's
/api/v1/applications/{app}/executors and /stages?status=active behind a /proxy/{app}/ prefix
(the YARN RM web proxy, or the standalone master's reverse proxy). Sessions, sizes and faults
are a `Scenario` that tests change between polls. It never replaces the real-stack tests.

It lives with the tests and benchmarks, outside the installed package. Run it by hand from the
repository's root: python -m emulator --scenario seed --port 18998
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.web

from .scenario import SCENARIOS, EmulatedSession, Scenario, scaled_scenario

TEMPLATES = Path(__file__).with_name("templates.json")


class Templates:
    """Real recorded response items, cloned and filled with the scenario's numbers."""

    def __init__(self, path: Path = TEMPLATES):
        self.raw = json.loads(path.read_text())

    def item(self, name: str) -> dict:
        return copy.deepcopy(self.raw[name])


class EndpointEmulator:
    def __init__(self, scenario: Scenario, templates: Templates | None = None):
        self.scenario = scenario
        self.templates = templates or Templates()
        self.requests: list[str] = []
        self.headers: list[dict] = []
        self.base_url = ""

    # -- responses -----------------------------------------------------------------------------

    def livy_sessions(self, start: int, size: int) -> dict:
        sc = self.scenario
        items = []
        for s in sc.sessions[start : start + size]:
            item = self.templates.item("livy_session")
            app_id = sc.app_id(s.id) if s.state not in ("not_started", "starting") else None
            item.update(
                id=s.id,
                name=s.name,
                appId=app_id if sc.mode == "yarn" else None,
                owner=s.owner,
                proxyUser=s.owner,
                state=s.state,
                kind=s.kind,
            )
            if sc.mode == "yarn" and app_id:
                base = sc.spark_ui_base or self.base_url
                item["appInfo"] = {
                    "driverLogUrl": f"{base}/node/containerlogs/{app_id}/livy",
                    "sparkUiUrl": f"{base}/proxy/{app_id}/",
                }
            else:
                item["appInfo"] = {"driverLogUrl": None, "sparkUiUrl": None}
            conf = {} if sc.livy_hides_conf else dict(s.conf)
            if s.max_executors is not None:
                conf["spark.dynamicAllocation.maxExecutors"] = str(s.max_executors)
            if conf:
                item["conf"] = conf
            items.append(item)
        return {"from": start, "total": len(sc.sessions), "sessions": items}

    def executors(self, session: EmulatedSession) -> list:
        sc = self.scenario
        driver = self.templates.item("executor_driver")
        out = [driver]
        running = session.running_tasks
        for n in range(session.executors):
            ex = self.templates.item("executor")
            active = min(sc.executor_cores, running)
            running -= active
            ex.update(
                id=str(n + 1),
                hostPort=f"10.0.0.{n % 250 + 1}:4{n % 1000:03d}",
                totalCores=sc.executor_cores,
                maxTasks=sc.executor_cores,
                activeTasks=active,
            )
            out.append(ex)
        return out

    def active_stages(self, session: EmulatedSession) -> list:
        if not (session.running_tasks or session.pending_tasks):
            return []
        stage = self.templates.item("stage")
        stage.update(
            status="ACTIVE",
            stageId=1,
            numTasks=session.running_tasks + session.pending_tasks,
            numActiveTasks=session.running_tasks,
            numCompleteTasks=0,
            numFailedTasks=0,
            numKilledTasks=0,
        )
        return [stage]

    def master(self) -> dict:
        sc = self.scenario
        body = self.templates.item("master")
        worker_template = self.templates.item("master_worker")
        app_template = self.templates.item("master_app")
        # One executor per worker plus one worker's worth for the drivers, like Glue.
        workers = []
        for n in range(sc.workers - 1):
            w = copy.deepcopy(worker_template)
            w.update(
                id=f"worker-20261124100000-10.0.1.{n + 1}-7078",
                host=f"10.0.1.{n + 1}",
                cores=sc.executor_cores,
                memory=sc.executor_memory_mb,
                state="ALIVE",
            )
            workers.append(w)
        apps = []
        used = 0
        for s in sc.sessions:
            if s.state in ("not_started", "starting", "dead", "killed", "error", "success"):
                continue
            a = copy.deepcopy(app_template)
            cores = s.executors * sc.executor_cores
            used += cores
            a.update(
                id=sc.app_id(s.id),
                name=f"livy-session-{s.id}",
                cores=cores,
                memoryperexecutor=sc.executor_memory_mb,
                memoryperslave=sc.executor_memory_mb,
                state="RUNNING" if s.executors else "WAITING",
                starttime=1764000000000 + s.id,
                user=s.owner or "livy",
            )
            apps.append(a)
        total_cores = sum(w["cores"] for w in workers)
        body.update(
            workers=workers,
            aliveworkers=len(workers),
            cores=total_cores,
            coresused=used,
            memory=sum(w["memory"] for w in workers),
            activeapps=apps,
        )
        return body

    # Every app's application master (in cluster mode its driver) is a container of this size.
    AM_VCORES, AM_MB = 1, 1024

    def _yarn_running(self) -> list[EmulatedSession]:
        return [s for s in self.scenario.sessions if s.state in ("idle", "busy", "running")]

    def yarn_metrics(self) -> dict:
        """Sized like Glue: one executor per worker but one, plus what the AMs take."""
        sc = self.scenario
        running = self._yarn_running()
        used = sum(s.executors for s in running)
        ams = len(running)
        return {
            "clusterMetrics": {
                "activeNodes": sc.workers,
                "totalVirtualCores": (sc.workers - 1) * sc.executor_cores + ams * self.AM_VCORES,
                "totalMB": (sc.workers - 1) * sc.executor_memory_mb + ams * self.AM_MB,
                "allocatedVirtualCores": used * sc.executor_cores + ams * self.AM_VCORES,
                "allocatedMB": used * sc.executor_memory_mb + ams * self.AM_MB,
                "reservedVirtualCores": 0,
                "reservedMB": 0,
            }
        }

    def yarn_apps(self) -> dict:
        sc = self.scenario
        apps = []
        for s in self._yarn_running():
            wanted = -(-(s.running_tasks + s.pending_tasks) // sc.executor_cores)
            asked = {"memory": sc.executor_memory_mb, "vCores": sc.executor_cores}
            apps.append(
                {
                    "id": sc.app_id(s.id),
                    "name": s.name or f"livy-session-{s.id}",
                    "state": "RUNNING",
                    "runningContainers": s.executors + 1,
                    "allocatedVCores": s.executors * sc.executor_cores + self.AM_VCORES,
                    "allocatedMB": s.executors * sc.executor_memory_mb + self.AM_MB,
                    "resourceRequests": [
                        {
                            "resourceName": "*",
                            "numContainers": max(0, wanted - s.executors),
                            "capability": asked,
                        }
                    ],
                }
            )
        return {"apps": {"app": apps} if apps else None}

    def environment(self, session: EmulatedSession) -> dict:
        sc = self.scenario
        props = [
            ["spark.executor.cores", str(sc.executor_cores)],
            ["spark.executor.memory", f"{sc.executor_memory_mb}m"],
        ]
        if session.max_executors is not None:
            props.append(["spark.dynamicAllocation.maxExecutors", str(session.max_executors)])
        props.extend([key, value] for key, value in session.conf.items())
        return {"sparkProperties": props}

    def session_by_app(self, app_id: str) -> EmulatedSession | None:
        for s in self.scenario.sessions:
            if self.scenario.app_id(s.id) == app_id:
                return s
        return None

    # -- server --------------------------------------------------------------------------------

    def application(self) -> tornado.web.Application:
        return tornado.web.Application([(r"/.*", _Handler, {"emulator": self})])

    async def start(self, port: int = 0, address: str = "127.0.0.1") -> str:
        from tornado.netutil import bind_sockets

        sockets = bind_sockets(port, address)
        self._server = tornado.httpserver.HTTPServer(self.application())
        self._server.add_sockets(sockets)
        port = sockets[0].getsockname()[1]
        self.base_url = f"http://{address}:{port}"
        return self.base_url

    def stop(self) -> None:
        self._server.stop()


class _Handler(tornado.web.RequestHandler):
    def initialize(self, emulator: EndpointEmulator) -> None:
        self.emulator = emulator

    async def get(self) -> None:
        em = self.emulator
        sc = em.scenario
        path = self.request.path
        em.requests.append(self.request.uri)
        em.headers.append(dict(self.request.headers))
        if sc.latency:
            await asyncio.sleep(sc.latency)
        for prefix, fault in sc.faults.items():
            if self.request.uri.startswith(prefix):
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                self.set_status(fault.status)
                body = fault.body
                if body is None:
                    body = json.dumps({"msg": f"emulated fault {fault.status}"})
                self.finish(body)
                return
        body = self.route(path)
        if body is None:
            self.set_status(404)
            self.finish(json.dumps({"msg": f"not found: {path}"}))
            return
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def post(self) -> None:
        """Test control, for emulators run as a process (ui-tests):

        POST /_emulator/sessions/{id}  {"state": ..., "executors": ..., ...}  adds or updates a
        session; POST /_emulator/sessions/{id}/delete removes it; POST /_emulator/livy_down
        {"down": true} makes Livy answer 503.
        """
        sc = self.emulator.scenario
        parts = self.request.path.strip("/").split("/")
        body = json.loads(self.request.body or b"{}")
        if parts[:2] == ["_emulator", "sessions"] and len(parts) >= 3:
            session_id = int(parts[2])
            existing = [s for s in sc.sessions if s.id == session_id]
            if len(parts) == 4 and parts[3] == "delete":
                sc.sessions = [s for s in sc.sessions if s.id != session_id]
            elif existing:
                for key, value in body.items():
                    if key in EmulatedSession.__dataclass_fields__ and key != "id":
                        setattr(existing[0], key, value)
            else:
                fields = {
                    k: v for k, v in body.items() if k in EmulatedSession.__dataclass_fields__
                }
                sc.sessions.append(EmulatedSession(**dict(fields, id=session_id)))
                sc.sessions.sort(key=lambda s: s.id)
        elif parts == ["_emulator", "livy_down"]:
            sc.livy_down = bool(body.get("down", True))
        else:
            raise tornado.web.HTTPError(404)
        self.finish(json.dumps({"ok": True}))

    def delete(self) -> None:
        """Livy's DELETE /sessions/{id}."""
        parts = self.request.path.strip("/").split("/")
        self.emulator.requests.append(f"DELETE {self.request.uri}")
        sc = self.emulator.scenario
        if len(parts) == 2 and parts[0] == "sessions" and parts[1].isdigit():
            before = len(sc.sessions)
            sc.sessions = [s for s in sc.sessions if s.id != int(parts[1])]
            if len(sc.sessions) < before:
                self.finish(json.dumps({"msg": "deleted"}))
                return
        raise tornado.web.HTTPError(404)

    def check_xsrf_cookie(self) -> None:  # a test double on loopback, driven by scripts
        return

    def route(self, path: str) -> Any:
        em = self.emulator
        sc = em.scenario
        if path == "/sessions":
            if sc.livy_down:
                raise tornado.web.HTTPError(503)
            wanted = sc.livy_authorization
            if wanted is not None and self.request.headers.get("Authorization") != wanted:
                raise tornado.web.HTTPError(401)
            start = int(self.get_query_argument("from", "0"))
            size = int(self.get_query_argument("size", "100"))
            return em.livy_sessions(start, size)
        if path in ("/json", "/json/") and sc.mode == "standalone":
            return em.master()
        if path == "/ws/v1/cluster/metrics" and sc.mode == "yarn":
            return em.yarn_metrics()
        if path == "/ws/v1/cluster/apps" and sc.mode == "yarn":
            return em.yarn_apps()
        if path == "/ws/v1/cluster/info" and sc.mode == "yarn":  # what a probe for YARN asks
            return {"clusterInfo": {"state": "STARTED", "resourceManagerVersion": "3.3.4"}}
        parts = path.strip("/").split("/")
        # /proxy/{app}/api/v1/applications/{app}/{executors|stages}
        if len(parts) == 7 and parts[0] == "proxy" and parts[2:5] == ["api", "v1", "applications"]:
            session = em.session_by_app(parts[1])
            if session is None or parts[5] != parts[1]:
                return None
            if parts[6] == "executors":
                return em.executors(session)
            if parts[6] == "stages":
                return em.active_stages(session)
            if parts[6] == "environment":
                return em.environment(session)
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="seed", choices=sorted(SCENARIOS))
    parser.add_argument("--mode", default="yarn", choices=["yarn", "standalone"])
    parser.add_argument("--port", type=int, default=18998)
    parser.add_argument("--sessions", type=int, default=0, help="a scaled scenario of N sessions")
    args = parser.parse_args(argv)
    scenario = (
        scaled_scenario(args.sessions, args.mode)
        if args.sessions
        else SCENARIOS[args.scenario](mode=args.mode)
    )

    async def serve() -> None:
        emulator = EndpointEmulator(scenario)
        url = await emulator.start(args.port)
        print(
            f"endpoint emulator ({args.mode}, {len(scenario.sessions)} sessions) at {url}",
            flush=True,
        )
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
