"""Driving kernels of a running Jupyter server as JupyterLab does: a notebook's session with a
new kernel (REST), and a cell run through the kernel's websocket. Shared by the demo
(scenario.py demo) and the real-stack tests; tornado only, which Jupyter brings.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

# A jp_fetch-like call: path parts, method, body -> the response.
Fetch = Callable[..., Awaitable[HTTPResponse]]
WsConnect = Callable[..., Awaitable[WebSocketClientConnection]]


class JupyterServer:
    """A Jupyter server's REST API and websockets, at `base` with `token`."""

    def __init__(self, base: str, token: str = "") -> None:
        self.base = base.rstrip("/")
        self.token = token
        self._xsrf: str | None = None  # without a token, what a browser sends: its cookie

    def _request(self, parts: tuple[str, ...], **kwargs: Any) -> HTTPRequest:
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        if self._xsrf:
            headers.update({"X-XSRFToken": self._xsrf, "Cookie": f"_xsrf={self._xsrf}"})
        return HTTPRequest(
            f"{self.base}/{'/'.join(parts)}", headers=headers, request_timeout=60, **kwargs
        )

    async def fetch(self, *parts: str, method: str = "GET", body: str | None = None):
        """As pytest-jupyter's jp_fetch, against this server."""
        if not self.token and self._xsrf is None and method != "GET":
            # A server without a token checks XSRF as for a browser: take its cookie first.
            page = await AsyncHTTPClient().fetch(self._request(("lab",)))
            cookies = SimpleCookie()
            for header in page.headers.get_list("Set-Cookie"):
                cookies.load(header)
            self._xsrf = cookies["_xsrf"].value if "_xsrf" in cookies else ""
        return await AsyncHTTPClient().fetch(self._request(parts, method=method, body=body))

    async def ws_connect(self, *parts: str) -> WebSocketClientConnection:
        request = self._request(parts)
        request.url = request.url.replace("http://", "ws://", 1)
        return await websocket_connect(request)


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


async def execute(
    connect: WsConnect, kernel_id: str, code: str, timeout: float = 600, wait: bool = True
) -> str:
    """Runs one cell through the kernel's websocket; returns its text output. Without `wait`,
    returns once the kernel has started the cell: it runs on (as after a closed browser tab)."""
    ws = await connect("api", "kernels", kernel_id, "channels")
    msg_id = uuid.uuid4().hex
    ws.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "glue-sessions",
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
            if not wait and msg["msg_type"] == "execute_input":
                return ""  # the kernel has the cell: it runs it without us
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
