"""Kept-alive HTTP/1.1 connections for JsonFetcher, per (scheme, host, port).

This module owns the connections: opening them (TCP, TLS with or without certificate checks,
the connect timeout), keeping the idle ones within bounds (per host, in all, and for how
long), never reusing one the server closed or that failed, and retrying once on a fresh
connection a GET whose kept connection turned out dead before any byte of answer (a server's
idle timeout, a restart). The exchange itself is `glue_sessions.wire`. It knows nothing of
JSON, auth, allowed hosts or error kinds: `glue_sessions.http` does, and maps the exceptions.
How many requests run at once is the caller's to bound.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from urllib.parse import SplitResult

from .aio import within
from .wire import (
    READ_BYTES,
    Answer,
    BadAnswer,
    ChunkSink,
    Closed,
    Connection,
    Stopped,
    Timeout,
    request_bytes,
)

__all__ = ["Answer", "BadAnswer", "Closed", "ConnectionPool", "Stopped", "Timeout"]

MAX_PLANS = 8192  # requests (method, URL, headers) whose bytes are kept for the next cycle


class ConnectionPool:
    """HTTP/1.1 requests on connections kept alive per (scheme, host, port)."""

    def __init__(
        self,
        *,
        validate_cert: bool = True,
        max_idle_per_host: int = 32,
        max_idle_total: int = 128,
        idle_seconds: float = 55.0,
        max_body_bytes: int = 64 * 1024 * 1024,
    ):
        self.max_idle_per_host = max_idle_per_host
        self.max_idle_total = max_idle_total
        self.idle_seconds = idle_seconds  # older idle connections are closed, not tried
        self.connections_opened = 0
        self._idle: dict[tuple[str, str, int], list[tuple[Connection, float]]] = {}
        self._idle_count = 0
        self._tls = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        if not validate_cert:
            self._tls.check_hostname = False
            self._tls.verify_mode = ssl.CERT_NONE
        # A larger Content-Length is refused before reading (a margin for gzip's overhead).
        self._max_length = max_body_bytes + max_body_bytes // 64 + 1024
        # What every connection of this pool reads into: a read is handled whole in one
        # callback of the pool's loop, so they can share it.
        self._read_buffer = memoryview(bytearray(READ_BYTES))
        self._plans: dict[
            tuple[str, SplitResult, tuple[tuple[str, str], ...]],
            tuple[tuple[str, str, int], bool, bytes],
        ] = {}

    def close(self) -> None:
        for connections in self._idle.values():
            for connection, _ in connections:
                connection.abort()
        self._idle.clear()
        self._idle_count = 0

    async def request(
        self,
        method: str,
        url: SplitResult,
        headers: dict[str, str],
        sink: ChunkSink,
        *,
        connect_timeout: float,
        request_timeout: float,
    ) -> Answer:
        """Send one request and feed its body to `sink`; the deadline counts from now."""
        # A poller asks the same URLs with the same headers every cycle: their host key and
        # request bytes are made once (and forgotten all at once when there are too many).
        # Not kept: requests with credentials (an auth token may change at every request).
        plan_key = (method, url, tuple(headers.items()))
        plan = self._plans.get(plan_key)
        if plan is None:
            tls = url.scheme == "https"
            host_key = (url.scheme, url.hostname or "", url.port or (443 if tls else 80))
            plan = (host_key, tls, request_bytes(method, url, headers))
            if url.username is None and not any(k.lower() == "authorization" for k in headers):
                if len(self._plans) >= MAX_PLANS:
                    self._plans.clear()
                self._plans[plan_key] = plan
        key, tls, request = plan
        loop = asyncio.get_running_loop()
        deadline = loop.time() + request_timeout
        connection = self._take_idle(key)
        reused = connection is not None
        for attempt in (1, 2):
            if connection is None:
                timeout = min(connect_timeout, deadline - loop.time())
                try:
                    connection = await within(
                        self._connect(key, tls), timeout, discard=Connection.abort
                    )
                except asyncio.TimeoutError:
                    if timeout < connect_timeout:
                        raise Timeout(f"no answer within {request_timeout:g} s") from None
                    raise Timeout(f"no connection within {connect_timeout:g} s") from None
            try:
                answer = await connection.exchange(
                    request, method == "HEAD", sink, deadline, request_timeout, loop
                )
            except Closed as error:
                # A kept connection the server had closed (idle timeout, restart): nothing came
                # back, so a GET goes again, once, on a new connection.
                if reused and attempt == 1 and not error.received and method == "GET":
                    connection, reused = None, False
                    continue
                raise
            except BaseException:  # failed, timed out, stopped or cancelled: never reused
                connection.abort()
                raise
            self._park(key, connection)
            return answer
        raise AssertionError("unreachable")

    async def _connect(self, key: tuple[str, str, int], tls: bool) -> Connection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(
            lambda: Connection(self._max_length, self._read_buffer),
            key[1],
            key[2],
            ssl=self._tls if tls else None,
            server_hostname=key[1] if tls else None,
        )
        self.connections_opened += 1
        return connection

    def _take_idle(self, key: tuple[str, str, int]) -> Connection | None:
        connections = self._idle.get(key)
        if not connections:
            return None
        now = time.monotonic()
        while connections:
            connection, parked_at = connections.pop()
            self._idle_count -= 1
            if connection.usable and now - parked_at < self.idle_seconds:
                return connection
            connection.abort()
        del self._idle[key]
        return None

    def _park(self, key: tuple[str, str, int], connection: Connection) -> None:
        connections = self._idle.setdefault(key, [])
        if (
            not connection.reusable
            or len(connections) >= self.max_idle_per_host
            or self._idle_count >= self.max_idle_total
        ):
            connection.abort()
            if not connections:
                del self._idle[key]
            return
        connections.append((connection, time.monotonic()))
        self._idle_count += 1
