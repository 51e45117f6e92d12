"""Loopback helpers shared by the tests and the benchmarks (one copy of each): a free port, and
the plumbing of the small HTTP servers that stand in for Livy, a ResourceManager or a package
index where the emulator would be too much."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    """A loopback port nothing listens on right now (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that answers in one call and keeps the test output clean."""

    def reply(self, status: int, body: Any, content_type: str = "application/json") -> None:
        """Answer ``body``: bytes as they are, anything else as JSON."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def json_body(self) -> Any:
        """The request's JSON body ({} when it has none)."""
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def log_message(self, *args: Any) -> None:
        pass


class LoopbackServer:
    """A threaded HTTP server with ``handler`` on a loopback port. The port is taken at once;
    connections are refused until start(), which happens at once unless ``start=False`` (an
    endpoint that comes up late)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, start: bool = True):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        self.server.server_bind()
        self.port: int = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None
        if start:
            self.start()

    def start(self) -> None:
        if self._thread is not None:
            return
        self.server.server_activate()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()
