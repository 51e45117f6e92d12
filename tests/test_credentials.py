"""Livy credentials from sparkmagic's config reach Livy, and nothing else."""

from __future__ import annotations

import base64
import json
import logging

import pytest

PASSWORD = "s3cret-Pa55word"


@pytest.fixture
def sparkmagic_config(tmp_path, emulator):
    path = tmp_path / "sparkmagic" / "config.json"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "kernel_python_credentials": {
                    "url": emulator.base_url,
                    "auth": "Basic_Access",
                    "username": "alice",
                    "password": PASSWORD,
                }
            }
        )
    )
    token = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    emulator.scenario.livy_authorization = f"Basic {token}"
    return path


@pytest.fixture
def glue_config(glue_config, sparkmagic_config):
    config = dict(glue_config, sparkmagic_config=str(sparkmagic_config))
    del config["livy_url"]  # taken from sparkmagic's config
    return config


async def test_basic_auth_through_sparkmagic_classes(jp_fetch, poller, emulator, caplog):
    caplog.set_level(logging.DEBUG)
    await poller.poll_once()
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    snapshot = json.loads(response.body)
    assert snapshot["endpoint"]["reachable"] is True, snapshot["endpoint"]
    assert len(snapshot["sessions"]) == 3
    livy_headers = [
        h for h, r in zip(emulator.headers, emulator.requests) if r.startswith("/sessions")
    ]
    assert all(h.get("Authorization") == emulator.scenario.livy_authorization for h in livy_headers)

    history = await jp_fetch("glue-sessions", "api", "history")
    token = emulator.scenario.livy_authorization.split()[1]
    for body in (response.body, history.body):
        assert PASSWORD.encode() not in body and token.encode() not in body
    assert PASSWORD not in caplog.text and token not in caplog.text


async def test_wrong_password_is_an_auth_error_without_the_password(poller, emulator, caplog):
    emulator.scenario.livy_authorization = "Basic d3Jvbmc6d3Jvbmc="
    snapshot = await poller.poll_once()
    assert snapshot["endpoint"]["error_kind"] == "auth"
    assert PASSWORD not in json.dumps(snapshot) and PASSWORD not in caplog.text


async def test_credentials_go_only_to_livys_host(sparkmagic_config):
    from glue_sessions.client.auth import header_provider
    from glue_sessions.kernel.sparkmagic_config import read_sparkmagic_endpoint

    provide = header_provider(read_sparkmagic_endpoint(sparkmagic_config), {"127.0.0.1"})
    assert (await provide("http://127.0.0.1:8998/sessions"))["Authorization"].startswith("Basic ")
    assert await provide("http://10.1.2.3:20888/proxy/app/api/v1/applications") == {}


TEAM_AUTH = """
from sparkmagic.auth.customauth import Authenticator


class TeamToken(Authenticator):
    def __call__(self, request):
        request.headers["Authorization"] = "Bearer team-token"
        return request
"""


async def test_a_custom_authenticator_of_sparkmagic_signs_the_requests(
    tmp_path, emulator, monkeypatch
):
    """A class named in sparkmagic's `authenticators` (as a team's own auth) signs every
    request to Livy through our client, and nothing sent elsewhere."""
    import sparkmagic.utils.configuration as conf

    from glue_sessions.client.auth import header_provider
    from glue_sessions.client.http import JsonFetcher
    from glue_sessions.kernel.sparkmagic_config import SparkmagicEndpoint

    (tmp_path / "team_auth.py").write_text(TEAM_AUTH)
    monkeypatch.syspath_prepend(str(tmp_path))
    known = dict(conf.authenticators(), Team="team_auth.TeamToken")
    monkeypatch.setitem(conf.d, "authenticators", known)
    emulator.scenario.livy_authorization = "Bearer team-token"
    credentials = SparkmagicEndpoint(url=emulator.base_url, auth="Team")
    provide = header_provider(credentials, {"127.0.0.1"})
    assert await provide("http://10.1.2.3:8088/ws/v1/cluster/metrics") == {}
    fetcher = JsonFetcher(auth_headers=provide)
    try:
        answer = await fetcher.get_json(f"{emulator.base_url}/sessions")
    finally:
        fetcher.close()
    assert answer["total"] == 3
