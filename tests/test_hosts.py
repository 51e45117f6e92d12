"""The poller fetches only from the configured endpoint's hosts."""

from __future__ import annotations

import pytest

from glue_sessions.client.http import HostPolicy


@pytest.fixture
def scenario(scenario):
    # Livy names a Spark UI on a host nobody configured (TEST-NET-2: never contacted).
    scenario.spark_ui_base = "http://198.51.100.7:20888"
    return scenario


async def test_spark_ui_on_another_host_is_not_followed(poller, emulator):
    snapshot = await poller.poll_once()
    sessions = {s["id"]: s for s in snapshot["sessions"]}
    assert snapshot["endpoint"]["reachable"] is True
    assert "198.51.100.7" in sessions[0]["error"] and "allowed_hosts" in sessions[0]["error"]
    assert not any(r.startswith("/proxy/") for r in emulator.requests)


async def test_host_policy_aliases_and_extra_hosts():
    policy = HostPolicy({"127.0.0.1", "allowed.example"})
    assert await policy.allows("127.0.0.1")
    assert await policy.allows("localhost")  # resolves to a configured address
    assert await policy.allows("ALLOWED.example")
    assert not await policy.allows("198.51.100.7")
