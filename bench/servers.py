"""Load on one endpoint from N Jupyter servers watching it, idle and watched.

    python bench/servers.py [--servers 1,5,20] [--sessions 10] [--scale 5] [--quick]
                            [--package-root DIR] [--json FILE]

Starts the endpoint emulator (bench/emulator_server.py, which counts requests by path) and,
for each N, N real `jupyter server` processes with the glue_sessions extension, each polling
the emulator with its own poll loop (nothing is driven by hand). Then it measures, as the
emulator counts them, the requests per minute on Livy (`/sessions`) and on the Spark drivers
(`/proxy/<app>/...`; YARN's two cluster calls per cycle are counted apart):

- idle: nobody has read any server's API for longer than watch_seconds, and no notebook of
  theirs has a session (the servers have no kernels): each server polls at idle_poll_interval;
- watched: one panel per server reads its snapshot (If-None-Match) at the panel's refresh
  rate (5 s): each server polls at poll_interval.

Beside ours, in the same run, two references:
- before: this extension without demand-driven polling (idle_poll_interval = 0), which polls
  at poll_interval whether watched or not: its rate is that of the watched row, all the time;
- naive: no server poller; each open browser tab (one per server) polls Livy and every Spark
  driver itself at the panel's rate (5 s), whether or not anyone looks at it (a tab left open
  overnight), as bench/naive.py does. Its per-cycle request count is measured here against
  the same scenario (one naive cycle, counted by the emulator), times N tabs, times 12 cycles
  a minute.

Time is scaled to keep the run short: with --scale k every interval is divided by k
(poll_interval 5/k s, idle_poll_interval 60/k, watch_seconds 60/k, the panel's refresh 5/k),
the requests counted per second are divided by k again, and the table shows requests per
minute at the real settings (5 s, 60 s, 60 s, 5 s). The rates scale exactly; what does not is
the cycle's own duration (a few ms at 10 sessions), which is why k stays small.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.request import Request, urlopen

from common import free_port
from run import control, start_emulator

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = str(HERE.parent)
POLL, IDLE, WATCH, PANEL = 5.0, 60.0, 60.0, 5.0  # the real settings the table is given at


SERVER = """
import sys
sys.path.insert(0, sys.argv.pop(1))
from jupyter_server.serverapp import main
sys.exit(main())
"""


def start_servers(n: int, emulator: str, scale: float, root: str, env: dict, scratch: str):
    servers = []
    for i in range(n):
        port, token = free_port(), secrets.token_hex(8)
        home = os.path.join(scratch, f"server{i}")
        os.makedirs(home, exist_ok=True)
        argv = [
            sys.executable,
            "-c",
            SERVER,
            root,
            f"--port={port}",
            "--port-retries=0",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={home}",
            "--ServerApp.jpserver_extensions={'glue_sessions': True}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.log_level=WARN",
            "--allow-root",
            f"--GlueSessions.livy_url={emulator}",
            f"--GlueSessions.yarn_url={emulator}",
            "--GlueSessions.sparkmagic_config=/nonexistent/config.json",
            f"--GlueSessions.poll_interval={POLL / scale}",
            f"--GlueSessions.idle_poll_interval={IDLE / scale}",
            f"--GlueSessions.watch_seconds={WATCH / scale}",
        ]
        server_env = dict(env, JUPYTER_RUNTIME_DIR=os.path.join(home, "runtime"))
        proc = subprocess.Popen(
            argv, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        servers.append({"proc": proc, "url": f"http://127.0.0.1:{port}", "token": token})
    deadline = time.time() + 60 + 10 * n
    for s in servers:
        while True:
            try:
                get_snapshot(s)
                break
            except OSError:
                if s["proc"].poll() is not None or time.time() > deadline:
                    raise SystemExit(f"a Jupyter server did not start ({s['url']})") from None
                time.sleep(0.3)
    return servers


def get_snapshot(server: dict, etag: str | None = None) -> tuple[int, str | None, dict | None]:
    headers = {"Authorization": f"token {server['token']}"}
    if etag:
        headers["If-None-Match"] = etag
    request = Request(f"{server['url']}/glue-sessions/api/snapshot", headers=headers)
    try:
        with urlopen(request, timeout=30) as r:
            return r.status, r.headers.get("Etag"), json.loads(r.read())
    except Exception as error:  # a 304 is an HTTPError for urllib
        if getattr(error, "code", None) == 304:
            return 304, etag, None
        raise


def age(body: dict) -> float:
    """Seconds since the snapshot's poll."""
    polled = datetime.fromisoformat(body["endpoint"]["polled_at"].replace("Z", "+00:00"))
    return time.time() - polled.timestamp()


async def panels(servers: list[dict], interval: float, seconds: float) -> dict:
    """One panel per server: a snapshot read every `interval`, with If-None-Match. The first
    answer counts as fresh when its poll is at most one (scaled) poll interval old."""
    loop = asyncio.get_running_loop()
    stats = {"reads": 0, "first_ms": [], "first_fresh": 0}

    async def panel(server: dict) -> None:
        etag = None
        end = time.monotonic() + seconds
        first = True
        while time.monotonic() < end:
            t = time.perf_counter()
            _, etag, body = await loop.run_in_executor(None, get_snapshot, server, etag)
            stats["reads"] += 1
            if first and body is not None:
                stats["first_ms"].append((time.perf_counter() - t) * 1000)
                stats["first_fresh"] += age(body) <= interval
                first = False
            await asyncio.sleep(interval)

    await asyncio.gather(*(panel(s) for s in servers))
    return stats


