"""Profile poll cycles with pyinstrument: where a cycle's CPU goes at S sessions.

    python bench/profile_cycle.py --sessions 500 [--cycles 3] [--latency 0] [--html out.html]
        [--max-concurrency N] [--package-root DIR]

The poller is built as the extension builds it (JsonFetcher with a HostPolicy, YARN mode) and
run against emulator_server.py in another process, on a simulated 5 s clock so that starvation
(and its bigger snapshot) is reached as in a real steady state.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--max-concurrency", type=int, default=0)
    parser.add_argument("--package-root", default=None)
    parser.add_argument("--html", default=None)
    parser.add_argument("--flat", action="store_true", help="self time per function")
    args = parser.parse_args()
    root = args.package_root or os.environ.get("GLUE_SESSIONS_ROOT") or str(HERE.parent)
    sys.path.insert(0, root)
    env = dict(os.environ, GLUE_SESSIONS_ROOT=os.path.abspath(root))

    import logging

    from pyinstrument import Profiler

    logging.getLogger("glue_sessions").setLevel(logging.ERROR)

    from glue_sessions.client.http import HostPolicy, JsonFetcher
    from glue_sessions.config import PollerConfig
    from glue_sessions.serve.poller import Poller

    emulator = subprocess.Popen(
        [sys.executable, str(HERE / "emulator_server.py")],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = emulator.stdout.readline().split()[1]

        def control(what, **q):
            with urlopen(f"{url}/__bench/{what}?{urlencode(q)}") as r:
                return r.read()

        import json

        info = json.loads(control("scenario", count=args.sessions))
        control("latency", seconds=args.latency)

        async def run():
            config = PollerConfig(
                livy_url=url, yarn_url=url, worker_type="G.1X", number_of_workers=info["workers"]
            )
            kw = {"max_concurrency": args.max_concurrency} if args.max_concurrency else {}
            fetcher = JsonFetcher(host_policy=HostPolicy({"127.0.0.1"}), **kw)
            now = [time.time()]

            def clock():
                return now[0]

            poller = Poller(config, fetcher, clock=clock)
            for _ in range(8):  # 40 simulated seconds: past the 30 s starvation threshold
                await poller.poll_once()
                now[0] += 5
            profiler = Profiler(async_mode="enabled", interval=0.001)
            profiler.start()
            cpu = time.process_time()
            for _ in range(args.cycles):
                await poller.poll_once()
                now[0] += 5
            cpu = time.process_time() - cpu
            profiler.stop()
            print(
                f"{args.sessions} sessions, {args.cycles} cycles: "
                f"CPU {cpu / args.cycles * 1000:.0f} ms/cycle, "
                f"last wall {poller.stats.wall_seconds:.2f} s, "
                f"requests {poller.stats.requests}, snapshot {len(poller.snapshot_body):,} bytes"
            )
            print(profiler.output_text(show_all=args.flat, flat=args.flat)[:6000])
            if args.html:
                Path(args.html).write_text(profiler.output_html())
            await poller.stop()

        asyncio.run(run())
    finally:
        emulator.terminate()
        emulator.wait()


if __name__ == "__main__":
    main()
