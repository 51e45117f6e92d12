"""A minilivy session: one pyspark driver process (devstack/minilivy_driver.py) and its
statements, in Livy 0.9's states and JSON (SessionInfo, Statement). devstack/minilivy.py serves
them; see its docstring for the REST API they answer.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the server that holds the sessions
    from minilivy import Manager

DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "minilivy_driver.py")
LOG_LINES = 200  # livy.cache-log.size


def now_ms() -> int:
    return int(time.time() * 1000)


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
            DRIVER,
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
