"""The measured side of the benchmark: one Jupyter server at one number of sessions S.

`run.py --worker S` runs run_worker() in a process of its own, after putting the package root
(--package-root, or GLUE_SESSIONS_ROOT from the driver) first on sys.path: glue_sessions and
jupyter_server are imported only inside the functions below, so that they come from there.
It prints the JSON of the results on its last line, for the driver (run.py) to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

from common import LATENCY, free_port, median, percentile, rss_mb

HERE = Path(__file__).resolve().parent
TICK = 0.001  # the lag ticker sleeps 1 ms and records how late it wakes up
HOUR_OF_CYCLES = 720  # 3600 s of history at the default 5 s poll interval


class Hooks:
    """Measurement shims around the poller; nothing in glue_sessions is changed."""

    PARTS = ("json", "publish", "notebooks")

    def __init__(self, poller, http_module):
        import json as real_json

        self.reset()
        timed = self.timed

        class TimedJson:
            def __getattr__(self, name):
                return getattr(real_json, name)

            loads = staticmethod(timed("json", real_json.loads))

        http_module.json = TimedJson()  # the `json` that JsonFetcher.get_json decodes with
        poller._publish = timed("publish", poller._publish)
        if poller.notebooks is not None:
            poller.notebooks = timed("notebooks", poller.notebooks)

    def timed(self, part: str, fn):
        """fn, its CPU time added to the part's."""

        def run(*args, **kw):
            t = time.process_time()
            try:
                return fn(*args, **kw)
            finally:
                self.cpu[part] += time.process_time() - t

        return run

    def reset(self):
        self.cpu = dict.fromkeys(self.PARTS, 0.0)  # CPU seconds of each part since reset()


class Ticker:
    """A coroutine on the server's loop that sleeps TICK and records the overshoot."""

    def __init__(self):
        self.samples: list[float] = []
        self._task = None

    async def _run(self):
        while True:
            t = time.perf_counter()
            await asyncio.sleep(TICK)
            self.samples.append(time.perf_counter() - t - TICK)

    def start(self):
        self.samples = []
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> dict:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        ms = [max(0.0, s) * 1000 for s in self.samples]
        return {
            "p50": percentile(ms, 0.5),
            "p99": percentile(ms, 0.99),
            "max": max(ms) if ms else float("nan"),
            "n": len(ms),
        }


def start_server(emulator: str, workers: int, token: str, port: int, max_concurrency: int | None):
    from jupyter_server.serverapp import ServerApp
    from traitlets.config import Config

    c = Config()
    c.ServerApp.jpserver_extensions = {"glue_sessions": True}
    c.IdentityProvider.token = token
    c.GlueSessions.livy_url = emulator
    c.GlueSessions.yarn_url = emulator
    c.GlueSessions.worker_type = "G.1X"
    c.GlueSessions.number_of_workers = workers
    c.GlueSessions.sparkmagic_config = "/nonexistent/config.json"
    if max_concurrency:
        c.GlueSessions.max_concurrency = max_concurrency
    app = ServerApp.instance(
        config=c,
        port=port,
        port_retries=0,
        open_browser=False,
        root_dir=tempfile.mkdtemp(prefix="glue-bench-root-"),
        log_level="WARN",
        allow_root=True,
    )
    app.init_signal = lambda: None
    # Only our extension; the poller's own timer is not started (start_ioloop/_post_start are
    # not called), so the benchmark drives poll_once() itself, on the server's loop.
    app.initialize(argv=[], find_extensions=False, new_httpserver=True)
    app.start_app()
    return app


