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
       (minilivy.py driver ... is the per-session process; the server starts it)
Stdlib only. The driver needs pyspark importable.
"""

from __future__ import annotations

import argparse
import ast
import collections
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOG_LINES = 200  # livy.cache-log.size
RETAIN_SECONDS = 600  # livy.server.session.state-retain.sec
SQL_MAX_ROWS = 1000  # livy.rsc.sql.num-rows


def now_ms() -> int:
    return int(time.time() * 1000)


# ============================================================================ server side


class Statement:
    def __init__(self, sid: int, code: str, kind: str):
        self.id = sid
        self.code = code
        self.kind = kind
        self.state = "waiting"
        self.output = None
        self.progress = 0.0
        self.started = 0
        self.completed = 0

    def view(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "state": self.state,
            "output": self.output,
            "progress": self.progress,
            "started": self.started,
            "completed": self.completed,
        }


class Session:
    def __init__(self, manager: Manager, sid: int, req: dict):
        self.manager = manager
        self.id = sid
        self.name = req.get("name")
        self.kind = req.get("kind") or "shared"
        self.proxy_user = req.get("proxyUser")
        self.req = req
        self.state = "starting"
        self.app_id = None
        self.ui_url = None
        self.stdout = collections.deque(maxlen=LOG_LINES)
        self.stderr = collections.deque(maxlen=LOG_LINES)
        self.statements: list[Statement] = []
        self.lock = threading.RLock()
        self.ended_at = None
        self.proc = None
        self._stdin_lock = threading.Lock()
        log_path = os.path.join(manager.state_dir, f"session-{sid}.log")
        self.logfile = open(log_path, "a", buffering=1)  # noqa: SIM115 - closed in _reap
        self.conf = self._spark_conf()

    def _spark_conf(self) -> dict:
        r = self.req
        conf = {str(k): str(v) for k, v in (r.get("conf") or {}).items()}
        for key, prop in (
            ("driverMemory", "spark.driver.memory"),
            ("driverCores", "spark.driver.cores"),
            ("executorMemory", "spark.executor.memory"),
            ("executorCores", "spark.executor.cores"),
            ("numExecutors", "spark.executor.instances"),
            ("queue", "spark.yarn.queue"),
        ):
            if r.get(key) is not None:
                conf[prop] = str(r[key])
        for key, prop in (
            ("jars", "spark.jars"),
            ("pyFiles", "spark.submit.pyFiles"),
            ("files", "spark.files"),
        ):
            if r.get(key):
                conf[prop] = ",".join(r[key])
        # InteractiveSession.create: the request name wins, else livy-session-N
        if self.name:
            conf["spark.app.name"] = self.name
        conf.setdefault("spark.app.name", f"livy-session-{self.id}")
        return conf

    # ---------------------------------------------------------------- driver process
    def start(self) -> None:
        m = self.manager
        rfd, wfd = os.pipe()
        cmd = [
            sys.executable,
            "-u",
            os.path.abspath(__file__),
            "driver",
            "--session-id",
            str(self.id),
            "--result-fd",
            str(wfd),
            "--conf",
            json.dumps(self.conf),
        ]
        if m.marker:
            cmd += ["--marker", m.marker]
        env = dict(os.environ)
        if m.spark_conf_dir:
            env["SPARK_CONF_DIR"] = m.spark_conf_dir
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(wfd,),
            start_new_session=True,
            env=env,
            cwd=m.state_dir,
        )
        os.close(wfd)
        self.log_line(
            "stderr",
            f"minilivy: started driver pid {self.proc.pid}: "
            f"spark.app.name={self.conf['spark.app.name']}",
            own=True,
        )
        threading.Thread(target=self._pump, args=(self.proc.stdout, "stdout"), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, "stderr"), daemon=True).start()
        threading.Thread(
            target=self._events, args=(os.fdopen(rfd, "r", encoding="utf-8"),), daemon=True
        ).start()
        threading.Thread(target=self._reap, daemon=True).start()

    def log_line(self, stream: str, line: str, own: bool = False) -> None:
        # own=True: minilivy's own notes go to the session's log file only, so that the REST
        # log holds what Livy's would: the driver process's stdout and stderr
        if not own:
            (self.stdout if stream == "stdout" else self.stderr).append(line)
        with contextlib.suppress(ValueError):  # closed after the driver exited
            self.logfile.write(f"{stream}: {line}\n")

    def _pump(self, pipe, stream: str) -> None:
        for raw in iter(pipe.readline, b""):
            self.log_line(stream, raw.decode("utf-8", "replace").rstrip("\n"))

    def _events(self, f) -> None:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                kind = ev.get("event")
                if kind == "ready":
                    self.app_id = ev.get("appId")
                    self.ui_url = ev.get("uiUrl")
                    if self.state == "starting":
                        self.state = "idle"
                elif kind in ("started", "progress", "result"):
                    st = self._stmt(ev.get("id"))
                    if st is None:
                        continue
                    if kind == "started":
                        if st.state == "waiting":
                            st.state = "running"
                        st.started = now_ms()
                    elif kind == "progress":
                        st.progress = ev.get("progress", st.progress)
                    else:
                        st.output = ev.get("output")
                        st.completed = now_ms()
                        st.progress = 1.0
                        st.state = (
                            "cancelled"
                            if st.state == "cancelling" or ev.get("cancelled")
                            else "available"
                        )
                    self._update_busy()

    def _reap(self) -> None:
        rc = self.proc.wait()
        with self.lock:
            self.log_line("stderr", f"minilivy: driver exited with code {rc}", own=True)
            if self.state in ("shutting_down", "killed"):
                self.state = "killed"
            elif self.state == "starting":
                self.state = "error"
            else:
                self.state = "dead"
            for st in self.statements:
                if st.state in ("waiting", "running", "cancelling"):
                    st.state = "cancelled" if st.state == "cancelling" else "available"
                    st.output = st.output or {
                        "status": "error",
                        "execution_count": st.id,
                        "ename": "Error",
                        "evalue": "Session died",
                        "traceback": [],
                    }
                    st.completed = now_ms()
            self.ended_at = time.time()
        with contextlib.suppress(Exception):
            self.logfile.close()

    def _send(self, msg: dict) -> bool:
        with self._stdin_lock:
            try:
                self.proc.stdin.write((json.dumps(msg) + "\n").encode())
                self.proc.stdin.flush()
                return True
            except (BrokenPipeError, ValueError, OSError):
                return False

    def _stmt(self, sid):
        for st in self.statements:
            if st.id == sid:
                return st
        return None

    def _update_busy(self) -> None:
        if self.state not in ("idle", "busy"):
            return
        active = any(s.state in ("waiting", "running", "cancelling") for s in self.statements)
        self.state = "busy" if active else "idle"

    # ---------------------------------------------------------------- API
    def submit(self, code: str, kind: str | None) -> Statement:
        with self.lock:
            if self.state in ("dead", "error", "killed", "shutting_down", "success"):
                raise ValueError(f"Session is in state {self.state}")
            kind = kind or self.kind
            if kind == "shared":
                raise ValueError("Statement kind must be specified for a shared session")
            st = Statement(len(self.statements), code, kind)
            self.statements.append(st)
            self._send({"op": "run", "id": st.id, "code": code, "kind": kind})
            self._update_busy()
            return st

    def cancel(self, sid: int) -> None:
        with self.lock:
            st = self._stmt(sid)
            if st is None:
                raise KeyError(sid)
            if st.state == "waiting":
                st.state = "cancelled"
                st.completed = now_ms()
            elif st.state == "running":
                st.state = "cancelling"
            self._send({"op": "cancel", "id": sid})
            self._update_busy()

    def stop(self, timeout: float = 15.0) -> None:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                return
            self.state = "shutting_down"
            self._send({"op": "stop"})
        t0 = time.time()
        while self.proc.poll() is None and time.time() - t0 < timeout:
            time.sleep(0.1)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            t1 = time.time()
            while self.proc.poll() is None and time.time() - t1 < 5:
                time.sleep(0.1)
        # the JVM child of the driver lives in the same process group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def log_lines(self) -> list:
        return ["stdout: ", *self.stdout, "\nstderr: ", *self.stderr]

    def view(self) -> dict:
        r = self.req
        lines = self.log_lines()
        fill = self.manager.fill_app_info
        return {
            "id": self.id,
            "name": self.name,
            "appId": self.app_id if fill else None,
            "owner": None,
            "proxyUser": self.proxy_user,
            "state": self.state,
            "kind": self.kind,
            "appInfo": {
                "driverLogUrl": None,
                "sparkUiUrl": self.ui_url if fill else None,
                "executorLogUrls": None,
            },
            "log": lines[-10:],
            "ttl": r.get("ttl"),
            "idleTimeout": r.get("idleTimeout"),
            "driverMemory": r.get("driverMemory"),
            "driverCores": r.get("driverCores") or 0,
            "executorMemory": r.get("executorMemory"),
            "executorCores": r.get("executorCores") or 0,
            "conf": r.get("conf") or {},
            "archives": r.get("archives") or [],
            "files": r.get("files") or [],
            "heartbeatTimeoutInSecond": r.get("heartbeatTimeoutInSecond") or 0,
            "jars": r.get("jars") or [],
            "numExecutors": r.get("numExecutors") or 0,
            "pyFiles": r.get("pyFiles") or [],
            "queue": r.get("queue"),
        }


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


# ============================================================================ driver side


def driver(args) -> None:
    out = os.fdopen(args.result_fd, "w", buffering=1, encoding="utf-8")
    out_lock = threading.Lock()

    def emit(ev: dict) -> None:
        with out_lock:
            out.write(json.dumps(ev) + "\n")

    conf = json.loads(args.conf)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    try:
        from pyspark.sql import SQLContext

        sql_context = SQLContext(sc, spark)
    except Exception:
        sql_context = None
    emit({"event": "ready", "appId": sc.applicationId, "uiUrl": sc.uiWebUrl})

    user_ns = {"__name__": "__main__", "spark": spark, "sc": sc, "sqlContext": sql_context}
    queue: collections.deque = collections.deque()
    cond = threading.Condition()
    cancelled: set = set()
    stopping = threading.Event()

    def progress_loop(sid: int, done: threading.Event) -> None:
        tracker = sc.statusTracker()
        last = None
        while not done.wait(1.0):
            try:
                total = finished = 0
                for jid in tracker.getJobIdsForGroup(str(sid)):
                    job = tracker.getJobInfo(jid)
                    for stg in job.stageIds if job else []:
                        info = tracker.getStageInfo(stg)
                        if info:
                            total += info.numTasks
                            finished += info.numCompletedTasks
                p = round(finished / total, 4) if total else 0.0
                if p != last:
                    emit({"event": "progress", "id": sid, "progress": p})
                    last = p
            except Exception:
                pass

    def run_python(code: str, n: int) -> dict:
        buf = io.StringIO()
        old = sys.stdout
        sys.stdout = buf
        try:
            tree = ast.parse(code, "<stdin>", "exec")
            last = tree.body[-1] if tree.body else None
            if isinstance(last, ast.Expr):
                tree.body = tree.body[:-1]
                exec(compile(tree, "<stdin>", "exec"), user_ns)
                value = eval(compile(ast.Expression(last.value), "<stdin>", "eval"), user_ns)
                if value is not None:
                    print(repr(value))
            else:
                exec(compile(tree, "<stdin>", "exec"), user_ns)
        except BaseException:
            et, ev, tb = sys.exc_info()
            sys.stdout = old
            lines = traceback.format_exception(et, ev, tb)
            # drop this function's frame, as fake_shell.py does with its own
            lines = lines[:1] + [ln for ln in lines[1:] if __file__ not in ln]
            return {
                "status": "error",
                "execution_count": n,
                "ename": et.__name__,
                "evalue": str(ev),
                "traceback": lines,
            }
        finally:
            sys.stdout = old
        text = buf.getvalue()
        if text.endswith("\n"):
            text = text[:-1]
        return {"status": "ok", "execution_count": n, "data": {"text/plain": text}}

    def run_sql(code: str, n: int) -> dict:
        try:
            df = spark.sql(code)
            rows = [list(r) for r in df.take(SQL_MAX_ROWS)]
            data = {"schema": json.loads(df.schema.json()), "data": rows}
            return {
                "status": "ok",
                "execution_count": n,
                "data": {"application/json": json.loads(json.dumps(data, default=str))},
            }
        except Exception as e:
            return {
                "status": "error",
                "execution_count": n,
                "ename": type(e).__name__,
                "evalue": str(e),
                "traceback": traceback.format_exception(type(e), e, e.__traceback__),
            }

    def worker() -> None:
        while True:
            with cond:
                while not queue and not stopping.is_set():
                    cond.wait()
                if stopping.is_set():
                    return
                msg = queue.popleft()
            sid = msg["id"]
            if sid in cancelled:
                emit({"event": "result", "id": sid, "cancelled": True, "output": None})
                continue
            emit({"event": "started", "id": sid})
            sc.setJobGroup(str(sid), f"livy statement {sid}", interruptOnCancel=True)
            done = threading.Event()
            threading.Thread(target=progress_loop, args=(sid, done), daemon=True).start()
            kind = msg.get("kind") or "pyspark"
            if kind in ("pyspark", "python"):
                output = run_python(msg["code"], sid)
            elif kind == "sql":
                output = run_sql(msg["code"], sid)
            else:
                output = {
                    "status": "error",
                    "execution_count": sid,
                    "ename": "NotImplementedError",
                    "evalue": f"minilivy runs pyspark and sql statements only, not {kind}",
                    "traceback": [],
                }
            done.set()
            emit({"event": "result", "id": sid, "output": output, "cancelled": sid in cancelled})

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        op = msg.get("op")
        if op == "run":
            with cond:
                queue.append(msg)
                cond.notify()
        elif op == "cancel":
            cancelled.add(msg["id"])
            with contextlib.suppress(Exception):
                sc.cancelJobGroup(str(msg["id"]))
        elif op == "stop":
            break
    # stdin closed (server gone) or stop: end the Spark app so its executors go back
    stopping.set()
    with cond:
        cond.notify_all()
    try:
        spark.stop()
    finally:
        os._exit(0)


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
    d = sub.add_parser("driver", help="(internal) one session's pyspark driver")
    d.add_argument("--session-id", type=int, required=True)
    d.add_argument("--result-fd", type=int, required=True)
    d.add_argument("--conf", required=True)
    d.add_argument("--marker", default=None)
    args = p.parse_args(argv)
    if args.cmd == "serve":
        serve(args)
    else:
        driver(args)


if __name__ == "__main__":
    main()
