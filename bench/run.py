"""glue-sessions speed and scale benchmark (budgets: bench/README.md).

    python bench/run.py [--sizes 1,10,100,500,1000] [--quick] [--max-concurrency N]
                        [--package-root DIR] [--json FILE] [--no-naive] [--no-servers]
                        [--no-panel]

For each number of sessions S it prints a table: our poller inside a real Jupyter server
against the endpoint emulator, next to the naive approach (each browser tab polls Livy and every
Spark UI itself), with the budgets of bench/README.md. See bench/README.md for what each row means.

Processes (all on loopback):
    run.py (this, orchestrator)
      |- emulator_server.py   the endpoint: Livy, YARN RM + web proxy, Spark REST (one process
      |                       for the whole run; its CPU is never counted as ours)
      |- run.py --worker S    a real jupyter_server ServerApp with the glue_sessions extension,
      |    |                  driven cycle by cycle; the lag ticker runs on the server's own loop
      |    '- tabs.py         browser tabs reading our snapshot/history API (client CPU apart)
      '- naive.py             the naive tabs, sequential keep-alive requests, json.loads
Numbers are medians over repeated cycles; the machine is shared, so expect noise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = str(HERE.parent)
LATENCY = 0.05
TICK = 0.001  # the lag ticker sleeps 1 ms and records how late it wakes up
HOUR_OF_CYCLES = 720  # 3600 s of history at the default 5 s poll interval

BUDGETS = {
    "analysis_ms": 20.0,  # at 500 sessions
    "lag_p99_ms": 10.0,
    "wall_s": 2.0,  # at 50 ms latency, 500 sessions
}


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------------------------
# worker: one Jupyter server, one S


class Hooks:
    """Measurement shims around the poller; nothing in glue_sessions is changed."""

    PARTS = ("json", "publish", "notebooks")

    def __init__(self, poller, http_module):
        import json as real_json

        self.cpu = dict.fromkeys(self.PARTS, 0.0)  # CPU seconds of each part since reset()
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
        self.cpu = dict.fromkeys(self.PARTS, 0.0)


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


# ------------------------------------------------------------------------------------------------
# orchestrator


def control(emulator: str, what: str, **query) -> dict:
    with urlopen(f"{emulator}/__bench/{what}?{urlencode(query)}", timeout=30) as r:
        return json.loads(r.read())


def start_emulator(env: dict) -> tuple[subprocess.Popen, str]:
    """emulator_server.py in a process of its own: the process and the emulator's URL."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "emulator_server.py"), "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("READY "):
        proc.terminate()
        proc.wait()
        raise SystemExit("the emulator did not start")
    return proc, line.split()[1]


def run_json(argv: list[str], env: dict) -> dict:
    done = subprocess.run([sys.executable, *argv], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"failed: {' '.join(argv)}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_naive(emulator: str, S: int, tabs: int, latency: float, cycles: int, env) -> dict:
    control(emulator, "scenario", count=S)
    control(emulator, "latency", seconds=latency)
    result = run_json(
        [str(HERE / "naive.py"), "--url", emulator, "--tabs", str(tabs), "--cycles", str(cycles)],
        env,
    )
    counts = control(emulator, "requests", clear=1)
    result["requests"] = {k: v / cycles for k, v in counts.items()}
    control(emulator, "latency", seconds=0)
    return result


def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float) and x != x:
        return "n/a"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"


