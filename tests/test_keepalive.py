"""JsonFetcher keeps connections alive, and behaves as a new connection per request did.

Reuse (connections counted on the server side), recovery when kept connections die (server
idle timeout, a dead connection the pool cannot see, a server process restarted on the same
port), timeouts, the body size limit, chunked and gzip answers, TLS verification, the
concurrency bound, redaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import gzip
import json
import socket
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from emulator.loopback import free_port
from glue_sessions.client import http, wire
from glue_sessions.client.http import FetchError, JsonFetcher


class CountingServer(HTTPServer):
    def initialize(self, *args, **kwargs) -> None:  # type: ignore[override]
        super().initialize(*args, **kwargs)
        self.connections = 0

    def handle_stream(self, stream, address):
        self.connections += 1
        return super().handle_stream(stream, address)


class State:
    def __init__(self):
        self.in_flight = self.most_in_flight = 0
        self.headers: list[dict] = []


class Json(tornado.web.RequestHandler):
    async def get(self, what: str) -> None:
        state = self.settings["state"]
        state.headers.append(dict(self.request.headers))
        state.in_flight += 1
        state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            if what == "slow":
                await asyncio.sleep(float(self.get_argument("s", "0.05")))
            body = json.dumps({"what": what, "pad": "x" * int(self.get_argument("pad", "0"))})
            if what == "chunked":  # no Content-Length: chunked transfer encoding
                for piece in (body[: len(body) // 2], body[len(body) // 2 :]):
                    self.write(piece)
                    await self.flush()
            elif what == "gzip":  # gzip over chunked, as Jetty sends it
                packed = gzip.compress(body.encode())
                self.set_header("Content-Encoding", "gzip")
                self.write(packed[:10])
                await self.flush()
                self.write(packed[10:])
            else:
                self.write(body)
        finally:
            state.in_flight -= 1

    def delete(self, what: str) -> None:
        self.settings["state"].headers.append(dict(self.request.headers))
        self.write("{}")


async def serve(port: int = 0, ssl_options=None, **server_options) -> CountingServer:
    state = State()
    app = tornado.web.Application([(r"/(\w+)", Json)], state=state)
    server = CountingServer(app, ssl_options=ssl_options, **server_options)
    sockets = bind_sockets(port, "127.0.0.1")
    server.add_sockets(sockets)
    server.state = state
    server.port = sockets[0].getsockname()[1]
    return server


async def stop(server) -> None:
    server.stop()
    await server.close_all_connections()


@contextlib.asynccontextmanager
async def served(
    server_options: dict | None = None, **fetcher_options
) -> AsyncIterator[tuple[JsonFetcher, str, CountingServer]]:
    """A fetcher with these options, the base URL of a server from serve() (with
    server_options) and that server, both closed afterwards."""
    server = await serve(**(server_options or {}))
    fetcher = JsonFetcher(**fetcher_options)
    try:
        yield fetcher, f"http://127.0.0.1:{server.port}", server
    finally:
        fetcher.close()
        await stop(server)


async def test_connections_are_reused_across_many_requests():
    async with served(max_concurrency=4) as (fetcher, base, server):
        for _ in range(3):
            answers = await asyncio.gather(*[fetcher.get_json(f"{base}/slow") for _ in range(40)])
            assert answers == [{"what": "slow", "pad": ""}] * 40
        assert server.state.most_in_flight <= 4
        assert server.connections <= 4 and fetcher.connections_opened == server.connections
        for _ in range(50):
            await fetcher.get_json(f"{base}/plain")
        assert server.connections <= 4


async def test_chunked_and_gzip_answers_on_a_kept_connection():
    async with served(max_concurrency=1) as (fetcher, base, server):
        for what in ("chunked", "gzip", "plain", "gzip", "chunked"):
            assert await fetcher.get_json(f"{base}/{what}?pad=5000") == {
                "what": what,
                "pad": "x" * 5000,
            }
        assert server.connections == 1
        assert "gzip" in server.state.headers[0]["Accept-Encoding"]


async def test_connections_the_server_closed_while_idle_are_replaced():
    async with served({"idle_connection_timeout": 0.1}, max_concurrency=2) as (
        fetcher,
        base,
        server,
    ):
        url = f"{base}/plain"
        await asyncio.gather(fetcher.get_json(url), fetcher.get_json(url))
        await asyncio.sleep(0.3)  # the server has closed both
        assert await fetcher.get_json(url) == {"what": "plain", "pad": ""}
        assert server.connections == 3


async def test_a_get_on_a_dead_kept_connection_is_retried_once(monkeypatch):
    async with served(max_concurrency=1) as (fetcher, base, server):
        url = f"{base}/plain"
        await fetcher.get_json(url)
        # The server drops the connection, and the pool does not notice before using it
        # (the race of a server's idle timeout against our next request).
        monkeypatch.setattr(wire.Connection, "usable", property(lambda self: True))
        await server.close_all_connections()
        assert await fetcher.get_json(url) == {"what": "plain", "pad": ""}
        assert fetcher.connections_opened == 2 and fetcher.requests_sent == 2

        # Not safe to send twice: a DELETE on a dead connection fails, the next request works.
        await server.close_all_connections()
        with pytest.raises(FetchError) as error:
            await fetcher.request_json("DELETE", url)
        assert error.value.kind == http.UNREACHABLE
        assert "connection closed before any answer" in error.value.message
        assert await fetcher.request_json("DELETE", url) == {}
        assert server.state.headers[-1]["X-Requested-By"] == "glue-sessions"
        assert "X-Requested-By" not in server.state.headers[0]


async def start_emulator_process(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port)],
        cwd=Path(__file__).resolve().parents[1],  # the emulator lives in the checkout's root
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = await asyncio.get_running_loop().run_in_executor(None, process.stdout.readline)
    assert "endpoint emulator" in line, line
    return process


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


async def test_recovers_after_the_server_process_restarts_on_the_same_port():
    port = free_port()
    url = f"http://127.0.0.1:{port}/sessions"
    fetcher = JsonFetcher(max_concurrency=4, connect_timeout=2, request_timeout=5)
    process = await start_emulator_process(port)
    try:
        await asyncio.gather(*[fetcher.get_json(url) for _ in range(8)])
        kept = fetcher.connections_opened
        stop_process(process)
        with pytest.raises(FetchError) as error:
            await fetcher.get_json(url)
        assert error.value.kind == http.UNREACHABLE
        process = await start_emulator_process(port)
        answers = await asyncio.gather(*[fetcher.get_json(url) for _ in range(8)])
        assert all(len(a["sessions"]) == 3 for a in answers)
        assert fetcher.connections_opened > kept
    finally:
        fetcher.close()
        stop_process(process)


async def test_request_timeout_then_the_next_request_works():
    async with served(max_concurrency=1, request_timeout=0.3) as (fetcher, base, _):
        with pytest.raises(FetchError) as error:
            await fetcher.get_json(f"{base}/slow?s=2")
        assert error.value.kind == http.TIMEOUT and "0.3 s" in error.value.message
        assert await fetcher.get_json(f"{base}/plain") == {"what": "plain", "pad": ""}


async def test_connect_timeout_on_a_tls_handshake_that_never_answers():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # the kernel accepts the connection; nobody speaks TLS
    port = listener.getsockname()[1]
    fetcher = JsonFetcher(connect_timeout=0.3, request_timeout=5)
    try:
        with pytest.raises(FetchError) as error:
            await fetcher.get_json(f"https://user:secret@127.0.0.1:{port}/x")
        assert error.value.kind == http.TIMEOUT
        assert "no connection within 0.3 s" in error.value.message
        assert "secret" not in error.value.message
    finally:
        fetcher.close()
        listener.close()


@pytest.mark.parametrize("what", ["plain", "chunked", "gzip"])
async def test_answers_over_the_limit_are_refused_and_the_next_one_works(what):
    async with served(max_concurrency=1, max_body_bytes=20_000) as (fetcher, base, _):
        with pytest.raises(FetchError) as error:
            await fetcher.get_json(f"{base}/{what}?pad=200000")
        assert error.value.kind == http.TOO_LARGE
        assert await fetcher.get_json(f"{base}/{what}?pad=100") == {"what": what, "pad": "x" * 100}


def self_signed(tmp_path):
    crypto = pytest.importorskip("cryptography")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


async def test_tls_certificates_are_verified_unless_told_not_to(tmp_path):
    server = await serve(ssl_options=self_signed(tmp_path))
    url = f"https://127.0.0.1:{server.port}/plain"
    strict, lax = JsonFetcher(), JsonFetcher(validate_cert=False, max_concurrency=1)
    try:
        with pytest.raises(FetchError) as error:
            await strict.get_json(url)
        assert error.value.kind == http.UNREACHABLE
        assert "CERTIFICATE_VERIFY_FAILED" in error.value.message
        for _ in range(5):
            assert await lax.get_json(url) == {"what": "plain", "pad": ""}
        assert lax.connections_opened == 1
    finally:
        strict.close()
        lax.close()
        await stop(server)


async def test_errors_never_show_credentials():
    port = free_port()
    fetcher = JsonFetcher()
    with pytest.raises(FetchError) as error:
        await fetcher.get_json(f"http://alice:hunter2@127.0.0.1:{port}/sessions")
    assert error.value.kind == http.UNREACHABLE
    assert "hunter2" not in error.value.message and "alice" not in error.value.message
    fetcher.close()
