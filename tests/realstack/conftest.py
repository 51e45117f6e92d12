"""The real local endpoint (devstack/endpoint.sh): Spark 3.5 standalone + Livy REST on loopback."""

from __future__ import annotations

import subprocess

import pytest
from stack import IDLE_HOARDING, LIVY_URL, MASTER_UI, POLL, REPO, STARVATION, livy


def pytest_collection_modifyitems(items):
    for item in items:
        if "realstack" in str(item.fspath):
            item.add_marker(pytest.mark.realstack)


@pytest.fixture(scope="session")
def real_endpoint():
    """Brings the endpoint up once per run (idempotent) and leaves it running."""
    subprocess.run(
        ["bash", str(REPO / "devstack" / "endpoint.sh"), "up"],
        check=True,
        timeout=1800,
    )
    for session in livy.list_sessions():
        livy.delete_session(session["id"])
    return {"livy": LIVY_URL, "master": MASTER_UI}


@pytest.fixture
def glue_config(real_endpoint):
    return {
        "livy_url": real_endpoint["livy"],
        "spark_master_url": real_endpoint["master"],
        "executor_cores": 1,
        "executor_memory_mb": 512,
        "poll_interval": POLL,
        "starvation_seconds": STARVATION,
        "idle_hoarding_seconds": IDLE_HOARDING,
        "sparkmagic_config": "/nonexistent/config.json",
    }


@pytest.fixture
def jp_server_config(glue_config):
    return {
        "ServerApp": {"jpserver_extensions": {"glue_sessions": True}},
        "GlueSessions": glue_config,
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
