"""Stopping a session: off by default, own sessions only, XSRF-checked for cookie auth."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError


def own_notebook(poller, session_id):
    """Pretend this server's notebook created `session_id` (the hook's record, in effect)."""

    async def lookup(ids):
        return {session_id: {"path": "etl.ipynb", "kernel_id": "k-1"}} if session_id in ids else {}

    poller.notebooks = lookup


async def stop(jp_fetch, session_id):
    return await jp_fetch("glue-sessions", "api", "sessions", str(session_id), method="DELETE")


async def test_off_by_default(jp_fetch, poller, emulator):
    own_notebook(poller, 1)
    snapshot = await poller.poll_once()
    assert snapshot["actions"] == {"stop_own_sessions": False}
    with pytest.raises(HTTPClientError) as error:
        await stop(jp_fetch, 1)
    assert error.value.code == 403
    assert "allow_stop_sessions" in json.loads(error.value.response.body)["message"]
    assert not any(r.startswith("DELETE") for r in emulator.requests)


@pytest.fixture
def glue_config(glue_config, request):
    if "allowed" in request.keywords:
        return dict(glue_config, allow_stop_sessions=True)
    return glue_config


@pytest.mark.allowed
async def test_own_session_is_stopped(jp_fetch, poller, emulator):
    own_notebook(poller, 1)
    snapshot = await poller.poll_once()
    assert snapshot["actions"] == {"stop_own_sessions": True}
    response = await stop(jp_fetch, 1)
    assert json.loads(response.body) == {"stopped": 1}
    assert "DELETE /sessions/1" in emulator.requests
    assert 1 not in {s["id"] for s in poller.snapshot["sessions"]}  # polled right away


@pytest.mark.allowed
async def test_other_peoples_sessions_are_refused(jp_fetch, poller, emulator):
    own_notebook(poller, 1)
    await poller.poll_once()
    for session_id, code in ((0, 403), (99, 404)):
        with pytest.raises(HTTPClientError) as error:
            await stop(jp_fetch, session_id)
        assert error.value.code == code
    assert not any(r.startswith("DELETE") for r in emulator.requests)


@pytest.mark.allowed
async def test_cookie_auth_without_xsrf_token_is_refused(
    jp_serverapp, jp_base_url, http_server_client, poller, emulator
):
    own_notebook(poller, 1)
    await poller.poll_once()
    base = jp_base_url
    client = http_server_client  # the test server's own client: fetch(path)
    # Log in the way a browser does: a token in the URL sets the login cookie.
    token = jp_serverapp.identity_provider.token
    login = await client.fetch(f"{base}api/status?token={token}", raise_error=False)
    cookies = "; ".join(c.split(";", 1)[0] for c in login.headers.get_list("Set-Cookie"))
    assert cookies, login.headers
    url = f"{base}glue-sessions/api/sessions/1"
    refused = await client.fetch(
        url, method="DELETE", headers={"Cookie": cookies}, raise_error=False
    )
    assert refused.code == 403
    assert not any(r.startswith("DELETE") for r in emulator.requests)
    # With an XSRF token echoed from its cookie, as JupyterLab sends it, it goes through.
    accepted = await client.fetch(
        url,
        method="DELETE",
        headers={"Cookie": f"{cookies}; _xsrf=t0ken", "X-XSRFToken": "t0ken"},
        raise_error=False,
    )
    assert accepted.code == 200, accepted.body
