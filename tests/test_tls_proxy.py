"""TLS and proxies as deployments have them: a CA of the organisation (option or
REQUESTS_CA_BUNDLE), hostname checks on their own switch, a client certificate, the
environment's HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and an option to ignore them)."""

from __future__ import annotations

import ssl

import pytest
from proxies import HttpProxy, fetch, refused
from test_keepalive import serve, stop

from glue_sessions.client import http
from glue_sessions.client.http import FetchError, JsonFetcher

trustme = pytest.importorskip("trustme")

PLAIN = {"what": "plain", "pad": ""}


def server_context(ca, *hosts: str, client_ca=None) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(context)
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        client_ca.configure_trust(context)
    return context


async def test_a_ca_bundle_verifies_and_the_system_store_refuses(ca, ca_file, no_proxy_env):
    server = await serve(ssl_options=server_context(ca, "localhost"))
    url = f"https://localhost:{server.port}/plain"
    try:
        assert await fetch(url, ca_bundle=ca_file) == PLAIN
        error = await refused(url)
        assert error.kind == http.UNREACHABLE and "CERTIFICATE_VERIFY_FAILED" in error.message
        no_proxy_env.setenv("REQUESTS_CA_BUNDLE", ca_file)  # as sparkmagic's requests reads it
        assert await fetch(url) == PLAIN
    finally:
        await stop(server)


async def test_a_wrong_hostname_is_refused_unless_checks_are_off(ca, ca_file, no_proxy_env):
    server = await serve(ssl_options=server_context(ca, "livy.example.com"))
    url = f"https://localhost:{server.port}/plain"
    try:
        error = await refused(url, ca_bundle=ca_file)
        assert error.kind == http.UNREACHABLE and "localhost" in error.message
        assert "Hostname mismatch" in error.message
        assert await fetch(url, ca_bundle=ca_file, check_hostname=False) == PLAIN
        # Hostname checks off still verify the certificate: another CA's is refused.
        other = trustme.CA()
        other_server = await serve(ssl_options=server_context(other, "localhost"))
        try:
            error = await refused(
                f"https://localhost:{other_server.port}/plain",
                ca_bundle=ca_file,
                check_hostname=False,
            )
            assert "CERTIFICATE_VERIFY_FAILED" in error.message
        finally:
            await stop(other_server)
        assert await fetch(url, validate_cert=False) == PLAIN
    finally:
        await stop(server)


async def test_a_client_certificate_is_presented(ca, ca_file, tmp_path, no_proxy_env):
    clients = trustme.CA()
    identity = clients.issue_cert("glue-sessions@example.com")
    both = tmp_path / "client.pem"
    identity.private_key_and_cert_chain_pem.write_to_path(str(both))
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    identity.cert_chain_pems[0].write_to_path(str(cert))
    identity.private_key_pem.write_to_path(str(key))
    server = await serve(ssl_options=server_context(ca, "localhost", client_ca=clients))
    url = f"https://localhost:{server.port}/plain"
    try:
        error = await refused(url, ca_bundle=ca_file)
        assert error.kind in (http.UNREACHABLE, http.MALFORMED), error.message
        assert await fetch(url, ca_bundle=ca_file, client_cert=str(both)) == PLAIN
        assert await fetch(url, ca_bundle=ca_file, client_cert=str(cert), client_key=str(key)) == (
            PLAIN
        )
    finally:
        await stop(server)


async def test_unusable_tls_files_fail_https_only(tmp_path, no_proxy_env):
    server = await serve()
    missing = str(tmp_path / "missing.pem")
    try:
        for options in ({"ca_bundle": missing}, {"client_cert": missing}):
            fetcher = JsonFetcher(max_concurrency=1, **options)
            try:
                assert await fetcher.get_json(f"http://127.0.0.1:{server.port}/plain") == PLAIN
                with pytest.raises(FetchError) as error:
                    await fetcher.get_json(f"https://127.0.0.1:{server.port}/plain")
                assert error.value.kind == http.UNREACHABLE
                assert "unusable TLS settings" in error.value.message
            finally:
                fetcher.close()
    finally:
        await stop(server)


