"""Real sparkmagic kernels in real Jupyter servers: running a cell through a kernel's websocket,
and a second Jupyter server process (another notebook instance on the same endpoint)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from kernelspecs import write_pyspark_kernelspec
from stack import LIVY_URL
from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

from glue_sessions import labels
from glue_sessions.sparkmagic_config import configure_sparkmagic

# A jp_fetch-like call: path parts, method, body -> the response.
Fetch = Callable[..., Awaitable[HTTPResponse]]
WsConnect = Callable[..., Awaitable[WebSocketClientConnection]]


def write_sparkmagic_config(conf_dir: Path, owner: str) -> Path:
    """sparkmagic's config.json of one instance, with what the real command adds to it:
    our events hook, and labels with the owner and the notebook path
    (configure-sparkmagic --owner-label OWNER --label-notebook)."""
    conf_dir.mkdir(parents=True, exist_ok=True)
    config = conf_dir / "config.json"
    config.write_text(
        json.dumps(
            {
                "kernel_python_credentials": {"url": LIVY_URL, "auth": "None"},
                "session_configs": {
                    "driverMemory": "512m",
                    "executorMemory": "512m",
                    "executorCores": 1,
                },
                "livy_session_startup_timeout_seconds": 300,
                "wait_for_idle_timeout_seconds": 300,
            }
        )
    )
    configure_sparkmagic(config, owner_labels=labels.settings_for(owner, notebook=True))
    return config


async def open_notebook(fetch: Fetch, path: str, kernel_name: str) -> str:
    """What JupyterLab does when a notebook opens: a session with a new kernel; its id."""
    response = await fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps(
            {"path": path, "type": "notebook", "name": path, "kernel": {"name": kernel_name}}
        ),
    )
    return json.loads(response.body)["kernel"]["id"]


async def execute(connect: WsConnect, kernel_id: str, code: str, timeout: float = 600) -> str:
    """Runs one cell through the kernel's websocket; returns its text output."""
    ws = await connect("api", "kernels", kernel_id, "channels")
    msg_id = uuid.uuid4().hex
    ws.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "test",
                    "session": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    output = []
    reply: dict[str, Any] | None = None
    idle = False  # iopub's "idle" comes after every output of the cell; the shell reply may not
    deadline = time.monotonic() + timeout
    try:
        while reply is None or not idle:
            raw = await asyncio.wait_for(ws.read_message(), deadline - time.monotonic())
            if raw is None:
                raise AssertionError("kernel websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if msg["msg_type"] == "stream":
                output.append(content.get("text", ""))
            elif msg["msg_type"] in ("execute_result", "display_data"):
                output.append(content.get("data", {}).get("text/plain", ""))
            elif msg["msg_type"] == "error":
                output.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif msg["msg_type"] == "status":
                idle = content.get("execution_state") == "idle"
            elif msg["msg_type"] == "execute_reply":
                reply = content
    finally:
        ws.close()
    text = "".join(output)
    assert reply.get("status") == "ok", text
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OtherInstance:
    """Another notebook instance on the same endpoint: its own `jupyter server` process with
    glue-sessions, its own sparkmagic config (another owner), kernels and runtime directory.
    It shares nothing with the test's server but the endpoint."""

    def __init__(self, root: Path, owner: str, glue_config: dict[str, Any]) -> None:
        self.root = root
        self.owner = owner
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.base = f"http://127.0.0.1:{self.port}"
        sparkmagic = write_sparkmagic_config(root / "sparkmagic", owner)
        self.kernel_name = write_pyspark_kernelspec(root / "data")
        config_dir = root / "config"
        config_dir.mkdir(parents=True)
        (config_dir / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
                    "GlueSessions": dict(glue_config, sparkmagic_config=str(sparkmagic)),
                }
            )
        )
        (root / "notebooks").mkdir()
        # Not the test server's search paths (pytest-jupyter sets them): this instance's own.
        search_paths = ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")
        inherited = {k: v for k, v in os.environ.items() if k not in search_paths}
        self.env = dict(
            inherited,
            JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(root / "data"),
            JUPYTER_RUNTIME_DIR=str(root / "runtime"),
            SPARKMAGIC_CONF_DIR=str(sparkmagic.parent),
        )
        self.log = root / "jupyter-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> None:
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyter_server",
                    "--no-browser",
                    "--allow-root",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}",
                    "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.root / 'notebooks'}",
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"the other Jupyter server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _request(self, parts: tuple[str, ...], **kwargs: Any) -> HTTPRequest:
        return HTTPRequest(
            f"{self.base}/{'/'.join(parts)}",
            headers={"Authorization": f"token {self.token}"},
            request_timeout=60,
            **kwargs,
        )

    async def fetch(self, *parts: str, method: str = "GET", body: str | None = None):
        """As the test's jp_fetch, against this server."""
        return await AsyncHTTPClient().fetch(self._request(parts, method=method, body=body))

    async def ws_connect(self, *parts: str) -> WebSocketClientConnection:
        request = self._request(parts)
        request.url = request.url.replace("http://", "ws://", 1)
        return await websocket_connect(request)
