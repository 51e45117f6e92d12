#!/usr/bin/env python3
"""minilivy: a small server that speaks Livy's interactive-session REST API, for the devstack.

Why it exists: Apache Livy 0.8/0.9 (the releases for Scala 2.12 / Spark 3) are not published to
Maven Central, and livy-repl never was in any version (devstack/NOTES.md has the details), so a
real Livy cannot be assembled from the registries reachable here. minilivy stands in for it:
every session is a real pyspark driver process (client mode, app name ``livy-session-N`` or the
session's ``name``, as Livy 0.9 does) against the devstack's Spark standalone master, so
executors, dynamic allocation, the master's /json/ and the driver's REST API are all real.

What follows Livy 0.9 (server/.../SessionServlet.scala, InteractiveSessionServlet.scala,
client-common HttpMessages.SessionInfo, rsc Statement):
  GET    /sessions?from&size            {"from","total","sessions":[SessionInfo]}
  POST   /sessions                      201 SessionInfo, Location: /sessions/N
  GET    /sessions/N (or /sessions/<name>)
  GET    /sessions/N/state              {"id","state"}
  GET    /sessions/N/log?from&size      {"id","from","total","log"}  log = ["stdout: ", ...,
                                        "\\nstderr: ", ...] as SparkProcApp.log()
  DELETE /sessions/N                    {"msg":"deleted"} (the session is then gone: 404)
  POST   /sessions/N/statements         201 {"id","code","state","output","progress",
                                            "started","completed"}
  GET    /sessions/N/statements[/M]     {"total_statements","statements"} / statement
  POST   /sessions/N/statements/M/cancel  {"msg":"canceled"}
  POST   /sessions/N/completion         {"candidates":[]}
  GET    /batches                       {"from":0,"total":0,"sessions":[]}
Like Livy on a standalone master, appId and appInfo.* stay null (pass --fill-app-info to fill
them from the driver, as Livy does on YARN). Session states: starting, idle, busy, dead, error.
Statement states: waiting, running, available, cancelling, cancelled; errors are "available"
with output.status "error" (as fake_shell.py answers). Supported statement kinds: pyspark and
sql (spark/sparkr answer an error).

Usage: minilivy.py serve --host 127.0.0.1 --port 8998 --state-dir DIR --spark-conf-dir DIR
       (minilivy_driver.py is the per-session process; the server starts it)
Stdlib only. The driver needs pyspark importable.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from minilivy_session import Session

RETAIN_SECONDS = 600  # livy.server.session.state-retain.sec


class Manager:
    def __init__(
        self, state_dir: str, spark_conf_dir: str | None, marker: str | None, fill_app_info: bool
    ):
        self.state_dir = state_dir
        self.spark_conf_dir = spark_conf_dir
        self.marker = marker
        self.fill_app_info = fill_app_info
        self.sessions: dict[int, Session] = {}
        self.next_id = 0
        self.lock = threading.Lock()

    def create(self, req: dict) -> Session:
        with self.lock:
            name = req.get("name")
            if name is not None and any(s.name == name for s in self.sessions.values()):
                raise ValueError(f"Duplicate session name: {name}")
            s = Session(self, self.next_id, req)
            self.next_id += 1
            self.sessions[s.id] = s
        s.start()
        return s

    def get(self, key: str):
        with self.lock:
            if key.isdigit():
                return self.sessions.get(int(key))
            for s in self.sessions.values():
                if s.name == key:
                    return s
        return None

    def all(self) -> list:
        self.gc()
        with self.lock:
            return [self.sessions[k] for k in sorted(self.sessions)]

    def delete(self, s: Session) -> None:
        s.stop()
        with self.lock:
            self.sessions.pop(s.id, None)

    def gc(self) -> None:
        with self.lock:
            for k, s in list(self.sessions.items()):
                if s.ended_at and time.time() - s.ended_at > RETAIN_SECONDS:
                    del self.sessions[k]

    def shutdown(self) -> None:
        threads = [
            threading.Thread(target=s.stop, args=(5.0,)) for s in list(self.sessions.values())
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


class Handler(BaseHTTPRequestHandler):
    manager: Manager = None  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    server_version = "minilivy/0.9.0-compatible"

    def log_message(self, fmt, *args):
        sys.stderr.write(f"{time.strftime('%y/%m/%d %H:%M:%S')} {fmt % args}\n")

    # ------------------------------------------------------------ helpers
    def _send(self, code: int, body, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if not raw.strip():
            return {}
        body = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError("request body must be a JSON object")
        return body

    def _route(self, method: str) -> None:
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        m = self.manager
        try:
            if parts[:1] == ["batches"] and method == "GET" and len(parts) == 1:
                return self._send(200, {"from": 0, "total": 0, "sessions": []})
            if not parts or parts[0] != "sessions":
                return self._send(404, {"msg": f"no such resource: {url.path}"})
            if len(parts) == 1:
                if method == "GET":
                    frm, size = int(q.get("from", 0)), int(q.get("size", 100))
                    sessions = m.all()
                    return self._send(
                        200,
                        {
                            "from": frm,
                            "total": len(sessions),
                            "sessions": [s.view() for s in sessions[frm : frm + size]],
                        },
                    )
                if method == "POST":
                    req = self._body()
                    s = m.create(req)
                    return self._send(201, s.view(), {"Location": f"/sessions/{s.id}"})
                return self._send(405, {"msg": "method not allowed"})
            s = m.get(parts[1])
            if s is None:
                return self._send(404, {"msg": f"Session '{parts[1]}' not found."})
            rest = parts[2:]
            if not rest:
                if method == "GET":
                    return self._send(200, s.view())
                if method == "DELETE":
                    m.delete(s)
                    return self._send(200, {"msg": "deleted"})
            elif rest == ["state"] and method == "GET":
                return self._send(200, {"id": s.id, "state": s.state})
            elif rest == ["log"] and method == "GET":
                lines = s.log_lines()
                size = int(q.get("size", 100))
                frm = int(q.get("from", -1))
                if size < 0:
                    size = len(lines)
                if frm < 0:
                    frm = max(0, len(lines) - size)
                return self._send(
                    200,
                    {"id": s.id, "from": frm, "total": len(lines), "log": lines[frm : frm + size]},
                )
            elif rest == ["statements"]:
                if method == "GET":
                    with s.lock:
                        sts = [st.view() for st in s.statements]
                    if q.get("order", "").strip().lower() == "desc":
                        sts.reverse()
                    frm = int(q.get("from", 0))
                    size = int(q.get("size", len(sts)))
                    return self._send(
                        200, {"total_statements": len(sts), "statements": sts[frm : frm + size]}
                    )
                if method == "POST":
                    req = self._body()
                    if "code" not in req:
                        return self._send(400, {"msg": "code is required"})
                    st = s.submit(req["code"], req.get("kind"))
                    return self._send(
                        201, st.view(), {"Location": f"/sessions/{s.id}/statements/{st.id}"}
                    )
            elif len(rest) == 2 and rest[0] == "statements" and method == "GET":
                with s.lock:
                    st = s._stmt(int(rest[1]))
                    view = st.view() if st else None
                if view is None:
                    return self._send(404, "Statement not found")
                return self._send(200, view)
            elif (
                len(rest) == 3
                and rest[0] == "statements"
                and rest[2] == "cancel"
                and method == "POST"
            ):
                s.cancel(int(rest[1]))
                return self._send(200, {"msg": "canceled"})
            elif rest == ["completion"] and method == "POST":
                return self._send(200, {"candidates": []})
            elif rest == ["connect"] and method == "POST":
                return self._send(200, s.view())
            return self._send(404, {"msg": f"no such resource: {method} {url.path}"})
        except KeyError as e:
            return self._send(404, {"msg": f"not found: {e}"})
        except ValueError as e:
            return self._send(400, {"msg": f"Rejected, Reason: {e}"})
        except Exception as e:
            traceback.print_exc()
            return self._send(500, {"msg": f"{type(e).__name__}: {e}"})

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")


def serve(args) -> None:
    os.makedirs(args.state_dir, exist_ok=True)
    manager = Manager(
        os.path.abspath(args.state_dir), args.spark_conf_dir, args.marker, args.fill_app_info
    )
    Handler.manager = manager
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True

    def on_signal(signum, _frame):
        sys.stderr.write(f"minilivy: signal {signum}, stopping sessions\n")
        threading.Thread(target=lambda: (manager.shutdown(), httpd.shutdown()), daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stderr.write(
        f"minilivy: Livy-compatible REST on http://{args.host}:{args.port} "
        f"(state {args.state_dir})\n"
    )
    httpd.serve_forever()
    sys.stderr.write("minilivy: stopped\n")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="run the Livy-compatible REST server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8998)
    s.add_argument("--state-dir", default=".minilivy")
    s.add_argument("--spark-conf-dir", default=os.environ.get("SPARK_CONF_DIR"))
    s.add_argument("--marker", default=None, help="a token added to every driver's command line")
    s.add_argument(
        "--fill-app-info",
        action="store_true",
        default=os.environ.get("GLUE_DEVSTACK_FILL_APP_INFO") == "1",
        help="fill appId and appInfo.sparkUiUrl (Livy does on YARN, not on standalone)",
    )
    args = p.parse_args(argv)
    serve(args)


if __name__ == "__main__":
    main()
