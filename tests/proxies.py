"""Proxies for tests, on the test's asyncio loop: an HTTP forward proxy (plain requests in
absolute form, CONNECT tunnels) that records what it carried, and a TLS-terminating proxy
in front of a plain HTTP server. Requests are read with llhttp (httptools), never by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from urllib.parse import urlsplit

import httptools
import pytest

from glue_sessions.client.http import FetchError, JsonFetcher


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class _Servers:
    def __init__(self) -> None:
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.tasks: set[asyncio.Task] = set()

    async def _serve(self, handler, ssl_context: ssl.SSLContext | None = None) -> None:
        async def handle(reader, writer):
            task = asyncio.current_task()
            assert task is not None
            self.tasks.add(task)
            try:
                await handler(reader, writer)
            except (ConnectionError, asyncio.CancelledError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()
                self.tasks.discard(task)

        self.server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ssl_context)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.server is not None:
            await self.server.wait_closed()


class _Head:
    """A request's line and headers, as llhttp reads them."""

    def __init__(self) -> None:
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.done = False

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.done = True


class HttpProxy(_Servers):
    """A forward proxy: GET http://host/... is sent on to the host (one request a
    connection), CONNECT host:port opens a tunnel. `seen` lists what it carried:
    ("GET", url) or ("CONNECT", "host:port"); `authorizations` the Proxy-Authorization
    values it was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []
        self.authorizations: list[str] = []
        self.refuse = False  # answer 407 to everything
        self.secure = False  # behind TLS: an https:// proxy

    async def start(self, ssl_context: ssl.SSLContext | None = None) -> HttpProxy:
        """Listen, in plain HTTP, or behind TLS with `ssl_context` (an https:// proxy)."""
        self.secure = ssl_context is not None
        await self._serve(self._handle, ssl_context)
        return self

    @property
    def url(self) -> str:
        scheme, host = ("https", "localhost") if self.secure else ("http", "127.0.0.1")
        return f"{scheme}://{host}:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        raw = await reader.readuntil(b"\r\n\r\n")
        head = _Head()
        parser = httptools.HttpRequestParser(head)
        with contextlib.suppress(httptools.HttpParserUpgrade):  # CONNECT: no body follows
            parser.feed_data(raw)
        method = parser.get_method().decode()
        target = head.url.decode()
        for name, value in head.headers:
            if name.lower() == b"proxy-authorization":
                self.authorizations.append(value.decode())
        self.seen.append((method, target))
        if self.refuse:
            writer.write(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n'
            )
            await writer.drain()
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            up_reader, up_writer = await asyncio.open_connection(host.strip("[]"), int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
        else:
            url = urlsplit(target)
            up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
            path = (url.path or "/") + (f"?{url.query}" if url.query else "")
            lines = [f"{method} {path} HTTP/1.1".encode()]
            lines += [
                name + b": " + value
                for name, value in head.headers
                if name.lower() not in (b"proxy-authorization", b"connection")
            ]
            lines.append(b"Connection: close")  # one request a connection: no framing to read
            up_writer.write(b"\r\n".join(lines) + b"\r\n\r\n")
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


class TlsTerminator(_Servers):
    """HTTPS in front of a plain HTTP server: every byte decrypted and sent on, and back."""

    def __init__(self, target_host: str, target_port: int, context: ssl.SSLContext):
        super().__init__()
        self.target = (target_host, target_port)
        self.context = context

    async def start(self) -> TlsTerminator:
        await self._serve(self._handle, self.context)
        return self

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def fetch(url: str, **options) -> object:
    """One GET through a fresh JsonFetcher with these options."""
    fetcher = JsonFetcher(max_concurrency=1, **options)
    try:
        return await fetcher.get_json(url)
    finally:
        fetcher.close()


async def refused(url: str, **options) -> FetchError:
    """The FetchError one GET ends with."""
    with pytest.raises(FetchError) as error:
        await fetch(url, **options)
    return error.value