async def run_worker(args) -> dict:
    from tornado.httpclient import AsyncHTTPClient

    import glue_sessions.client.http
    from glue_sessions.serve.history import History

    S = args.worker
    control_client = AsyncHTTPClient(force_instance=True)

    async def control(what, **query):
        response = await control_client.fetch(f"{args.emulator}/__bench/{what}?{urlencode(query)}")
        return json.loads(response.body)

    info = await control("scenario", count=S)
    await control("latency", seconds=0)
    token = secrets.token_hex(8)
    port = free_port()
    app = start_server(args.emulator, info["workers"], token, port, args.max_concurrency)
    server_url = f"http://127.0.0.1:{port}"
    await asyncio.sleep(0.2)  # the http server binds on the loop
    poller = app.web_app.settings["glue_sessions_poller"]
    hooks = Hooks(poller, glue_sessions.client.http)
    reps = args.reps
    out: dict = {"sessions": S, "workers": info["workers"]}

    # Simulated time: each cycle is 5 s after the previous one, as with the default interval, so
    # that "starving for 30 s" is reached after 7 cycles instead of 30 s of benchmark.
    now = [time.time()]
    poller.clock = lambda: now[0]

    async def cycle() -> dict:
        hooks.reset()
        now[0] += poller.config.poll_interval
        cpu = time.process_time()
        await poller.poll_once()
        cpu = time.process_time() - cpu
        st = poller.stats
        return {
            "cpu": cpu,
            "parse": st.parse_cpu_seconds,
            "analysis": st.analysis_cpu_seconds,
            "fetch": cpu - st.parse_cpu_seconds - st.analysis_cpu_seconds,
            **hooks.cpu,
            "wall": st.wall_seconds,
            "requests": st.requests,
        }

    def medians(cycles):
        return {k: median([c[k] for c in cycles]) for k in cycles[0]}

    async def subprocess_json(*argv, ticker=None) -> tuple[dict, float]:
        """Run a client process; returns its JSON and the server's CPU while it ran (and runs
        the lag ticker from the moment the process exists, not during the fork)."""
        cpu = time.process_time()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *argv, stdout=asyncio.subprocess.PIPE
        )
        if ticker is not None:
            ticker.start()
        stdout, _ = await proc.communicate()
        cpu = time.process_time() - cpu
        return json.loads(stdout.decode().strip().splitlines()[-1]), cpu

    # 1. CPU, latency 0. Warm-up cycles first (imports, caches), past the starvation threshold,
    #    so that what is measured is the steady state of the scenario.
    for _ in range(int(poller.config.starvation_seconds / poller.config.poll_interval) + 2):
        await cycle()
    out["cpu"] = medians([await cycle() for _ in range(reps)])
    snapshot = poller.snapshot
    statuses: dict[str, int] = {}
    for s in snapshot["sessions"]:
        statuses[s["status"]] = statuses.get(s["status"], 0) + 1
    out["statuses"] = statuses
    out["states"] = {
        st: sum(1 for s in snapshot["sessions"] if s["state"] == st)
        for st in sorted({s["state"] for s in snapshot["sessions"]})
    }

    # 2. Endpoint requests of one cycle, as the emulator saw them.
    await control("requests", clear=1)
    await cycle()
    out["requests"] = await control("requests", clear=1)

    # 3. Event-loop lag while cycles run back to back at latency 0 (the loop's busiest case).
    ticker = Ticker()
    ticker.start()
    for _ in range(reps):
        await cycle()
    out["lag_stress"] = await ticker.stop()

    # 4. Wall time of a cycle with 50 ms per request, and the lag meanwhile.
    await control("latency", seconds=LATENCY)
    await cycle()  # connections re-established at the new pace
    ticker.start()
    walls = [await cycle() for _ in range(args.wall_reps)]
    out["lag"] = await ticker.stop()
    out["wall"] = medians(walls)
    await control("latency", seconds=0)

    # 5. Ten tabs cost the endpoint what one does: tabs read the snapshot API while we poll.
    out["tabs"] = {}
    for tabs in (1, 10):
        await control("requests", clear=1)
        seconds = max(1.0, 2 * out["cpu"]["wall"] + 0.5)
        proc = asyncio.ensure_future(
            subprocess_json(
                str(HERE / "tabs.py"),
                "poll",
                "--url",
                server_url,
                "--token",
                token,
                "--tabs",
                str(tabs),
                "--seconds",
                f"{seconds:.2f}",
                "--interval",
                "0.2",
            )
        )
        await asyncio.sleep(0.1)
        await cycle()
        await cycle()
        client, _ = await proc
        endpoint = await control("requests", clear=1)
        out["tabs"][str(tabs)] = {
            "endpoint_requests_per_cycle": endpoint["total"] / 2,
            "snapshot_reads": client["requests"],
            "statuses": client["statuses"],
        }

    # 6. Snapshot size and the cost of a snapshot request, changed (200) or not (304).
    n = args.gets
    out["snapshot_bytes"] = len(poller.snapshot_body)
    get = {}
    for label, extra in (("200", []), ("304", ["--etag"])):
        client, cpu = await subprocess_json(
            str(HERE / "tabs.py"),
            "time",
            "--url",
            server_url,
            "--token",
            token,
            "-n",
            str(n),
            *extra,
        )
        get[label] = dict(client, server_cpu_ms=cpu / (n + 1) * 1000)
    out["get"] = get

    # 7. An hour of history: 720 cycles of S sessions in the poller's ring.
    #    RSS without tracemalloc first; then the ring's own bytes with tracemalloc on a copy.
    def fill(history):
        pairs = json.dumps([[s["id"], s["executors"]] for s in snapshot["sessions"]])
        t0 = time.time()
        for k in range(HOUR_OF_CYCLES):
            counts = {i: (e + k) % 9 if i % 10 == 0 else e for i, e in json.loads(pairs)}
            history.add(t0 - 5 * (HOUR_OF_CYCLES - k), counts)

    rss_before = rss_mb()
    poller.history = History(maxlen=poller.history.maxlen)
    fill(poller.history)
    out["rss_mb"] = rss_mb()
    out["rss_history_delta_mb"] = out["rss_mb"] - rss_before
    out["history_maxlen"] = poller.history.maxlen
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    copy = History(maxlen=poller.history.maxlen)
    fill(copy)
    out["history_bytes"] = tracemalloc.get_traced_memory()[0] - base
    del copy
    tracemalloc.stop()

    # 8. The history request over that hour (the panel's sparklines): the first one after a
    #    poll (with the lag ticker on, for the longest time it holds the loop), then repeats.
    as_json = []
    for _ in range(3):
        t = time.process_time()
        poller.history.as_json(poller.config.poll_interval)
        as_json.append(time.process_time() - t)
    out["history_as_json_ms"] = median(as_json) * 1000
    history_args = [str(HERE / "tabs.py"), "time", "--url", server_url, "--token", token]
    history_args += ["--path", "glue-sessions/api/history"]
    client, cpu = await subprocess_json(*history_args, "-n", "0", ticker=ticker)
    block = await ticker.stop()
    out["history_get"] = dict(client, server_cpu_ms=cpu * 1000, longest_block_ms=block["max"])
    client, cpu = await subprocess_json(*history_args, "-n", "3", "--etag")
    out["history_get_etag"] = dict(client, server_cpu_ms=cpu / 4 * 1000)

    await poller.stop()
    app.http_server.stop()
    control_client.close()
    return out
