"""One HTTP/1.1 connection on an asyncio transport: the request bytes out, the answer's bytes
into llhttp (through httptools), and what llhttp finds handed on.

llhttp (Node's parser) reads every byte of an answer: the status line, the headers, the
framing (Content-Length, chunked, both at once refused), interim 1xx answers and whether the
connection may be kept; nothing of HTTP is parsed here. This module owns what a parser cannot
know: one exchange at a time on a connection, the request's deadline, a bound on the header
section, gzip (decompressed piece by piece, so a bomb is stopped at the size limit), the body
handed to a sink as it comes and never held here, and the end of an answer framed by the
close. No header injection from a URL or header. `glue_sessions.client.pool` owns the connections.

Why not aiohttp: its ClientSession (the same llhttp) cost more CPU per request than a naive
tab's http.client, this protocol less (bench/README.md, "HTTP parsed by llhttp").
"""

from __future__ import annotations

import asyncio
import base64
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, unquote

import httptools

ChunkSink = Callable[[bytes], bool]  # takes a piece of the (decompressed) body; False: stop
MAX_HEAD = 65536  # largest header section read (llhttp itself sets no bound)
_PIECE = 65536  # most decompressed bytes produced per step: a gzip bomb is stopped early
READ_BYTES = 262144  # bytes read from the socket at once (asyncio's own size for a plain protocol)


class Timeout(Exception):
    """No connection, or no whole answer, within the time allowed."""


class Closed(Exception):
    """The connection ended before the end of the answer."""

    def __init__(self, message: str, received: bool, cut: bool = False):
        super().__init__(message)
        self.received = received
        self.cut = cut  # the peer ended a well-connected answer short: the answer is at fault


class BadAnswer(Exception):
    """What came back is not valid HTTP/1.x (or its gzip is broken)."""


class Stopped(Exception):
    """The sink refused the body (too large): the connection was dropped."""


class Answer:
    __slots__ = ("code", "headers", "reason")

    def __init__(self, code: int, reason: str, headers: dict[str, str]):
        self.code, self.reason, self.headers = code, reason, headers


