"""Browser tabs of our design: they read the Jupyter server's snapshot API, never the endpoint.

A separate process, so that the client's CPU is not counted as the server's.

    python bench/tabs.py time --url URL --token T --path glue-sessions/api/snapshot -n 100 [--etag]
        N sequential keep-alive GETs; with --etag each sends the If-None-Match of the first
        answer (what the panel does), so an unchanged snapshot costs a 304.
    python bench/tabs.py poll --url URL --token T --tabs 10 --seconds 3 --interval 0.5
        each tab re-reads the snapshot every interval with If-None-Match, as the panel does.
Both print one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from urllib.parse import urlsplit


def connect(url: str) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(urlsplit(url).netloc, timeout=60)


def get(conn, path: str, token: str, etag: str | None = None):
    headers = {"Authorization": f"token {token}"}
    if etag:
        headers["If-None-Match"] = etag
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, response.getheader("Etag"), body


def cmd_time(args) -> dict:
    conn = connect(args.url)
    path = "/" + args.path.lstrip("/")
    t = time.perf_counter()
    status, etag, body = get(conn, path, args.token)
    first_ms = (time.perf_counter() - t) * 1000
    times, statuses = [], {}
    for _ in range(args.n):
        t = time.perf_counter()
        status, _, _ = get(conn, path, args.token, etag if args.etag else None)
        times.append(time.perf_counter() - t)
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "first_ms": first_ms,
        "median_ms": statistics.median(times) * 1000 if times else None,
        "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))] * 1000 if times else None,
        "statuses": statuses,
        "body_bytes": len(body),
    }


def cmd_poll(args) -> dict:
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    path = "/glue-sessions/api/snapshot"

    def tab() -> None:
        conn = connect(args.url)
        etag = None
        while time.monotonic() < deadline:
            status, new_etag, _ = get(conn, path, args.token, etag)
            etag = new_etag or etag
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            time.sleep(args.interval)

    threads = [threading.Thread(target=tab) for _ in range(args.tabs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"tabs": args.tabs, "statuses": statuses, "requests": sum(statuses.values())}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--path", default="glue-sessions/api/snapshot")
    t.add_argument("-n", type=int, default=100)
    t.add_argument("--etag", action="store_true")
    p = sub.add_parser("poll")
    p.add_argument("--tabs", type=int, default=1)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--interval", type=float, default=0.5)
    for s in (t, p):
        s.add_argument("--url", required=True)
        s.add_argument("--token", required=True)
    args = parser.parse_args()
    print(json.dumps(cmd_time(args) if args.cmd == "time" else cmd_poll(args)))


if __name__ == "__main__":
    main()