def run_panel() -> dict | None:
    """The panel's update time in a browser (ui-tests/tests/perf.spec.ts, tag @perf, against a
    real Jupyter server with the built extension): its raw results, or None when it cannot run
    here (no jlpm or ui-tests not installed: `bash scripts/setup.sh`)."""
    ui = HERE.parent / "ui-tests"
    jlpm = shutil.which("jlpm")
    if not jlpm or not (ui / "node_modules").is_dir():
        print("  skipped: needs jlpm and ui-tests/node_modules (bash scripts/setup.sh)", flush=True)
        return None
    with tempfile.TemporaryDirectory(prefix="glue-panel-") as scratch:
        out = Path(scratch) / "panel.json"
        env = dict(os.environ, CI="true", GLUE_SESSIONS_PERF_JSON=str(out))
        done = subprocess.run(
            [jlpm, "playwright", "test", "-g", "@perf"],
            cwd=ui,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if done.returncode or not out.exists():
            print(f"  failed (exit {done.returncode}): run it alone to see why:", flush=True)
            print("  cd ui-tests && CI=true jlpm playwright test -g @perf", flush=True)
            return None
        return json.loads(out.read_text())


def panel_table(panel: dict) -> str:
    """The panel's rows: p50 / p95 (ms) of each measure in each workload, and the budget."""
    budget = panel["budget"]
    cases = list(panel["results"])
    lines = [
        f"Panel update with 200 sessions, in a browser (budget: p95 < {budget} ms)",
        "",
        "| measure | " + " | ".join(f"{c}: p50 / p95" for c in cases) + " | budget |",
        "|---|" + "---|" * len(cases) + "---|",
    ]
    measures = [
        ("update", "response -> DOM committed (rows in view)", True),
        ("commit", "React render + commit", False),
        ("settled", "response -> all rows committed", False),
        ("frame", "response -> next frame done", False),
    ]
    for key, label, budgeted in measures:
        cells, worst = [], 0.0
        for c in cases:
            values = [float(v) for v in panel["results"][c].get(key) or []]
            p95 = percentile(values, 0.95)
            worst = max(worst, p95)
            cells.append(f"{fmt(percentile(values, 0.5))} / {fmt(p95)}")
        mark = verdict(worst, budget) if budgeted else "-"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {mark} |")
    lines += ["", panel.get("machine", "")]
    return "\n".join(lines)


def verdict(value, limit):
    return "ok" if value < limit else "MISSED"


def table(r: dict, naive: dict | None) -> str:
    S = r["sessions"]
    cpu, wall = r["cpu"], r["wall"]
    req = r["requests"]
    rows = []
    add = rows.append
    n1 = naive and naive["1"]
    n10 = naive and naive["10"]
    ours_cpu_ms = cpu["cpu"] * 1000
    ours10_cpu_ms = ours_cpu_ms + 10 * r["get"]["200"]["server_cpu_ms"]

    def ratio(a, b):
        return f"{a / b:,.1f}x" if a and b else "-"

    budget_500 = S == 500
    add(
        (
            "endpoint requests / cycle: Livy",
            fmt(req["livy"]),
            "1 list call",
            fmt(n1 and n1["requests"]["livy"]),
            fmt(n10 and n10["requests"]["livy"]),
            "",
        )
    )
    add(
        (
            "endpoint requests / cycle: Spark",
            fmt(req["spark"]),
            "only where needed",
            fmt(n1 and n1["requests"]["spark"]),
            fmt(n10 and n10["requests"]["spark"]),
            "",
        )
    )
    add(("endpoint requests / cycle: cluster", fmt(req["cluster"]), "", "0", "0", ""))
    t1, t10 = r["tabs"]["1"], r["tabs"]["10"]
    add(
        (
            "endpoint requests / cycle, 1 tab open",
            fmt(t1["endpoint_requests_per_cycle"]),
            "",
            fmt(n1 and n1["requests"]["total"]),
            "",
            ratio(n1 and n1["requests"]["total"], t1["endpoint_requests_per_cycle"]),
        )
    )
    add(
        (
            "endpoint requests / cycle, 10 tabs open",
            fmt(t10["endpoint_requests_per_cycle"]),
            "= 1 tab: "
            + (
                "ok"
                if t10["endpoint_requests_per_cycle"] <= t1["endpoint_requests_per_cycle"]
                else "MISSED"
            ),
            "",
            fmt(n10 and n10["requests"]["total"]),
            ratio(n10 and n10["requests"]["total"], t10["endpoint_requests_per_cycle"]),
        )
    )
    add(("  (snapshot API reads by the 10 tabs)", fmt(t10["snapshot_reads"]), "", "", "", ""))
    add(
        (
            "cycle wall @50 ms latency (s)",
            fmt(wall["wall"], 2),
            f"< 2 s: {verdict(wall['wall'], BUDGETS['wall_s'])}" if budget_500 else "< 2 s @500",
            fmt(n1 and n1["wall_50ms"], 2),
            fmt(n10 and n10["wall_50ms"], 2),
            ratio(n1 and n1["wall_50ms"], wall["wall"]),
        )
    )
    add(
        (
            "cycle wall @0 latency (s)",
            fmt(cpu["wall"], 3),
            "",
            fmt(n1 and n1["wall_seconds"], 3),
            fmt(n10 and n10["wall_seconds"], 3),
            "",
        )
    )
    add(
        (
            "CPU / cycle (ms), server [naive: tabs]",
            fmt(ours_cpu_ms),
            "",
            fmt(n1 and n1["cpu_seconds"] * 1000),
            fmt(n10 and n10["cpu_seconds"] * 1000),
            ratio(n1 and n1["cpu_seconds"] * 1000, ours_cpu_ms),
        )
    )
    add(
        (
            "CPU / cycle with 10 tabs reading (ms)",
            fmt(ours10_cpu_ms),
            "",
            "",
            fmt(n10 and n10["cpu_seconds"] * 1000),
            ratio(n10 and n10["cpu_seconds"] * 1000, ours10_cpu_ms),
        )
    )
    add(
        (
            "CPU / session / cycle (us)",
            fmt(cpu["cpu"] / S * 1e6, 0),
            "",
            fmt(n1 and n1["cpu_seconds"] / S * 1e6, 0),
            "",
            "",
        )
    )
    add(("  fetch = total - parse - analysis (ms)", fmt(cpu["fetch"] * 1000), "", "", "", ""))
    add(("    of which JSON decode (ms)", fmt(cpu["json"] * 1000), "", "", "", ""))
    add(("    of which publish: dumps + ETag (ms)", fmt(cpu["publish"] * 1000), "", "", "", ""))
    add(("    of which notebook index (ms)", fmt(cpu["notebooks"] * 1000, 2), "", "", "", ""))
    add(("  parse (ms)", fmt(cpu["parse"] * 1000), "", "", "", ""))
    add(
        (
            "  analysis (ms)",
            fmt(cpu["analysis"] * 1000),
            f"< 20 ms: {verdict(cpu['analysis'] * 1000, BUDGETS['analysis_ms'])}"
            if budget_500
            else "< 20 ms @500",
            "",
            "",
            "",
        )
    )
    lag, stress = r["lag"], r["lag_stress"]
    add(
        (
            "loop lag @50 ms p50/p99/max (ms)",
            f"{fmt(lag['p50'], 2)}/{fmt(lag['p99'], 1)}/{fmt(lag['max'], 0)}",
            f"p99 < 10: {verdict(lag['p99'], BUDGETS['lag_p99_ms'])}",
            "",
            "",
            "",
        )
    )
    add(
        (
            "loop lag @0 latency p50/p99/max (ms)",
            f"{fmt(stress['p50'], 2)}/{fmt(stress['p99'], 1)}/{fmt(stress['max'], 0)}",
            f"p99 < 10: {verdict(stress['p99'], BUDGETS['lag_p99_ms'])}",
            "",
            "",
            "",
        )
    )
    add(("snapshot size (bytes)", fmt(r["snapshot_bytes"]), "", "", "", ""))
    g200, g304 = r["get"]["200"], r["get"]["304"]
    add(
        (
            "snapshot GET 200: client / server CPU (ms)",
            f"{fmt(g200['median_ms'], 2)} / {fmt(g200['server_cpu_ms'], 2)}",
            "",
            "",
            "",
            "",
        )
    )
    add(
        (
            "snapshot GET 304 (unchanged): client / server CPU (ms)",
            f"{fmt(g304['median_ms'], 2)} / {fmt(g304['server_cpu_ms'], 2)}",
            "304s: " + ",".join(f"{k}x{v}" for k, v in g304["statuses"].items()),
            "",
            "",
            "",
        )
    )
    add(
        (
            "history ring, 1 h = 720 cycles (MB, tracemalloc)",
            fmt(r["history_bytes"] / 2**20, 2),
            "",
            "",
            "",
            "",
        )
    )
    add(("server RSS with 1 h of history (MB)", fmt(r["rss_mb"], 0), "", "", "", ""))
    hg, he = r["history_get"], r["history_get_etag"]
    add(
        (
            "history GET, 1 h: bytes / server CPU ms / loop block ms",
            f"{fmt(hg['body_bytes'])} / {fmt(hg['server_cpu_ms'], 1)} / "
            f"{fmt(hg.get('longest_block_ms'), 1)}",
            "blocks the loop" if (hg.get("longest_block_ms") or 0) > 10 else "",
            "",
            "",
            "",
        )
    )
    add(
        (
            "history GET again (If-None-Match): server CPU ms",
            fmt(he["server_cpu_ms"], 1),
            ",".join(f"{k}x{v}" for k, v in he["statuses"].items()),
            "",
            "",
            "",
        )
    )

    header = ("metric", "ours", "budget", "naive 1 tab", "naive 10 tabs", "naive/ours")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        f"S = {S} sessions  (states {r['states']}; statuses {r['statuses']}; "
        f"YARN, {r['workers']} workers)",
        "  ".join(h.ljust(w) for h, w in zip(header, widths)),
        "  ".join("-" * w for w in widths),
    ]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    return "\n".join(lines)