async def test_http_through_the_environments_proxy_unless_no_proxy(no_proxy_env):
    server = await serve()
    proxy = await HttpProxy().start()
    url = f"http://127.0.0.1:{server.port}/plain"
    try:
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        assert await fetch(url) == PLAIN
        assert proxy.seen == [("GET", url)]
        assert await fetch(url, use_proxy_env=False) == PLAIN
        assert len(proxy.seen) == 1
        no_proxy_env.setenv("NO_PROXY", "127.0.0.1")
        assert await fetch(url) == PLAIN
        assert len(proxy.seen) == 1
    finally:
        await proxy.stop()
        await stop(server)


async def test_https_through_a_connect_tunnel_with_proxy_credentials(ca, ca_file, no_proxy_env):
    server = await serve(ssl_options=server_context(ca, "localhost"))
    proxy = await HttpProxy().start()
    url = f"https://localhost:{server.port}/plain"
    try:
        no_proxy_env.setenv("HTTPS_PROXY", f"http://bob:s%40cret@127.0.0.1:{proxy.port}")
        fetcher = JsonFetcher(max_concurrency=1, ca_bundle=ca_file)
        try:
            for _ in range(3):  # one tunnel, kept
                assert await fetcher.get_json(url) == PLAIN
        finally:
            fetcher.close()
        assert proxy.seen == [("CONNECT", f"localhost:{server.port}")]
        assert proxy.authorizations == ["Basic Ym9iOnNAY3JldA=="]  # bob:s@cret
        # Verified inside the tunnel: without the CA, refused.
        error = await refused(url)
        assert "CERTIFICATE_VERIFY_FAILED" in error.message
    finally:
        await proxy.stop()
        await stop(server)


async def test_an_https_proxy_is_spoken_to_over_verified_tls(ca, ca_file, no_proxy_env):
    plain = await serve()
    secure = await serve(ssl_options=server_context(ca, "localhost"))
    proxy = await HttpProxy().start(server_context(ca, "localhost"))
    try:
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
        plain_url = f"http://127.0.0.1:{plain.port}/plain"
        assert await fetch(plain_url, ca_bundle=ca_file) == PLAIN
        assert proxy.seen == [("GET", plain_url)]
        # TLS to the proxy, then TLS to the host inside the tunnel.
        assert await fetch(f"https://localhost:{secure.port}/plain", ca_bundle=ca_file) == PLAIN
        assert proxy.seen[1] == ("CONNECT", f"localhost:{secure.port}")
        # The proxy's certificate is verified too: never plain text to an https:// proxy.
        error = await refused(plain_url)
        assert error.kind == "unreachable" and "CERTIFICATE_VERIFY_FAILED" in error.message
        assert len(proxy.seen) == 2
    finally:
        await proxy.stop()
        await stop(plain)
        await stop(secure)


async def test_a_proxy_that_refuses_is_unreachable_without_its_credentials(no_proxy_env):
    proxy = await HttpProxy().start()
    proxy.refuse = True
    try:
        no_proxy_env.setenv("HTTPS_PROXY", f"http://bob:hunter2@127.0.0.1:{proxy.port}")
        error = await refused("https://localhost:1/x", connect_timeout=2)
        assert error.kind == http.UNREACHABLE and "407" in error.message
        assert "hunter2" not in error.message and "bob" not in error.message
    finally:
        await proxy.stop()


@pytest.fixture
def glue_config(glue_config, ca_file, no_proxy_env):
    no_proxy_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    return dict(glue_config, ca_bundle=ca_file, check_hostname=False, use_proxy_env=False)


async def test_the_options_reach_the_pollers_fetcher(poller, ca_file):
    tls = poller.fetcher._pool._tls
    assert tls.verify_mode == ssl.CERT_REQUIRED and not tls.check_hostname
    assert len(tls.get_ca_certs()) == 1  # the bundle's CA only
    snapshot = await poller.poll_once()  # the emulator, not through HTTP_PROXY
    assert snapshot["endpoint"]["reachable"] is True
