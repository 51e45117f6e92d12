"""Kept-alive HTTP/1.1 connections for JsonFetcher, per (scheme, host, port).

This module owns the connections: opening them (TCP; TLS from the standard library's `ssl`,
verified against the system store or a CA bundle, with or without hostname checks, with an
optional client certificate; through the environment's proxy when it names one: an HTTP
request to the proxy, or a CONNECT tunnel for HTTPS; the connect timeout), keeping the idle
ones within bounds (per host, in all, and for how long), never reusing one the server closed
or that failed, and retrying once on a fresh connection a GET whose kept connection turned
out dead before any byte of answer (a server's idle timeout, a restart). The exchange itself
is `glue_sessions.client.wire`, whose answers llhttp parses. It knows nothing of JSON, auth,
allowed hosts or error kinds: `glue_sessions.client.http` does, and maps the exceptions. How many
requests run at once is the caller's to bound.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
import urllib.request
from urllib.parse import SplitResult, urlsplit

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
    basic_auth,
    connect_bytes,
    request_bytes,
)

__all__ = ["Answer", "BadAnswer", "Closed", "ConnectionPool", "Stopped", "Timeout"]

MAX_PLANS = 8192  # requests (method, URL, headers) whose bytes are kept for the next cycle
HostKey = tuple[str, str, int]  # scheme, host, port
Plan = tuple[HostKey, bool, bytes, "SplitResult | None"]  # key, TLS, request bytes, proxy


def tls_context(
    *,
    validate_cert: bool = True,
    check_hostname: bool = True,
    ca_bundle: str = "",
    client_cert: str = "",
    client_key: str = "",
) -> ssl.SSLContext:
    """The TLS settings of every HTTPS connection: certificates verified against `ca_bundle`
    (a file or a directory of PEM certificates), else the system store; the host name checked
    unless `check_hostname` is off (never checked when certificates are not verified)."""
    path = ca_bundle or ""
    cafile = path if path and not os.path.isdir(path) else None
    capath = path if path and os.path.isdir(path) else None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile, capath=capath)
    if not validate_cert or not check_hostname:
        context.check_hostname = False
    if not validate_cert:
        context.verify_mode = ssl.CERT_NONE
    if client_cert:
        context.load_cert_chain(client_cert, client_key or None)
    return context


class Proxies:
    """Which proxy a URL goes through: the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY
    as urllib reads them, the same rules requests follows), or none."""

    def __init__(self, use_environment: bool = True):
        found = urllib.request.getproxies() if use_environment else {}
        self.proxies = {
            scheme: urlsplit(url if "://" in url else f"http://{url}")
            for scheme, url in found.items()
            if scheme in ("http", "https") and url
        }
        self._verdicts: dict[HostKey, SplitResult | None] = {}

    def for_key(self, key: HostKey) -> SplitResult | None:
        if not self.proxies:
            return None
        if key not in self._verdicts:
            proxy = self.proxies.get(key[0])
            if proxy is not None and urllib.request.proxy_bypass(f"{key[1]}:{key[2]}"):
                proxy = None
            self._verdicts[key] = proxy
        return self._verdicts[key]


class ConnectionPool:
    """HTTP/1.1 requests on connections kept alive per (scheme, host, port)."""

    def __init__(
        self,
        *,
        validate_cert: bool = True,
        tls: ssl.SSLContext | None = None,
        proxies: Proxies | None = None,
        max_idle_per_host: int = 32,
        max_idle_total: int = 128,
        idle_seconds: float = 55.0,
        max_body_bytes: int = 64 * 1024 * 1024,
    ):
        self.max_idle_per_host = max_idle_per_host
        self.max_idle_total = max_idle_total
        self.idle_seconds = idle_seconds  # older idle connections are closed, not tried
        self.connections_opened = 0
        self._idle: dict[HostKey, list[tuple[Connection, float]]] = {}
        self._idle_count = 0
        self._tls = tls or tls_context(validate_cert=validate_cert)
        self._proxies = proxies or Proxies(use_environment=False)
        # A larger Content-Length is refused before reading (a margin for gzip's overhead).
        self._max_length = max_body_bytes + max_body_bytes // 64 + 1024
        # What every connection of this pool reads into: a read is handled whole in one
        # callback of the pool's loop, so they can share it.
        self._read_buffer = memoryview(bytearray(READ_BYTES))
        self._plans: dict[tuple[str, SplitResult, tuple[tuple[str, str], ...]], Plan] = {}

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
            proxy = self._proxies.for_key(host_key)
            if proxy is not None and not tls:  # plain HTTP: the whole URL to the proxy
                if proxy.username is not None:
                    headers = {
                        **headers,
                        "Proxy-Authorization": basic_auth(proxy.username, proxy.password),
                    }
                request = request_bytes(method, url, headers, absolute=True)
            else:
                request = request_bytes(method, url, headers)
            plan = (host_key, tls, request, proxy)
            if url.username is None and not any(k.lower() == "authorization" for k in headers):
                if len(self._plans) >= MAX_PLANS:
                    self._plans.clear()
                self._plans[plan_key] = plan
        key, tls, request, proxy = plan
        loop = asyncio.get_running_loop()
        deadline = loop.time() + request_timeout
        connection = self._take_idle(key)
        reused = connection is not None
        for attempt in (1, 2):
            if connection is None:
                timeout = min(connect_timeout, deadline - loop.time())
                try:
                    connection = await within(
                        self._connect(key, tls, proxy, timeout), timeout, discard=Connection.abort
                    )
                except asyncio.TimeoutError:
                    if timeout < connect_timeout:
                        raise Timeout(f"no answer within {request_timeout:g} s") from None
                    raise Timeout(f"no connection within {connect_timeout:g} s") from None
            try:
                answer = await connection.exchange(request, sink, deadline, request_timeout, loop)
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

    async def _connect(
        self, key: HostKey, tls: bool, proxy: SplitResult | None, timeout: float
    ) -> Connection:
        loop = asyncio.get_running_loop()

        def make() -> Connection:
            return Connection(self._max_length, self._read_buffer)

        if proxy is None:
            _, connection = await loop.create_connection(
                make,
                key[1],
                key[2],
                ssl=self._tls if tls else None,
                server_hostname=key[1] if tls else None,
            )
        else:
            secure = proxy.scheme == "https"  # TLS to the proxy itself, verified as any host
            _, connection = await loop.create_connection(
                make,
                proxy.hostname or "",
                proxy.port or (443 if secure else 80),
                ssl=self._tls if secure else None,
                server_hostname=proxy.hostname if secure else None,
            )
            if tls:
                try:
                    await self._tunnel(connection, key, proxy, loop.time() + timeout, timeout)
                except BaseException:
                    connection.abort()
                    raise
        self.connections_opened += 1
        return connection

    async def _tunnel(
        self,
        connection: Connection,
        key: HostKey,
        proxy: SplitResult,
        deadline: float,
        timeout: float,
    ) -> None:
        """A CONNECT tunnel through the proxy to the host, then TLS with the host inside it."""
        loop = asyncio.get_running_loop()
        request = connect_bytes(key[1], key[2], proxy)
        answer = await connection.exchange(request, bool, deadline, timeout, loop, tunnel=True)
        if not 200 <= answer.code < 300:
            where = proxy.netloc.rpartition("@")[2]
            raise OSError(f"the proxy {where} refused a tunnel: HTTP {answer.code}")
        assert connection.transport is not None
        transport = await loop.start_tls(
            connection.transport,
            connection,
            self._tls,
            server_hostname=key[1],
            ssl_handshake_timeout=max(0.001, deadline - loop.time()),
        )
        if transport is None:  # never, for a client (asyncio's type allows it)
            raise OSError("no TLS inside the tunnel")
        connection.tunnelled(transport)

    def _take_idle(self, key: HostKey) -> Connection | None:
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

    def _park(self, key: HostKey, connection: Connection) -> None:
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