def summary(results: list[dict], naives: dict) -> str:
    """One markdown table, a column per S (what the README shows)."""
    naives = {int(k): v for k, v in naives.items()}
    sizes = [r["sessions"] for r in results]

    def row(metric, budget, *parts):
        """Each part is a function of (result, naive) -> text; "-" where there is no data."""
        cells = []
        for r in results:
            texts = []
            for part in parts:
                try:
                    texts.append(part(r, naives.get(r["sessions"])))
                except (KeyError, TypeError):
                    texts.append("-")
            cells.append(" / ".join(texts))
        return f"| {metric} | {budget} | " + " | ".join(cells) + " |"

    def cell(path: str, scale: float = 1, digits: int = 1, naive: bool = False):
        """The number at a dotted path of the result (of the naive run: naive=True), scaled."""

        def text(r, n):
            value = n if naive else r
            for key in path.split("."):
                value = value[key]
            return fmt(value if scale == 1 else value * scale, digits)

        return text

    def lag(x):
        return f"{fmt(x['p50'], 1)} / {fmt(x['p99'], 1)} / {fmt(x['max'], 0)}"

    ms = 1000  # seconds to milliseconds
    lines = [
        "| metric | budget | " + " | ".join(f"S={S}" for S in sizes) + " |",
        "|---|---|" + "---|" * len(sizes),
        row(
            "Livy / Spark / cluster requests per cycle",
            "Livy: 1 list call",
            *(cell(f"requests.{peer}") for peer in ("livy", "spark", "cluster")),
        ),
        row(
            "endpoint requests per cycle with 10 tabs: ours / naive",
            "ours(10) = ours(1)",
            cell("tabs.10.endpoint_requests_per_cycle", digits=0),
            cell("10.requests.total", digits=0, naive=True),
        ),
        row(
            "cycle wall @50 ms latency (s): ours / naive tab",
            "< 2 s at S=500",
            cell("wall.wall", digits=2),
            cell("1.wall_50ms", naive=True),
        ),
        row(
            "CPU per cycle (ms): ours / naive 1 tab / naive 10 tabs",
            "",
            cell("cpu.cpu", ms),
            cell("1.cpu_seconds", ms, naive=True),
            cell("10.cpu_seconds", ms, digits=0, naive=True),
        ),
        row(
            "CPU per session per cycle (us)",
            "",
            lambda r, n: fmt(r["cpu"]["cpu"] / r["sessions"] * 1e6, 0),
        ),
        row(
            "fetch / parse / analysis (ms per cycle)",
            "analysis < 20 ms at S=500",
            *(cell(f"cpu.{part}", ms) for part in ("fetch", "parse", "analysis")),
        ),
        row(
            "of fetch: JSON decode / publish (ms)",
            "",
            cell("cpu.json", ms),
            cell("cpu.publish", ms),
        ),
        row("loop lag p50 / p99 / max @50 ms (ms)", "p99 < 10 ms", lambda r, n: lag(r["lag"])),
        row("loop lag p50 / p99 / max @0 ms, stress (ms)", "", lambda r, n: lag(r["lag_stress"])),
        row("snapshot size (bytes)", "", cell("snapshot_bytes")),
        row(
            "snapshot GET server CPU (ms): 200 / 304",
            "",
            *(cell(f"get.{code}.server_cpu_ms", digits=2) for code in ("200", "304")),
        ),
        row(
            "1 h of history (MB) / server RSS (MB)",
            "",
            cell("history_bytes", 2**-20),
            cell("rss_mb", digits=0),
        ),
        row(
            "history GET of 1 h: server CPU first / again (ms)",
            "",
            cell("history_get.server_cpu_ms"),
            cell("history_get_etag.server_cpu_ms"),
        ),
        row(
            "history GET of 1 h: longest loop block (ms)", "", cell("history_get.longest_block_ms")
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,500,1000")
    parser.add_argument("--quick", action="store_true", help="sizes 1,10,100 and fewer repeats")
    parser.add_argument("--max-concurrency", type=int, default=0, help="0: the extension's default")
    parser.add_argument("--package-root", default=None, help="import glue_sessions from here")
    parser.add_argument("--json", default=None, help="also write raw results to this file")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive comparison")
    parser.add_argument(
        "--no-servers", action="store_true", help="skip bench/servers.py (N servers, one endpoint)"
    )
    parser.add_argument(
        "--no-panel", action="store_true", help="skip the panel's update time in a browser"
    )
    parser.add_argument("--report", default=None, help="print the tables of a --json file, no run")
    parser.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--emulator", default="", help=argparse.SUPPRESS)
    parser.add_argument("--reps", type=int, default=7, help=argparse.SUPPRESS)
    parser.add_argument("--wall-reps", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--gets", type=int, default=100, help=argparse.SUPPRESS)
    args = parser.parse_args()

    root = args.package_root or os.environ.get("GLUE_SESSIONS_ROOT") or DEFAULT_ROOT
    if args.report:
        saved = json.loads(Path(args.report).read_text())
        naives = {int(k): v for k, v in saved["naive"].items()}
        for r in saved["results"]:
            print(f"\n{table(r, naives.get(r['sessions']))}")
        print("\nSummary (markdown):\n")
        print(summary(saved["results"], naives))
        if saved.get("panel"):
            print(f"\n{panel_table(saved['panel'])}")
        return
    if args.worker:
        sys.path.insert(0, root)
        print(json.dumps(asyncio.run(run_worker(args))))
        return

    sizes = (
        [1, 10, 100]
        if args.quick and args.sizes == parser.get_default("sizes")
        else [int(s) for s in args.sizes.split(",")]
    )
    env = dict(os.environ, GLUE_SESSIONS_ROOT=os.path.abspath(root), JUPYTER_NO_CONFIG="1")
    scratch = tempfile.mkdtemp(prefix="glue-bench-")
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"):
        env[name] = os.path.join(scratch, name.lower())
    emulator_proc, emulator = start_emulator(env)
    try:
        import platform

        print(
            f"glue-sessions benchmark: package {root}; python {platform.python_version()}; "
            f"{os.cpu_count()} CPUs; max_concurrency "
            f"{args.max_concurrency or 'default'}; latency {int(LATENCY * 1000)} ms for wall rows",
            flush=True,
        )
        results, naives = [], {}
        for S in sizes:
            reps = 3 if args.quick else (5 if S >= 500 else 7)
            wall_reps = 2 if args.quick else (3 if S >= 500 else 5)
            gets = 20 if args.quick else (30 if S >= 500 else 100)
            started = time.time()
            r = run_json(
                [
                    __file__,
                    "--worker",
                    str(S),
                    "--emulator",
                    emulator,
                    "--reps",
                    str(reps),
                    "--wall-reps",
                    str(wall_reps),
                    "--gets",
                    str(gets),
                    "--max-concurrency",
                    str(args.max_concurrency),
                ],
                env,
            )
            results.append(r)
            naive = None
            if not args.no_naive:
                naive = {}
                for tabs in (1, 10):
                    cpu = run_naive(emulator, S, tabs, 0.0, 1 if S >= 500 else 3, env)
                    slow = run_naive(emulator, S, tabs, LATENCY, 1, env)
                    cpu["wall_50ms"] = slow["wall_seconds"]
                    naive[str(tabs)] = cpu
                naives[S] = naive
            print(f"\n{table(r, naive)}\n  ({time.time() - started:.0f} s)", flush=True)
        print("\nSummary (markdown):\n")
        print(summary(results, naives))
    finally:
        emulator_proc.terminate()
        emulator_proc.wait()
    panel = None
    if not args.no_panel:  # the panel's update time, in a browser
        print("\nPanel update with 200 sessions (ui-tests, @perf; about 2 min):", flush=True)
        panel = run_panel()
        if panel:
            print(f"\n{panel_table(panel)}", flush=True)
    if args.json:
        saved = {"results": results, "naive": naives, "panel": panel}
        Path(args.json).write_text(json.dumps(saved, indent=1))
    if not args.no_servers:  # the endpoint's load from N servers, idle and watched
        print("\nLoad on the endpoint from N servers (bench/servers.py):\n", flush=True)
        quick = ["--quick"] if args.quick else []
        subprocess.run([sys.executable, str(HERE / "servers.py"), *quick], env=env, check=True)


if __name__ == "__main__":
    main()
