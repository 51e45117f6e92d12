"""A real sparkmagic PySpark kernel, started by a real Jupyter server, on the local endpoint.

The kernel creates its Livy session on its first cell; the sparkmagic events hook installed
by `glue-sessions configure-sparkmagic` tells the server which notebook that session is, and the
snapshot says so. %%configure -f and a kernel restart move the mapping to the new session.
"""

from __future__ import annotations

import os
import signal

import pytest
from kernels import OtherInstance, execute, open_notebook, write_sparkmagic_config
from kernelspecs import write_pyspark_kernelspec
from stack import LIVY_URL, in_thread, livy, session_in, wait_for

from glue_sessions.kernel import labels

NOTEBOOK = "etl.ipynb"
OWNER = "alice@nb-1"
BOB = "bob@nb-2"
BOBS_NOTEBOOK = "reports/daily.ipynb"


@pytest.fixture
def sparkmagic_dir(tmp_path, monkeypatch):
    config = write_sparkmagic_config(tmp_path / "sparkmagic", OWNER)
    # The kernel inherits the server's environment (as on a SageMaker instance).
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(config.parent))
    return config.parent


@pytest.fixture
def pyspark_kernelspec(jp_data_dir, sparkmagic_dir):
    return write_pyspark_kernelspec(jp_data_dir)


@pytest.fixture
def glue_config(glue_config, sparkmagic_dir):
    # Stopping is allowed (as the SageMaker install can set it): orphans are stopped here.
    return dict(
        glue_config,
        sparkmagic_config=str(sparkmagic_dir / "config.json"),
        allow_stop_sessions=True,
    )


@pytest.fixture
def bobs_instance(tmp_path, glue_config):
    """Bob's notebook instance: a second Jupyter server process on the same endpoint."""
    instance = OtherInstance(tmp_path / "bob", BOB, glue_config)
    instance.start()
    yield instance
    instance.stop()


async def seen_by(instance: OtherInstance, session_id: int, owner: str) -> dict:
    """The session as the other instance's server shows it, once its poll has seen it."""
    snapshot = await wait_for(
        instance.fetch,
        lambda s: session_in(s, session_id).get("owner") == owner,
        60,
        f"{instance.owner}'s server to show session {session_id} as {owner}'s",
    )
    return session_in(snapshot, session_id)


def assert_labelled(livy_session: dict, seen: dict, owner: str, notebook: str) -> None:
    """Livy echoes the labels in the session's conf; the other server shows who to ask and
    which notebook (it is not one of its own notebooks)."""
    assert livy_session["conf"][labels.OWNER_KEY] == owner, livy_session["conf"]
    assert livy_session["conf"][labels.NOTEBOOK_KEY].endswith(notebook)
    assert seen["owner"] == owner and seen["notebook"] is None
    assert seen["notebook_label"].endswith(notebook)


def mapped_to(snapshot: dict, kernel_id: str) -> list[int]:
    return [
        s["id"]
        for s in snapshot["sessions"]
        if s.get("notebook") and s["notebook"]["kernel_id"] == kernel_id
    ]


