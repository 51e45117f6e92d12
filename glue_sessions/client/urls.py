"""URL helpers: the one place that takes a URL apart.

Owns: removing credentials from a URL before it is shown, logged or stored, the host of a URL
(lower case, for the allowed-hosts and credentials checks), the canonical form of a Livy URL
(to match a kernel's record to the poller's endpoint), the credentials written into a URL,
and a URL on another port of a URL's host.
Never: does I/O, resolves names, or decides which hosts are allowed (`http.HostPolicy` does).
Standard library only: the kernel hook imports it inside every sparkmagic kernel.
"""

from __future__ import annotations

from typing import overload
from urllib.parse import unquote, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


@overload
def strip_credentials(url: str) -> str: ...
@overload
def strip_credentials(url: None) -> None: ...
def strip_credentials(url: str | None) -> str | None:
    """The URL without ``user:password@``, safe to show and log; everything else is kept."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    """The URL's host name in lower case, without brackets; "" when it has none."""
    return (urlsplit(url).hostname or "").lower()


def credentials_of(url: str) -> tuple[str, str] | None:
    """The ``user:password`` written into the URL (unquoted), or None when it has none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.username:
        return None
    return unquote(parts.username), unquote(parts.password or "")


def _netloc(host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host  # IPv6 literal
    return host if port is None else f"{host}:{port}"


def on_host_of(url: str, port: int, scheme: str = "http") -> str | None:
    """``scheme://<the URL's host>:port``, or None when the URL has no host."""
    host = host_of(url)
    return f"{scheme}://{_netloc(host, port)}" if host else None


def normalize_livy_url(url: str | None) -> str:
    """Canonical form of a Livy URL for comparisons.

    Credentials removed, scheme and host lower-cased, default port (80/443) dropped,
    trailing slashes removed. ``localhost`` and ``127.0.0.1`` stay distinct.
    """
    if not url:
        return ""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url.rstrip("/").lower()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = _netloc(host, None if _DEFAULT_PORTS.get(scheme) == port else port)
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))
