"""The real local endpoint (devstack/endpoint.sh), real Livy in front of Spark 3.5 on YARN
and on a standalone master: every real-stack test runs on both topologies."""

from __future__ import annotations

import pytest
from glue_options import cluster_manager_option
from stack import IDLE_HOARDING, POLL, STARVATION, TOPOLOGIES, bring_up, livy


def pytest_collection_modifyitems(items):
    for item in items:
        if "realstack" in str(item.fspath):
            item.add_marker(pytest.mark.realstack)


@pytest.fixture(scope="session", params=TOPOLOGIES)
def real_endpoint(request):
    """The endpoint in one topology, brought up once per run (idempotent) and left running;
    pytest groups the tests by topology, so each switch happens once."""
    endpoint = bring_up(request.param)
    for session in livy.list_sessions():
        livy.delete_session(session["id"])
    if endpoint.topology == "yarn":
        # What Livy left behind (a demo's notebook stopped while it started) holds containers.
        livy.kill_apps_left_by_livy(endpoint.cluster)
    return endpoint


@pytest.fixture
def glue_config(real_endpoint):
    return {
        "livy_url": real_endpoint.livy,
        "poll_interval": POLL,
        "starvation_seconds": STARVATION,
        "idle_hoarding_seconds": IDLE_HOARDING,
        "sparkmagic_config": "/nonexistent/config.json",
        # Only where the endpoint is: the executor size comes from what it reports.
        **cluster_manager_option(real_endpoint.topology, real_endpoint.cluster),
    }


@pytest.fixture
def running_poller(jp_serverapp, jp_asyncio_loop):
    """The server's poller running on its own, as in production (stopped by the teardown)."""
    (extension,) = jp_serverapp.extension_manager.extension_apps["glue_sessions"]
    jp_asyncio_loop.run_until_complete(extension._start_jupyter_server_extension(jp_serverapp))
    return extension.poller


@pytest.fixture
def sessions():
    """Livy sessions a test creates; all deleted at the end, whatever happens."""
    created: list[int] = []
    yield created
    for sid in created:
        try:
            livy.delete_session(sid)
        except Exception as error:  # cleanup must go on
            print(f"cleanup of session {sid}: {error}")