async def test_notebook_is_mapped_to_the_session_its_kernel_created(
    jp_fetch, jp_ws_fetch, running_poller, pyspark_kernelspec, bobs_instance
):
    before = {s["id"] for s in await in_thread(livy.list_sessions)}
    kernel_id = await open_notebook(jp_fetch, NOTEBOOK, pyspark_kernelspec)
    bobs_kernel = None
    try:
        out = await execute(jp_ws_fetch, kernel_id, "spark.range(10).count()")
        assert "10" in out, out
        created = {s["id"] for s in await in_thread(livy.list_sessions)} - before
        assert len(created) == 1, created
        (first,) = created
        snapshot = await wait_for(
            jp_fetch,
            lambda s: mapped_to(s, kernel_id) == [first],
            60,
            f"{NOTEBOOK} mapped to livy session {first}",
        )
        assert session_in(snapshot, first)["notebook"]["path"] == NOTEBOOK
        assert_labelled(
            await in_thread(livy.get_json, f"{LIVY_URL}/sessions/{first}"),
            await seen_by(bobs_instance, first, OWNER),
            OWNER,
            NOTEBOOK,
        )

        # %%configure -f: sparkmagic deletes the session and creates another.
        await execute(
            jp_ws_fetch,
            kernel_id,
            '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "2"}}',
        )
        await execute(jp_ws_fetch, kernel_id, "spark.range(5).count()")
        current = {s["id"] for s in await in_thread(livy.list_sessions)} - before
        (second,) = current - {first}
        snapshot = await wait_for(
            jp_fetch,
            lambda s: mapped_to(s, kernel_id) == [second],
            60,
            f"{NOTEBOOK} mapped to the recreated session {second}",
        )
        assert session_in(snapshot, second)["max_executors"] == 2
        # The advised cell replaced the session's conf; the kernel labelled it again.
        assert_labelled(
            await in_thread(livy.get_json, f"{LIVY_URL}/sessions/{second}"),
            await seen_by(bobs_instance, second, OWNER),
            OWNER,
            NOTEBOOK,
        )

        # A kernel restart ends its session; the next cell creates a new one.
        await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="")
        await wait_for(
            jp_fetch,
            lambda s: mapped_to(s, kernel_id) == [],
            120,
            "the mapping to be gone after the restart",
        )
        await execute(jp_ws_fetch, kernel_id, "spark.range(3).count()")
        current = {s["id"] for s in await in_thread(livy.list_sessions)} - before
        third = max(current)
        assert third not in (first, second)
        await wait_for(
            jp_fetch,
            lambda s: mapped_to(s, kernel_id) == [third],
            60,
            f"{NOTEBOOK} mapped to session {third} after the restart",
        )

        # Bob opens a notebook on his own instance (another Jupyter server, another owner):
        # his server maps it to his notebook and names alice's; alice's server names bob's.
        bobs_kernel = await open_notebook(
            bobs_instance.fetch, BOBS_NOTEBOOK, bobs_instance.kernel_name
        )
        out = await execute(bobs_instance.ws_connect, bobs_kernel, "spark.range(7).count()")
        assert "7" in out, out
        bobs_snapshot = await wait_for(
            bobs_instance.fetch,
            lambda s: len(mapped_to(s, bobs_kernel)) == 1,
            60,
            f"{BOBS_NOTEBOOK} mapped on bob's server",
        )
        (bobs,) = mapped_to(bobs_snapshot, bobs_kernel)
        assert session_in(bobs_snapshot, bobs)["notebook"]["path"] == BOBS_NOTEBOOK
        assert_labelled(
            await in_thread(livy.get_json, f"{LIVY_URL}/sessions/{bobs}"),
            session_in(
                await wait_for(
                    jp_fetch,
                    lambda s: session_in(s, bobs).get("owner") == BOB,
                    60,
                    "alice's server to show bob's session",
                ),
                bobs,
            ),
            BOB,
            BOBS_NOTEBOOK,
        )
        assert_labelled(
            await in_thread(livy.get_json, f"{LIVY_URL}/sessions/{third}"),
            await seen_by(bobs_instance, third, OWNER),
            OWNER,
            NOTEBOOK,
        )
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")
        if bobs_kernel:
            await bobs_instance.fetch("api", "kernels", bobs_kernel, method="DELETE")
        for sid in {s["id"] for s in await in_thread(livy.list_sessions)} - before:
            await in_thread(livy.delete_session, sid)


@pytest.mark.parametrize("real_endpoint", ["yarn"], indirect=True)
async def test_a_killed_kernels_session_is_orphaned_then_stopped(
    jp_fetch, jp_ws_fetch, jp_serverapp, running_poller, pyspark_kernelspec, real_endpoint
):
    before = {s["id"] for s in await in_thread(livy.list_sessions)}
    kernel_id = await open_notebook(jp_fetch, NOTEBOOK, pyspark_kernelspec)
    try:
        await execute(jp_ws_fetch, kernel_id, "spark.range(4).count()")
        (sid,) = {s["id"] for s in await in_thread(livy.list_sessions)} - before
        await wait_for(jp_fetch, lambda s: mapped_to(s, kernel_id) == [sid], 60, "the mapping")

        # The kernel dies as with the out-of-memory killer: no shutdown, no Livy DELETE.
        kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
        os.kill(kernel.provisioner.pid, signal.SIGKILL)
        snapshot = await wait_for(
            jp_fetch,
            lambda s: (session_in(s, sid).get("notebook") or {}).get("orphaned") is True,
            60,
            f"livy-session-{sid} shown orphaned",
        )
        orphan = session_in(snapshot, sid)
        assert orphan["status"] == "orphaned" and orphan["mine"] and orphan["can_stop"]
        assert orphan["notebook"]["path"] == NOTEBOOK and orphan["status_since"]
        assert orphan["driver_cores"] == 1  # what it holds: its driver's container

        response = await jp_fetch("glue-sessions", "api", "sessions", str(sid), method="DELETE")
        assert response.code in (200, 204)
        await wait_for(
            jp_fetch,
            lambda s: session_in(s, sid).get("status") in (None, "gone"),
            60,
            f"livy-session-{sid} stopped",
        )
        listed = await in_thread(livy.list_sessions)
        assert all(s["id"] != sid or s["state"] in ("shutting_down", "dead") for s in listed)
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")
        for left in {s["id"] for s in await in_thread(livy.list_sessions)} - before:
            await in_thread(livy.delete_session, left)
