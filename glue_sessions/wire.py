"""One HTTP/1.1 connection on an asyncio transport: the request bytes, and the answer parsed as
its bytes arrive.

This module owns the wire: one request/answer exchange at a time on a connection, the
request's deadline, answers with a Content-Length, chunked or read to the close, interim 1xx
answers, gzip (decompressed piece by piece, so a bomb is stopped at the size limit), and the
body handed to a sink as it comes, never held here; no header injection from a URL or header.
`glue_sessions.pool` owns the connections themselves.

Why not tornado's HTTP1Connection on an IOStream: a keep-alive pool on it cost 2-2.5x the CPU
per request of this protocol (bench/client_cost.py), more than a naive tab's http.client; the
answers read here are JSON, and the parser below is all they need.
"""

from __future__ import annotations

import asyncio
import base64
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult

ChunkSink = Callable[[bytes], bool]  # takes a piece of the (decompressed) body; False: stop
_MAX_HEAD = 65536
_PIECE = 65536  # most decompressed bytes produced per step: a gzip bomb is stopped early
READ_BYTES = 262144  # bytes read from the socket at once (asyncio's own size for a plain protocol)


class Timeout(Exception):
    """No connection, or no whole answer, within the time allowed."""


class Closed(Exception):
    """The connection ended before the end of the answer."""

    def __init__(self, message: str, received: bool):
        super().__init__(message)
        self.received = received


class BadAnswer(Exception):
    """What came back is not valid HTTP/1.x (or its gzip is broken)."""


class Stopped(Exception):
    """The sink refused the body (too large): the connection was dropped."""


class Answer:
    __slots__ = ("code", "headers", "reason")

    def __init__(self, code: int, reason: str, headers: dict[str, str]):
        self.code, self.reason, self.headers = code, reason, headers


