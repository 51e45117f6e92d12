"""The naive approach: every open browser tab polls Livy and every Spark UI by itself.

This is what the Livy web UI and per-notebook widgets do today, written the way a simple script
would: one keep-alive connection per tab, requests one at a time, `json.loads` of each answer.
A cycle of one tab is GET /sessions, then for each session with a Spark UI its executors and its
active stages. Several tabs are threads (a browser gives each tab its own process; the GIL only
makes our CPU sum pessimistic for wall time, never for request counts).

    python bench/naive.py --url http://127.0.0.1:PORT --tabs 10 --cycles 3
prints one JSON line: {"tabs", "cycles", "wall_seconds" (median tab cycle), "cpu_seconds" (all
tabs, per cycle), "sessions_seen"}.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from urllib.parse import urlsplit


class Tab:
    def __init__(self, base: str):
        self.base = urlsplit(base)
        self.connections: dict[str, http.client.HTTPConnection] = {}

    def get(self, url: str):
        parts = urlsplit(url) if "://" in url else self.base._replace(path=url)
        netloc = parts.netloc or self.base.netloc
        conn = self.connections.get(netloc)
        if conn is None:
            conn = self.connections[netloc] = http.client.HTTPConnection(netloc, timeout=30)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return json.loads(body)

    def cycle(self) -> int:
        sessions = []
        start = 0
        while True:
            page = self.get(f"/sessions?from={start}&size=1000")
            sessions.extend(page["sessions"])
            start += len(page["sessions"])
            if not page["sessions"] or start >= page.get("total", 0):
                break
        for s in sessions:
            ui = (s.get("appInfo") or {}).get("sparkUiUrl")
            app = s.get("appId")
            if not ui or not app:
                continue
            api = f"{ui.rstrip('/')}/api/v1/applications/{app}"
            executors = self.get(f"{api}/executors")
            stages = self.get(f"{api}/stages?status=active")
            # What a widget shows: executors held, tasks running and pending.
            s["_held"] = sum(1 for e in executors if e.get("id") != "driver")
            s["_pending"] = sum(
                st["numTasks"] - st["numActiveTasks"] - st["numCompleteTasks"] for st in stages
            )
        return len(sessions)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--tabs", type=int, default=1)
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()

    walls: list[float] = []
    seen: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.tabs)

    def run_tab() -> None:
        tab = Tab(args.url)
        barrier.wait()
        for _ in range(args.cycles):
            t = time.perf_counter()
            n = tab.cycle()
            with lock:
                walls.append(time.perf_counter() - t)
                seen.append(n)

    threads = [threading.Thread(target=run_tab) for _ in range(args.tabs)]
    cpu = time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu
    print(
        json.dumps(
            {
                "tabs": args.tabs,
                "cycles": args.cycles,
                "wall_seconds": statistics.median(walls),
                "cpu_seconds": cpu / args.cycles,
                "sessions_seen": max(seen),
            }
        )
    )


if __name__ == "__main__":
    main()
