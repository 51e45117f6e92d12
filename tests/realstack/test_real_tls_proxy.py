"""The real Livy over HTTPS and through an HTTP proxy, both started here: a TLS-terminating
proxy in front of Livy with a certificate of a CA made in the test (verified with the CA,
refused without it, refused on a wrong host name, accepted with hostname checks off), and
the poller reaching Livy through HTTP_PROXY, and not through it for a host in NO_PROXY.

These tests only read (GET): they create and delete no session, so they can run beside
other work on the same endpoint (brought up only when it is down, its topology kept).
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from proxies import HttpProxy, TlsTerminator, fetch, refused
from stack import LIVY_URL, STATE, TOPOLOGIES, bring_up

from glue_sessions.client import http

LIVY = urlsplit(LIVY_URL)


@pytest.fixture(scope="module")
def livy_up():
    """The endpoint up (idempotent) in the topology it already runs (YARN when none): these
    tests need Livy only, so they never switch it under the other real-stack tests (whose
    session-wide endpoint fixture would not notice). Nothing deleted, nothing changed."""
    state = Path(os.environ.get("GLUE_DEVSTACK_DIR") or STATE) / "topology"
    topology = state.read_text().strip() if state.exists() else ""
    return bring_up(topology if topology in TOPOLOGIES else "yarn")


@pytest.fixture
def tls_livy(livy_up, ca, jp_asyncio_loop):
    """Livy behind HTTPS, with a certificate for "localhost" only."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    front = TlsTerminator(LIVY.hostname or "127.0.0.1", LIVY.port or 8998, context)
    jp_asyncio_loop.run_until_complete(front.start())
    yield front
    jp_asyncio_loop.run_until_complete(front.stop())


@pytest.fixture
def proxy(livy_up, jp_asyncio_loop):
    proxy = HttpProxy()
    jp_asyncio_loop.run_until_complete(proxy.start())
    yield proxy
    jp_asyncio_loop.run_until_complete(proxy.stop())


async def test_livy_over_tls_verified_with_the_ca(tls_livy, ca_file, no_proxy_env):
    answer = await fetch(f"https://localhost:{tls_livy.port}/sessions", ca_bundle=ca_file)
    assert isinstance(answer["sessions"], list)


async def test_livy_over_tls_refused_without_the_ca(tls_livy, no_proxy_env):
    error = await refused(f"https://localhost:{tls_livy.port}/sessions")
    assert error.kind == http.UNREACHABLE
    assert "CERTIFICATE_VERIFY_FAILED" in error.message


async def test_livy_over_tls_refused_on_a_wrong_hostname(tls_livy, ca_file, no_proxy_env):
    error = await refused(f"https://127.0.0.1:{tls_livy.port}/sessions", ca_bundle=ca_file)
    assert error.kind == http.UNREACHABLE
    assert "mismatch" in error.message  # the certificate names localhost, not 127.0.0.1


async def test_livy_over_tls_accepted_with_hostname_checks_off(tls_livy, ca_file, no_proxy_env):
    url = f"https://127.0.0.1:{tls_livy.port}/sessions"
    answer = await fetch(url, ca_bundle=ca_file, check_hostname=False)
    assert isinstance(answer["sessions"], list)


# The poller of a real Jupyter server, configured here instead of the realstack default
# (which deletes every Livy session before it starts).
@pytest.fixture
def route(request, no_proxy_env, livy_up, proxy, tls_livy, ca_file):
    """How the poller reaches Livy: "proxied" through HTTP_PROXY, "bypassed" with Livy's
    host in NO_PROXY, "tls" over HTTPS with the CA from REQUESTS_CA_BUNDLE."""
    options = {"livy_url": LIVY_URL}
    if request.param in ("proxied", "bypassed"):
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
    if request.param == "bypassed":
        no_proxy_env.setenv("NO_PROXY", f"localhost,{LIVY.hostname}")
    if request.param == "tls":
        no_proxy_env.setenv("REQUESTS_CA_BUNDLE", ca_file)
        options["livy_url"] = f"https://localhost:{tls_livy.port}"
    return request.param, options


@pytest.fixture
def glue_config(route):
    return {
        **route[1],
        "poll_interval": 5.0,
        "request_timeout": 10.0,
        "sparkmagic_config": "/nonexistent/config.json",
        # Never the realstack default's session cleanup; no YARN lookup needed here.
        "worker_type": "G.1X",
        "number_of_workers": 2,
    }


@pytest.mark.parametrize("route", ["proxied", "bypassed", "tls"], indirect=True)
async def test_the_poller_reaches_livy(poller, route, proxy):
    snapshot = await poller.poll_once()
    endpoint = snapshot["endpoint"]
    assert endpoint["reachable"] is True, endpoint
    livy_calls = [target for _, target in proxy.seen if target.startswith(f"{LIVY_URL}/sessions")]
    if route[0] == "proxied":
        assert livy_calls, proxy.seen
    else:
        assert livy_calls == [], proxy.seen
