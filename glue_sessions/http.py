"""Asynchronous JSON fetching for the poller: timeouts, bounded concurrency, auth, typed errors.

Everything goes through tornado's AsyncHTTPClient, so no request ever blocks the Jupyter event
loop. Failures become `FetchError`s with a kind the snapshot can show; they never carry
credentials (URLs are reported without user info, headers are never reported).
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.netutil import DefaultLoopResolver, Resolver

# What a failed request was, in words a user can act on.
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
AUTH = "auth"
NOT_FOUND = "not-found"
HTTP = "http"
MALFORMED = "malformed"
TOO_LARGE = "too-large"
FORBIDDEN_HOST = "forbidden-host"

HeaderProvider = Callable[[str], Awaitable[dict[str, str]]]


class FetchError(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


def redact_url(url: str) -> str:
    """The URL without user:password@, safe to show and log."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower()


async def no_auth_headers(url: str) -> dict[str, str]:
    return {}


class HostPolicy:
    """The hosts the poller may fetch from: the configured endpoint's, and their aliases.

    Livy reports Spark UI URLs that we follow; a URL on any other host is refused, unless that
    host resolves to an address of a configured host (a Glue endpoint is reached by IP while
    YARN names itself by its DNS name) or is listed in GlueSessions.allowed_hosts.
    """

    def __init__(self, hosts: set[str]):
        self.hosts = {h.lower() for h in hosts if h}
        self._addresses: set[str] | None = None
        self._verdicts: dict[str, bool] = {h: True for h in self.hosts}

    async def allows(self, host: str) -> bool:
        host = host.lower()
        if host in self._verdicts:
            return self._verdicts[host]
        if self._addresses is None:
            self._addresses = set()
            for known in self.hosts:
                self._addresses |= await _addresses_of(known)
        verdict = bool(await _addresses_of(host) & self._addresses)
        self._verdicts[host] = verdict
        return verdict


async def _addresses_of(host: str) -> set[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return set()
    return {str(info[4][0]) for info in infos}


class _TooLarge(Exception):
    pass


class CachingResolver(Resolver):
    """Resolves each host once per `ttl` seconds, not once per request.

    tornado's default resolver runs getaddrinfo in a thread for every request (even for an IP
    address): a thread hand-off per request, and a DNS query per request where nothing caches.
    """

    def initialize(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._resolver = DefaultLoopResolver()
        self._cache: dict[tuple, tuple[float, list]] = {}

    async def resolve(self, host: str, port: int, family: int = socket.AF_UNSPEC) -> list:
        key = (host, port, family)
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        addresses = await self._resolver.resolve(host, port, family)
        self._cache[key] = (now, addresses)
        return addresses


class JsonFetcher:
    """GET JSON with per-request timeouts and at most `max_concurrency` requests in flight."""

    def __init__(
        self,
        *,
        request_timeout: float = 10.0,
        connect_timeout: float = 5.0,
        validate_cert: bool = True,
        max_concurrency: int = 32,
        max_body_bytes: int = 64 * 1024 * 1024,
        auth_headers: HeaderProvider = no_auth_headers,
        host_policy: HostPolicy | None = None,
    ):
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.validate_cert = validate_cert
        self.max_body_bytes = max_body_bytes
        self.auth_headers = auth_headers
        self.host_policy = host_policy
        self._semaphore = asyncio.Semaphore(max_concurrency)
        # A client of our own: the shared one is limited to 10 connections for the whole server.
        # Bodies are streamed and counted (see request_json): tornado's own max_body_size would
        # only say "Connection closed".
        self._client = AsyncHTTPClient(
            force_instance=True, max_clients=max_concurrency, resolver=CachingResolver()
        )
        self.requests_sent = 0

    def close(self) -> None:
        self._client.close()

    async def get_json(self, url: str, *, authenticate: bool = True) -> Any:
        return await self.request_json("GET", url, authenticate=authenticate)

    async def request_json(self, method: str, url: str, *, authenticate: bool = True) -> Any:
        shown = redact_url(url)
        if self.host_policy is not None and not await self.host_policy.allows(host_of(url)):
            raise FetchError(
                FORBIDDEN_HOST,
                f"not following {shown}: host {host_of(url)!r} is not an allowed endpoint host "
                "(add it to GlueSessions.allowed_hosts)",
            )
        headers = {"Accept": "application/json"}
        if method != "GET":
            # Livy's CSRF protection wants this header on changes (sparkmagic sends it too).
            headers["X-Requested-By"] = "glue-sessions"
        if authenticate:
            headers.update(await self.auth_headers(url))
        chunks: list[bytes] = []
        received = 0

        def collect(chunk: bytes) -> None:
            # Raising here makes tornado drop the connection: the body is never held whole.
            nonlocal received
            received += len(chunk)
            if received > self.max_body_bytes:
                raise _TooLarge()
            chunks.append(chunk)

        request = HTTPRequest(
            url,
            method=method,
            streaming_callback=collect,
            headers=headers,
            request_timeout=self.request_timeout,
            connect_timeout=self.connect_timeout,
            validate_cert=self.validate_cert,
            follow_redirects=False,
        )
        async with self._semaphore:
            self.requests_sent += 1
            try:
                await self._client.fetch(request)
            except Exception as error:
                if received > self.max_body_bytes:  # tornado reports it as a closed connection
                    raise FetchError(
                        TOO_LARGE,
                        f"{shown}: answer larger than {self.max_body_bytes} bytes, not read",
                    ) from None
                raise _fetch_error(error, shown) from None
        body = b"".join(chunks)
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise FetchError(MALFORMED, f"{shown}: not valid JSON ({error})") from None


def _fetch_error(error: Exception, shown: str) -> FetchError:
    if isinstance(error, HTTPClientError):
        return _http_error(error, shown)
    if isinstance(error, (OSError, asyncio.TimeoutError)):
        return FetchError(UNREACHABLE, f"{shown}: {error}")
    # e.g. tornado's HTTPInputError on a broken response
    return FetchError(HTTP, f"{shown}: {type(error).__name__}: {error}")


def _http_error(error: HTTPClientError, shown: str) -> FetchError:
    code = error.code
    if code == 599:
        text = str(error.message or error)
        if "timeout" in text.lower():
            return FetchError(TIMEOUT, f"{shown}: no answer ({text})")
        return FetchError(UNREACHABLE, f"{shown}: {text}")
    if code in (401, 403):
        return FetchError(AUTH, f"{shown}: HTTP {code} {error.message}", code)
    if code == 404:
        return FetchError(NOT_FOUND, f"{shown}: HTTP 404 Not Found", code)
    if code in (301, 302, 303, 307, 308):
        return FetchError(HTTP, f"{shown}: HTTP {code} redirect not followed", code)
    return FetchError(HTTP, f"{shown}: HTTP {code} {error.message}", code)