def count(emulator: str, seconds: float) -> dict:
    control(emulator, "requests", clear=1)
    time.sleep(seconds)
    return control(emulator, "requests", clear=1)


def naive_cycle(emulator: str, root: str, env: dict) -> dict:
    """The endpoint requests of one naive tab's cycle (bench/naive.py), as the emulator saw."""
    control(emulator, "requests", clear=1)
    subprocess.run(
        [sys.executable, str(HERE / "naive.py"), "--url", emulator, "--tabs", "1", "--cycles", "1"],
        env=env,
        check=True,
        capture_output=True,
    )
    return control(emulator, "requests", clear=1)


async def watched_counts(servers: list[dict], emulator: str, scale: float, window: float) -> dict:
    """The endpoint's requests over `window` while every server has its panel open."""
    task = asyncio.ensure_future(panels(servers, PANEL / scale, window + PANEL / scale))
    await asyncio.sleep(PANEL / scale / 2)
    counts = await asyncio.get_running_loop().run_in_executor(None, count, emulator, window)
    await task
    return counts


def per_minute(counts: dict, seconds: float, scale: float) -> dict:
    """Requests a minute at the real settings, from counts over `seconds` at scale k."""
    factor = 60.0 / seconds / scale
    return {k: counts.get(k, 0) * factor for k in ("livy", "spark", "cluster", "total")}


def run(args) -> dict:
    root = args.package_root or os.environ.get("GLUE_SESSIONS_ROOT") or DEFAULT_ROOT
    root = os.path.abspath(root)
    scale = args.scale
    env = dict(os.environ, GLUE_SESSIONS_ROOT=root, JUPYTER_NO_CONFIG="1")
    scratch = tempfile.mkdtemp(prefix="glue-bench-servers-")
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"):
        env[name] = os.path.join(scratch, name.lower())
    emulator_proc, emulator = start_emulator(env)
    out: dict = {"scale": scale, "sessions": args.sessions, "rows": []}
    try:
        control(emulator, "scenario", count=args.sessions, mode="yarn")
        naive = naive_cycle(emulator, root, env)
        out["naive_cycle"] = naive
        for n in args.servers:
            started = time.time()
            servers = start_servers(n, emulator, scale, root, env, scratch)
            try:
                # Nobody reads after the start: idle once watch_seconds have passed (and the
                # readiness checks above were reads).
                time.sleep(WATCH / scale + POLL / scale * 2)
                idle = count(emulator, args.idle_window)
                # A panel per server: the first read wakes the server up.
                watch = asyncio.run(panels(servers, PANEL / scale, PANEL / scale))
                watched = asyncio.run(watched_counts(servers, emulator, scale, args.watched_window))
                row = {
                    "servers": n,
                    "idle": per_minute(idle, args.idle_window, scale),
                    "watched": per_minute(watched, args.watched_window, scale),
                    "naive": {
                        k: naive.get(k, 0) * n * 60 / PANEL
                        for k in ("livy", "spark", "cluster", "total")
                    },
                    "wake_first_read_ms": sorted(watch["first_ms"]),
                    "wake_first_fresh": watch["first_fresh"],
                    "seconds": time.time() - started,
                }
                out["rows"].append(row)
                print(table_row(row), flush=True)
            finally:
                for s in servers:
                    s["proc"].terminate()
                for s in servers:
                    try:
                        s["proc"].wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        s["proc"].kill()
    finally:
        emulator_proc.terminate()
        emulator_proc.wait()
    return out


HEADER = (
    "| servers | Livy req/min: ours idle / ours watched (= before, always) / naive | "
    "Spark driver req/min: ours idle / watched (= before) / naive | "
    "first read after idle: ms (median), fresh |\n|---|---|---|---|"
)


def table_row(r: dict) -> str:
    def f(x: float) -> str:
        return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"

    ms = r["wake_first_read_ms"]
    median = ms[len(ms) // 2] if ms else float("nan")
    return (
        f"| {r['servers']} | {f(r['idle']['livy'])} / {f(r['watched']['livy'])} / "
        f"{f(r['naive']['livy'])} | {f(r['idle']['spark'])} / {f(r['watched']['spark'])} / "
        f"{f(r['naive']['spark'])} | {median:.0f}, {r['wake_first_fresh']}/{r['servers']} |"
    )


def table(out: dict) -> str:
    return "\n".join([HEADER, *(table_row(r) for r in out["rows"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", default="1,5,20")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--scale", type=float, default=5.0, help="divide every interval by this")
    parser.add_argument("--quick", action="store_true", help="1 and 5 servers, shorter windows")
    parser.add_argument("--package-root", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    args.servers = [int(n) for n in args.servers.split(",")]
    if args.quick:
        if args.servers == [1, 5, 20]:
            args.servers = [1, 5]
        args.scale = max(args.scale, 10.0)
    # Windows in scaled seconds: several slow intervals for the idle rate, several panel reads.
    args.idle_window = 5 * IDLE / args.scale
    args.watched_window = 6 * PANEL / args.scale
    print(
        f"N servers on one endpoint ({args.sessions} sessions), time scaled by {args.scale:g}: "
        f"requests a minute at poll_interval {POLL:g} s, idle_poll_interval {IDLE:g} s, "
        f"watch_seconds {WATCH:g} s, panel refresh {PANEL:g} s",
        flush=True,
    )
    print(HEADER, flush=True)
    out = run(args)
    print(f"\nnaive tab cycle: {out['naive_cycle']} (requests per tab per {PANEL:g} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
