"""The endpoint emulator in its own process, with a small control API for the benchmark.

The emulator plays Livy, the YARN RM (and its web proxy to each Spark driver) and the Spark
REST API. It runs in a separate process so that its CPU time and its moments of blocking are
never counted against the Jupyter server that is being measured (a real endpoint is another
machine). It answers the same bodies as the `emulator` package at the root; the only difference
is speed: sessions are looked up by app id in a dict and response objects are built once per
scenario, so that at latency 0 the emulator is not what limits a cycle.

Control (never logged as endpoint requests):
    GET /__bench/scenario?count=N&mode=yarn   a fresh scaled_scenario(N), log cleared
    GET /__bench/latency?seconds=0.05         latency added to every endpoint answer
    GET /__bench/requests?clear=1             counts of endpoint requests since last clear

    python bench/emulator_server.py --port 0   (prints "READY <url>" when listening)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import tornado.httpserver
import tornado.web
from tornado.netutil import bind_sockets

# The endpoint emulator lives in this checkout's root (emulator/), never in the package under
# test: a patched copy (run.py --package-root) is measured against the same endpoint.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.endpoint import EndpointEmulator, _Handler
from emulator.scenario import scaled_scenario


def classify(uri: str) -> str:
    if uri.startswith("/sessions"):
        return "livy"
    if uri.startswith("/proxy/"):
        return "spark"
    if uri.startswith(("/ws/v1/cluster", "/json")):
        return "cluster"
    return "other"


class FastEmulator(EndpointEmulator):
    """Same answers as EndpointEmulator, built once per scenario instead of once per request."""

    def set_scenario(self, scenario) -> None:
        self.scenario = scenario
        self._by_app = {scenario.app_id(s.id): s for s in scenario.sessions}
        self._cache: dict = {}
        self.requests.clear()

    def session_by_app(self, app_id):
        return self._by_app.get(app_id)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def livy_sessions(self, start, size):
        make = super().livy_sessions
        return self._cached(("livy", start, size), lambda: make(start, size))

    def executors(self, session):
        make = super().executors
        return self._cached(("ex", session.id), lambda: make(session))

    def active_stages(self, session):
        make = super().active_stages
        return self._cached(("st", session.id), lambda: make(session))

    def yarn_metrics(self):
        return self._cached(("yarn",), super().yarn_metrics)

    def master(self):
        return self._cached(("master",), super().master)


class Control(tornado.web.RequestHandler):
    def initialize(self, emulator: FastEmulator) -> None:
        self.emulator = emulator

    def get(self, what: str) -> None:
        em = self.emulator
        if what == "scenario":
            count = int(self.get_query_argument("count"))
            mode = self.get_query_argument("mode", "yarn")
            em.set_scenario(scaled_scenario(count, mode))
            sc = em.scenario
            self.finish({"sessions": len(sc.sessions), "workers": sc.workers})
        elif what == "latency":
            em.scenario.latency = float(self.get_query_argument("seconds"))
            self.finish({"latency": em.scenario.latency})
        elif what == "requests":
            counts = {"livy": 0, "spark": 0, "cluster": 0, "other": 0}
            for uri in em.requests:
                counts[classify(uri)] += 1
            counts["total"] = len(em.requests)
            if self.get_query_argument("clear", "0") == "1":
                em.requests.clear()
            self.finish(counts)
        else:
            raise tornado.web.HTTPError(404)


async def serve(port: int) -> None:
    emulator = FastEmulator(scaled_scenario(1))
    emulator.set_scenario(scaled_scenario(1))
    app = tornado.web.Application(
        [
            (r"/__bench/(\w+)", Control, {"emulator": emulator}),
            (r"/.*", _Handler, {"emulator": emulator}),
        ]
    )
    sockets = bind_sockets(port, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    emulator.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    print(f"READY {emulator.base_url}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
