"""Asynchronous JSON fetching for the poller: timeouts, bounded concurrency, auth, typed errors.

Requests go through `glue_sessions.client.pool` (kept-alive connections on asyncio's transports),
so no request ever blocks the Jupyter event loop. This module owns what a request is
(headers, auth, the hosts allowed, the body size limit, JSON) and what a failure means:
`FetchError`s with a kind the snapshot can show; they never carry credentials (URLs are
reported without user info, headers are never reported).
Never: keeps a connection (`pool`), parses an answer beyond JSON (`parse`), or retries a
request that failed (the next cycle asks again).
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from collections.abc import Awaitable, Callable
from http.client import responses
from typing import Any
from urllib.parse import SplitResult, urlsplit

from ..snapshot import ErrorKind
from . import pool
from .urls import strip_credentials

# What a failed request was, in words a user can act on (the snapshot's error_kind).
UNREACHABLE: ErrorKind = "unreachable"
TIMEOUT: ErrorKind = "timeout"
AUTH: ErrorKind = "auth"
NOT_FOUND: ErrorKind = "not-found"
HTTP: ErrorKind = "http"
MALFORMED: ErrorKind = "malformed"
TOO_LARGE: ErrorKind = "too-large"
FORBIDDEN_HOST: ErrorKind = "forbidden-host"

HeaderProvider = Callable[[str], Awaitable[dict[str, str]]]

# The defaults of a JsonFetcher, and of the c.GlueSessions options that set them.
REQUEST_TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0
MAX_CONCURRENCY = 32
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_URLS = 8192  # URLs kept taken apart for the next cycle
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # as requests (sparkmagic) reads


def default_ca_bundle() -> str:
    """The CA bundle the environment names for requests (and so for sparkmagic), or ""."""
    return next((os.environ[name] for name in CA_BUNDLE_VARIABLES if os.environ.get(name)), "")


class FetchError(Exception):
    def __init__(self, kind: ErrorKind, message: str, status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


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


class JsonFetcher:
    """GET JSON with per-request timeouts and at most `max_concurrency` requests in flight."""

    def __init__(
        self,
        *,
        request_timeout: float = REQUEST_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        validate_cert: bool = True,
        check_hostname: bool = True,
        ca_bundle: str | None = None,
        client_cert: str = "",
        client_key: str = "",
        use_proxy_env: bool = True,
        max_concurrency: int = MAX_CONCURRENCY,
        max_body_bytes: int = MAX_BODY_BYTES,
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
        # ca_bundle None or "": the environment's (REQUESTS_CA_BUNDLE), else the system store.
        # Unusable TLS files fail every HTTPS request (and say why), not the server's start.
        self.tls_error = ""
        try:
            tls: ssl.SSLContext | None = pool.tls_context(
                validate_cert=validate_cert,
                check_hostname=check_hostname,
                ca_bundle=ca_bundle or default_ca_bundle(),
                client_cert=client_cert,
                client_key=client_key,
            )
        except (OSError, ssl.SSLError) as error:
            tls, self.tls_error = None, f"unusable TLS settings ({error})"
        # Connections kept alive per host: at most max_concurrency busy (the semaphore), and as
        # many idle per host, so that each wave of requests finds its connections open.
        self._pool = pool.ConnectionPool(
            tls=tls,
            proxies=pool.Proxies(use_environment=use_proxy_env),
            max_idle_per_host=max_concurrency,
            max_idle_total=4 * max_concurrency,
            max_body_bytes=max_body_bytes,
        )
        self.requests_sent = 0
        self._urls: dict[str, tuple[str, SplitResult, str]] = {}

    @property
    def connections_opened(self) -> int:
        return self._pool.connections_opened

    def close(self) -> None:
        self._pool.close()

    async def get_json(self, url: str, *, authenticate: bool = True) -> Any:
        return self.decode(url, await self.request_body("GET", url, authenticate=authenticate))

    async def get_body(self, url: str, *, authenticate: bool = True) -> bytes:
        """The bytes of a GET's answer, to `decode` (a caller may skip that for an answer it
        has seen before)."""
        return await self.request_body("GET", url, authenticate=authenticate)

    async def request_json(self, method: str, url: str, *, authenticate: bool = True) -> Any:
        return self.decode(url, await self.request_body(method, url, authenticate=authenticate))

    def decode(self, url: str, body: bytes) -> Any:
        """The JSON of an answer of `url` (None when it is empty)."""
        if not body or body.isspace():
            return None
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            shown = strip_credentials(url)
            raise FetchError(MALFORMED, f"{shown}: not valid JSON ({error})") from None

    async def request_body(self, method: str, url: str, *, authenticate: bool = True) -> bytes:
        """The bytes of a 2xx answer, or a FetchError."""
        # The same URLs come back every cycle: taken apart once (forgotten all at once when
        # there are too many).
        known = self._urls.get(url)
        if known is None:
            if len(self._urls) >= MAX_URLS:
                self._urls.clear()
            parts = urlsplit(url)  # what the pool connects to and asks for
            host = (parts.hostname or "").lower()
            known = self._urls[url] = (strip_credentials(url), parts, host)
        shown, parts, host = known
        policy = self.host_policy
        if policy is not None and not (
            policy._verdicts.get(host) or await policy.allows(host)  # known hosts: no await
        ):
            raise FetchError(
                FORBIDDEN_HOST,
                f"not following {shown}: host {host!r} is not an allowed endpoint host "
                "(add it to GlueSessions.allowed_hosts)",
            )
        if parts.scheme not in ("http", "https"):
            raise FetchError(HTTP, f"{shown}: not an http(s) URL")
        if self.tls_error and parts.scheme == "https":
            raise FetchError(UNREACHABLE, f"{shown}: {self.tls_error}")
        headers = {"Accept": "application/json"}
        if method != "GET":
            # Livy's CSRF protection wants this header on changes (sparkmagic sends it too).
            headers["X-Requested-By"] = "glue-sessions"
        if authenticate and self.auth_headers is not no_auth_headers:
            headers.update(await self.auth_headers(url))
        chunks: list[bytes] = []
        received = 0
        limit = self.max_body_bytes

        def collect(chunk: bytes) -> bool:
            # False makes the pool drop the connection: the body is never held whole.
            nonlocal received
            received += len(chunk)
            if received > limit:
                return False
            chunks.append(chunk)
            return True

        async with self._semaphore:
            self.requests_sent += 1
            try:
                answer = await self._pool.request(
                    method,
                    parts,
                    headers,
                    collect,
                    connect_timeout=self.connect_timeout,
                    request_timeout=self.request_timeout,
                )
            except pool.Stopped:
                raise FetchError(
                    TOO_LARGE, f"{shown}: answer larger than {limit} bytes, not read"
                ) from None
            except Exception as error:
                raise _fetch_error(error, shown) from None
        if not 200 <= answer.code < 300:
            raise _status_error(answer.code, answer.reason, shown)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _fetch_error(error: Exception, shown: str) -> FetchError:
    if isinstance(error, pool.Timeout):
        return FetchError(TIMEOUT, f"{shown}: {error}")
    if isinstance(error, pool.Closed) and error.received and error.cut:
        return FetchError(MALFORMED, f"{shown}: {error} (shorter than announced)")
    if isinstance(error, (pool.Closed, OSError)):
        return FetchError(UNREACHABLE, f"{shown}: {error}")
    if isinstance(error, pool.BadAnswer):
        return FetchError(MALFORMED, f"{shown}: {error}")
    if isinstance(error, ValueError):
        return FetchError(HTTP, f"{shown}: {error}")
    return FetchError(HTTP, f"{shown}: {type(error).__name__}: {error}")


def _status_error(code: int, reason: str, shown: str) -> FetchError:
    reason = reason or responses.get(code, "Unknown")
    if code in (401, 403):
        return FetchError(AUTH, f"{shown}: HTTP {code} {reason}", code)
    if code == 404:
        return FetchError(NOT_FOUND, f"{shown}: HTTP 404 Not Found", code)
    if code in (301, 302, 303, 307, 308):
        return FetchError(HTTP, f"{shown}: HTTP {code} redirect not followed", code)
    return FetchError(HTTP, f"{shown}: HTTP {code} {reason}", code)