class Connection(asyncio.BufferedProtocol):
    """One connection, one exchange at a time; llhttp parses the answer as its bytes arrive.

    A buffered protocol: the transport reads into `read_buffer` (one per pool: the callbacks of
    one loop never overlap), not into a new 256 KiB bytes object per read as a plain
    protocol's transport does (with glibc, an mmap, mremap and munmap for every answer)."""

    def __init__(self, max_length: int, read_buffer: memoryview | None = None):
        self.max_length = max_length  # largest Content-Length accepted
        self.read_buffer = memoryview(bytearray(READ_BYTES)) if read_buffer is None else read_buffer
        self.transport: asyncio.BaseTransport | None = None
        self.closed = False
        self.reusable = False
        self.future: asyncio.Future[Answer] | None = None
        self.sink: ChunkSink = bool
        self.received = False
        self.parser = httptools.HttpResponseParser(self)
        self.answer: Answer | None = None
        self.headers: dict[str, str] = {}
        self.reason = ""
        self.head_bytes = 0  # bytes received before the end of the header section
        self.head_size = 0  # bytes of the status line and headers llhttp found so far
        self.in_head = True
        self.complete = False
        self.tunnel = False  # the exchange is a proxy's answer to CONNECT: headers only
        self.error: Exception | None = None  # what a callback of ours raised inside llhttp
        self.gunzip: Any = None
        self.timer: asyncio.TimerHandle | None = None

    # -- asyncio callbacks
    def connection_made(self, transport) -> None:
        self.transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        return self.read_buffer

    def buffer_updated(self, nbytes: int) -> None:
        self.data_received(self.read_buffer[:nbytes])

    def data_received(self, data: bytes | memoryview) -> None:
        if self.future is None or self.future.done():  # nothing asked: never reuse this one
            self.reusable = False
            self.abort()
            return
        self.received = True
        if self.in_head:
            self.head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(BadAnswer("the answer switches protocols"))
            return
        except httptools.HttpParserError as error:
            if not self.complete:
                self._fail(self.error or BadAnswer(f"not valid HTTP ({error})"))
                return
            self.reusable = False  # bytes after a whole answer: it stands, the connection not
        if self.complete:
            self._finish()
        elif self.in_head and self.head_bytes > MAX_HEAD:
            self._fail(BadAnswer(f"answer header section over {MAX_HEAD} bytes"))

    def eof_received(self) -> bool:
        return False  # close

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self.future is None or self.future.done():
            return
        if self.answer is not None and self._framed_by_close():
            try:
                self._finish()
            except (BadAnswer, Stopped) as error:
                self._fail(error)
            return
        what = "before any answer" if not self.received else "before the end of the answer"
        reason = f" ({exc})" if exc else ""
        self._fail(Closed(f"connection closed {what}{reason}", self.received, exc is None))

    def _framed_by_close(self) -> bool:
        """Whether the answer's body ends with the connection: llhttp reads such a body to the
        end of the stream (neither Content-Length nor Transfer-Encoding in the headers it
        accepted), and its end is ours to tell."""
        return "content-length" not in self.headers and "transfer-encoding" not in self.headers

    # -- llhttp callbacks (httptools calls them from feed_data)
    def on_message_begin(self) -> None:
        if self.complete:  # bytes after the answer: not read, and the connection not kept
            raise BadAnswer("bytes after the answer")
        self.headers, self.reason, self.in_head, self.head_size = {}, "", True, 0

    def on_status(self, status: bytes) -> None:
        self._count_head(len(status))
        self.reason += status.decode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        headers = self.headers
        headers[key] = f"{headers[key]}, {text}" if key in headers else text

    def _count_head(self, size: int) -> None:
        self.head_size += size
        if self.head_size > MAX_HEAD:
            self.error = BadAnswer(f"answer header section over {MAX_HEAD} bytes")
            raise self.error

    def on_headers_complete(self) -> None:
        code = self.parser.get_status_code()
        if 100 <= code < 200:
            return  # an interim answer (100 Continue), bodiless: the real one follows
        self.in_head = False
        headers = self.headers
        self.answer = Answer(code, self.reason, headers)
        if self.tunnel:  # a proxy's answer to CONNECT: what follows is the tunnel
            self.complete = True
            return
        if headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
            self.gunzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
        length = headers.get("content-length")
        # llhttp has checked it: ASCII digits, one value.
        if length is not None and int(length) > self.max_length:
            self.error = Stopped()
            raise self.error

    def on_body(self, data: bytes) -> None:
        try:
            self._deliver(data)
        except (BadAnswer, Stopped) as error:
            self.error = error
            raise

    def on_message_complete(self) -> None:
        if self.in_head:  # the end of an interim answer
            return
        self.complete = True
        self.reusable = self.parser.should_keep_alive()

    # -- one exchange
    def exchange(
        self,
        request: bytes,
        sink: ChunkSink,
        deadline: float,
        timeout: float,
        loop: asyncio.AbstractEventLoop | None = None,
        *,
        tunnel: bool = False,
    ) -> asyncio.Future[Answer]:
        loop = loop or asyncio.get_running_loop()
        self.future = loop.create_future()
        self.sink, self.reusable, self.received, self.tunnel = sink, False, False, tunnel
        self.answer, self.gunzip, self.error, self.complete = None, None, None, False
        self.head_bytes, self.in_head, self.headers = 0, True, {}
        assert self.transport is not None
        if self.closed or self.transport.is_closing():  # closed since the pool looked
            self.future.set_exception(Closed("connection closed before any answer", False))
            return self.future
        self.timer = loop.call_at(deadline, self._expire, timeout)
        self.transport.write(request)  # type: ignore[attr-defined]
        return self.future

    def tunnelled(self, transport: asyncio.BaseTransport) -> None:
        """The connection now runs TLS inside a proxy's tunnel: a parser for its answers."""
        self.transport = transport
        self.parser = httptools.HttpResponseParser(self)

    @property
    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()  # type: ignore[attr-defined]

    def _expire(self, timeout: float) -> None:
        self._fail(Timeout(f"no answer within {timeout:g} s"))

    def _fail(self, error: Exception) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.abort()
        if self.future is not None and not self.future.done():
            self.future.set_exception(error)

    def _finish(self) -> None:
        if self.gunzip is not None:
            self._give(self.gunzip.flush())
        if self.timer is not None:
            self.timer.cancel()
        self.reusable = self.reusable and not self.closed
        assert self.future is not None and self.answer is not None
        if not self.future.done():
            self.future.set_result(self.answer)

    def _deliver(self, data: bytes) -> None:
        if self.gunzip is None:
            self._give(data)
            return
        while data:
            try:
                out = self.gunzip.decompress(data, _PIECE)
            except zlib.error as error:
                raise BadAnswer(f"invalid gzip data ({error})") from None
            self._give(out)
            tail = self.gunzip.unconsumed_tail
            if not out and len(tail) >= len(data):
                return  # the end of the gzip stream: what follows is ignored
            data = tail

    def _give(self, data: bytes) -> None:
        if data and not self.sink(data):
            raise Stopped()


def request_bytes(
    method: str, url: SplitResult, headers: dict[str, str], *, absolute: bool = False
) -> bytes:
    """A request's bytes; `absolute`: its target is the whole URL (to an HTTP proxy)."""
    netloc = url.netloc.rpartition("@")[2]
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    if absolute:
        target = f"{url.scheme}://{netloc}{target}"
    lines = [f"{method} {target} HTTP/1.1", f"Host: {netloc}"]
    basic = url.username is not None  # as tornado's client did: user info in the URL is Basic auth
    lines += [
        f"{name}: {value}"
        for name, value in headers.items()
        if not (basic and name.lower() == "authorization")
    ]
    lines.append("Accept-Encoding: gzip")
    lines.append("User-Agent: glue-sessions")
    if basic:
        lines.append("Authorization: " + basic_auth(url.username, url.password))
    return _lines(lines)


def connect_bytes(host: str, port: int, proxy: SplitResult) -> bytes:
    """A CONNECT request to a proxy for a tunnel to host:port."""
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if proxy.username is not None:
        lines.append("Proxy-Authorization: " + basic_auth(proxy.username, proxy.password))
    return _lines(lines)


def basic_auth(username: str | None, password: str | None) -> str:
    userpass = f"{unquote(username or '')}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(userpass).decode()


def _lines(lines: list[str]) -> bytes:
    text = "\r\n".join(lines) + "\r\n\r\n"
    if text.count("\n") != len(lines) + 1 or text.count("\r") != len(lines) + 1:
        raise ValueError("line break in the URL or a header")  # no header injection
    return text.encode()
