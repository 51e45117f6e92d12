"""Hostile and broken answers, byte for byte, from a raw socket server: each ends as a typed
FetchError within the request timeout, logs no traceback, and the next valid answer on the
same JsonFetcher comes through.

A case is a row of CASES: the answer's bytes (or what the peer does), and the error kind the
panel then shows (None: the answer is valid). Add a row to add a case.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import time
import zlib
from dataclasses import dataclass

import pytest

from glue_sessions.client import http
from glue_sessions.client.http import FetchError, JsonFetcher

REQUEST_TIMEOUT = 1.0
BODY_LIMIT = 1_000_000
VALID = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"ok": true}'
)


def gzip_bomb() -> bytes:
    """About 100 KB of gzip that inflates to 100 MB of zeros (100x the body limit)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    packed = b"".join(packer.compress(zeros) for _ in range(100)) + packer.flush()
    return (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(packed)}\r\n\r\n".encode()
        + packed
    )


def chunked(body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        + extra
        + b"\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )


@dataclass
class Case:
    answer: bytes = b""
    kind: str | None = None  # None: a valid answer
    close: bool = False  # the peer closes after the answer
    drip: float = 0.0  # seconds between the answer's bytes
    silent: bool = False  # the peer never answers
    reused: bool | None = None  # whether the connection may serve the next request


CASES = {
    # The defects issue 24 found in the hand-written parser.
    "status with a Unicode digit": Case(
        b"HTTP/1.1 2\xc2\xb20 OK\r\nContent-Length: 2\r\n\r\n{}", "malformed"
    ),
    "length with a Unicode digit": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: \xc2\xb2\r\n\r\n{}", "malformed"
    ),
    "length with a superscript in latin-1": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\n{}", "malformed"
    ),
    "both Transfer-Encoding and Content-Length": Case(
        chunked(b"{}", b"Content-Length: 2\r\n"), "malformed"
    ),
    "Connection: keep-alive, close": Case(
        b"HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\n{}",
        None,
        reused=False,
    ),
    # Framing.
    "chunk size not hex": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "malformed"
    ),
    "chunk size with a 0x": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n", "malformed"
    ),
    "chunk size overflowing 64 bits": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n{}", "malformed"
    ),
    "chunk longer than its size": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n", "malformed"
    ),
    "chunked answer cut short": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", "malformed", close=True
    ),
    "two different lengths": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{} ", "malformed"
    ),
    "the same length twice": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", "malformed"
    ),
    "chunked not the last coding, then close": Case(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n{}", "malformed", close=True
    ),
    "a folded header line": Case(
        b"HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\n{}", "malformed"
    ),
    "negative length": Case(b"HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}", "malformed"),
    "length shorter than the body": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}GARBAGE", None, reused=False
    ),
    "length longer than the body, then close": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", "malformed", close=True
    ),
    "length longer than the body, kept open": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", "timeout"
    ),
    "length over the body limit": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\n{}", "too-large"
    ),
    "length over 64 bits": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999999999\r\n\r\n{}", "malformed"
    ),
    "body to the close": Case(b"HTTP/1.1 200 OK\r\n\r\n{}", None, close=True, reused=False),
    "interim 100 Continue, then the answer": Case(b"HTTP/1.1 100 Continue\r\n\r\n" + VALID, None),
    "101 Switching Protocols": Case(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        "malformed",
    ),
    # Not HTTP, or broken HTTP.
    "garbage": Case(b"\x00\xff\xfegarbage\r\n\r\n", "malformed"),
    "garbage, then close": Case(b"SSH-2.0-OpenSSH_9.6\r\n", "malformed", close=True),
    "HTTP/2 preface": Case(b"HTTP/2 200\r\ncontent-length: 2\r\n\r\n{}", "malformed"),
    "HTTP/1.1 without a status code": Case(
        b"HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\n{}", "malformed"
    ),
    "NUL in a header value": Case(
        b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 2\r\n\r\n{}", "malformed"
    ),
    "space before a header's colon": Case(
        b"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}", "malformed"
    ),
    "header section too large": Case(
        b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 200_000 + b"\r\nContent-Length: 2\r\n\r\n{}",
        "malformed",
    ),
    "many headers": Case(
        b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 20_000 + b"Content-Length: 2\r\n\r\n{}",
        "malformed",
    ),
    "closed before any answer": Case(b"", "unreachable", close=True),
    # Bodies.
    "gzip bomb": Case(gzip_bomb(), "too-large"),
    "gzip that is not gzip": Case(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 8\r\n\r\nnot gzip",
        "malformed",
    ),
    "gzip, valid": Case(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 22\r\n\r\n"
        + gzip.compress(b"{}", mtime=0),
        None,
    ),
    "invalid JSON": Case(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{nope", "malformed"),
    "JSON not in UTF-8": Case(
        b'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"\xff\xfe"', "malformed"
    ),
    "an error page": Case(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad", "http"),
    # Peers that take their time.
    "drips a byte at a time": Case(VALID, "timeout", drip=0.2),
    "never answers": Case(silent=True, kind="timeout"),
}


class RawServer:
    """Answers a request for /case/<name> with the case's bytes, and /valid with VALID."""

    def __init__(self) -> None:
        self.connections = 0
        self.handlers: set[asyncio.Task] = set()
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for task in self.handlers:
            task.cancel()
        await asyncio.gather(*self.handlers, return_exceptions=True)
        await self.server.wait_closed()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode()
                if target == "/valid":
                    writer.write(VALID)
                    continue
                case = list(CASES.values())[int(target.rpartition("/")[2])]
                if case.silent:
                    await asyncio.sleep(3600)
                if case.drip:
                    for i in range(len(case.answer)):
                        writer.write(case.answer[i : i + 1])
                        await asyncio.sleep(case.drip)
                else:
                    writer.write(case.answer)
                if case.close:
                    await writer.drain()
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self.handlers.discard(task)


@pytest.fixture
def raw_server(jp_asyncio_loop):
    server = RawServer()
    jp_asyncio_loop.run_until_complete(server.start())
    yield server
    jp_asyncio_loop.run_until_complete(server.stop())


def no_traceback(records: list[logging.LogRecord]) -> None:
    for record in records:
        assert record.exc_info is None, record.getMessage()
        assert record.levelno < logging.ERROR, record.getMessage()
        assert "Traceback" not in record.getMessage()


@pytest.mark.parametrize("name", list(CASES))
async def test_hostile_answer_ends_typed_and_the_next_one_recovers(raw_server, caplog, name):
    case = CASES[name]
    caplog.set_level(logging.DEBUG)
    fetcher = JsonFetcher(
        max_concurrency=1, request_timeout=REQUEST_TIMEOUT, max_body_bytes=BODY_LIMIT
    )
    base = f"http://127.0.0.1:{raw_server.port}"
    url = f"{base}/case/{list(CASES).index(name)}"
    try:
        assert await fetcher.get_json(f"{base}/valid") == {"ok": True}  # a kept connection
        started = time.monotonic()
        if case.kind is None:
            await fetcher.get_json(url)
        else:
            with pytest.raises(FetchError) as error:
                await fetcher.get_json(url)
            assert error.value.kind == case.kind, error.value.message
        assert time.monotonic() - started < REQUEST_TIMEOUT + 0.5
        before = raw_server.connections
        assert await fetcher.get_json(f"{base}/valid") == {"ok": True}
        if case.reused is not None:
            assert (raw_server.connections == before) is case.reused
        await asyncio.sleep(0)  # what the loop would log about a transport
        no_traceback(caplog.records)
    finally:
        fetcher.close()


async def test_a_kept_connection_serves_many_answers(raw_server):
    fetcher = JsonFetcher(max_concurrency=1)
    try:
        for _ in range(20):
            assert await fetcher.get_json(f"http://127.0.0.1:{raw_server.port}/valid") == {
                "ok": True
            }
        assert raw_server.connections == 1
    finally:
        fetcher.close()


def test_error_kinds_are_the_snapshots():
    kinds = {case.kind for case in CASES.values()} - {None}
    assert kinds <= {http.MALFORMED, http.TOO_LARGE, http.TIMEOUT, http.UNREACHABLE, http.HTTP}