class Connection(asyncio.BufferedProtocol):
    """One connection, one exchange at a time; parses the answer as its bytes arrive.

    A buffered protocol: the transport reads into `read_buffer` (one per pool: the callbacks of
    one loop never overlap), not into a new 256 KiB bytes object per read as a plain
    protocol's transport does (with glibc, an mmap, mremap and munmap for every answer)."""

    def __init__(self, max_length: int, read_buffer: memoryview | None = None):
        self.max_length = max_length  # largest Content-Length accepted
        self.read_buffer = memoryview(bytearray(READ_BYTES)) if read_buffer is None else read_buffer
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = False
        self.future: asyncio.Future[Answer] | None = None
        self.sink: ChunkSink = bool
        self.head_only = self.received = False
        self.buffer = bytearray()
        self.state, self.remaining = "idle", 0
        self.answer: Answer | None = None
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
        self.buffer += data
        try:
            self._advance()
        except (BadAnswer, Stopped) as error:
            self._fail(error)

    def eof_received(self) -> bool:
        return False  # close

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self.future is None or self.future.done():
            return
        if self.state == "close" and self.answer is not None:  # the end of the body is the close
            try:
                self._finish()
            except (BadAnswer, Stopped) as error:
                self._fail(error)
            return
        what = "before any answer" if not self.received else "before the end of the answer"
        reason = f" ({exc})" if exc else ""
        self._fail(Closed(f"connection closed {what}{reason}", self.received))

    # -- one exchange
    def exchange(
        self,
        request: bytes,
        head_only: bool,
        sink: ChunkSink,
        deadline: float,
        timeout: float,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> asyncio.Future[Answer]:
        loop = loop or asyncio.get_running_loop()
        self.future = loop.create_future()
        self.sink, self.head_only, self.reusable, self.received = sink, head_only, False, False
        self.buffer = bytearray()
        self.state, self.remaining, self.answer, self.gunzip = "head", 0, None, None
        assert self.transport is not None
        if self.closed or self.transport.is_closing():  # closed since the pool looked
            self.future.set_exception(Closed("connection closed before any answer", False))
            return self.future
        self.timer = loop.call_at(deadline, self._expire, timeout)
        self.transport.write(request)
        return self.future

    @property
    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

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
        self.reusable = self.reusable and not self.buffer and not self.closed
        assert self.future is not None and self.answer is not None
        if not self.future.done():
            self.future.set_result(self.answer)

    def _advance(self) -> None:
        buffer = self.buffer
        while True:
            if self.state == "head":
                end, skip = buffer.find(b"\r\n\r\n"), 4
                if end < 0:
                    end, skip = buffer.find(b"\n\n"), 2  # bare line feeds (tolerated)
                if end < 0:
                    if len(buffer) > _MAX_HEAD:
                        raise BadAnswer("answer headers too long")
                    return
                head = bytes(buffer[:end])
                del buffer[: end + skip]
                self._head(head)
            elif self.state == "fixed":
                if not self._take_remaining(buffer):
                    return
                self.state = "done"
            elif self.state == "close":
                if buffer:
                    self._deliver(bytes(buffer))
                    del buffer[:]
                return
            elif self.state in ("size", "trailer"):
                end = buffer.find(b"\n")
                if end < 0:
                    if len(buffer) > 1024:
                        raise BadAnswer("bad chunk header")
                    return
                line = bytes(buffer[:end]).strip()
                del buffer[: end + 1]
                if self.state == "trailer":
                    self.state = "trailer" if line else "done"
                    continue
                size = line.split(b";")[0].strip()
                if not size or len(size) > 15 or size.strip(b"0123456789abcdefABCDEF"):
                    raise BadAnswer("bad chunk size")
                self.remaining = int(size, 16)
                self.state = "chunk" if self.remaining else "trailer"
            elif self.state == "chunk":
                if not self._take_remaining(buffer):
                    return
                self.state = "size-end"
            elif self.state == "size-end":  # the CRLF after a chunk's data
                if buffer[:1] == b"\n":
                    del buffer[:1]
                elif buffer[:2] == b"\r\n":
                    del buffer[:2]
                elif len(buffer) < 2:
                    return
                else:
                    raise BadAnswer("bad chunk end")
                self.state = "size"
            if self.state == "done":
                self._finish()
                return

    def _head(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\n")
        version, _, status = lines[0].rstrip("\r").partition(" ")
        code, _, reason = status.partition(" ")
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise BadAnswer("the answer is not HTTP/1.x")
        headers: dict[str, str] = {}
        name = ""
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and name:  # an obsolete folded line
                headers[name] += " " + line.strip()
                continue
            name, colon, value = line.partition(":")
            if not colon:
                raise BadAnswer("bad answer header line")
            name, value = name.strip().lower(), value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        status_code = int(code)
        if 100 <= status_code < 200 and status_code != 101:
            return  # an interim answer (100 Continue): the real one follows
        self.answer = Answer(status_code, reason.strip(), headers)
        wanted = headers.get("connection", "").lower()
        self.reusable = wanted != "close" if version == "HTTP/1.1" else wanted == "keep-alive"
        if headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
            self.gunzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
        length = headers.get("content-length")
        if self.head_only or status_code in (101, 204, 304):
            self.state = "done"
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            self.state = "size"
        elif length is not None:
            lengths = {part.strip() for part in length.split(",")}
            if len(lengths) != 1 or not length.split(",")[0].strip().isdigit():
                raise BadAnswer("bad Content-Length")
            self.remaining = int(lengths.pop())
            if self.remaining > self.max_length:
                raise Stopped()
            self.state = "fixed" if self.remaining else "done"
        else:
            self.state, self.reusable = "close", False

    def _take_remaining(self, buffer: bytearray) -> bool:
        """Delivers what the buffer holds of the `remaining` bytes (a Content-Length body or a
        chunk); True once they have all come."""
        piece = bytes(buffer[: self.remaining])
        del buffer[: len(piece)]
        self.remaining -= len(piece)
        if piece:
            self._deliver(piece)
        return not self.remaining

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


def request_bytes(method: str, url: SplitResult, headers: dict[str, str]) -> bytes:
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {url.netloc.rpartition('@')[2]}"]
    basic = url.username is not None  # as tornado's client did: user info in the URL is Basic auth
    lines += [
        f"{name}: {value}"
        for name, value in headers.items()
        if not (basic and name.lower() == "authorization")
    ]
    lines.append("Accept-Encoding: gzip")
    lines.append("User-Agent: glue-sessions")
    if basic:
        userpass = f"{url.username}:{url.password or ''}".encode()
        lines.append("Authorization: Basic " + base64.b64encode(userpass).decode())
    text = "\r\n".join(lines) + "\r\n\r\n"
    if text.count("\n") != len(lines) + 1 or text.count("\r") != len(lines) + 1:
        raise ValueError("line break in the URL or a header")  # no header injection
    return text.encode()
