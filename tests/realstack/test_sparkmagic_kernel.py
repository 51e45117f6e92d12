"""A real sparkmagic PySpark kernel, started by a real Jupyter server, on the local endpoint.

The kernel creates its Livy session on its first cell; the sparkmagic events hook installed
by `glue-sessions configure-sparkmagic` tells the server which notebook that session is, and the
snapshot says so. %%configure -f and a kernel restart move the mapping to the new session.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid

import pytest
from stack import LIVY_URL, in_thread, livy, session_in, wait_for

from glue_sessions import labels
from glue_sessions.http import JsonFetcher
from glue_sessions.poller import Poller
from glue_sessions.sparkmagic_config import configure_sparkmagic

NOTEBOOK = "etl.ipynb"
OWNER = "alice@nb-1"


@pytest.fixture
def sparkmagic_dir(tmp_path, monkeypatch):
    conf_dir = tmp_path / "sparkmagic"
    conf_dir.mkdir()
    config = conf_dir / "config.json"
    config.write_text(
        json.dumps(
            {
                "kernel_python_credentials": {"url": LIVY_URL, "auth": "None"},
                "session_configs": {
                    "driverMemory": "512m",
                    "executorMemory": "512m",
                    "executorCores": 1,
                },
                "livy_session_startup_timeout_seconds": 300,
                "wait_for_idle_timeout_seconds": 300,
            }
        )
    )
    # The real command's code: wires our events hook, and labels sessions with their owner and
    # notebook (configure-sparkmagic --owner-label alice@nb-1 --label-notebook).
    configure_sparkmagic(config, owner_labels=labels.settings_for(OWNER, notebook=True))
    # The kernel inherits the server's environment (as on a SageMaker instance).
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(conf_dir))
    return conf_dir


@pytest.fixture
def pyspark_kernelspec(jp_data_dir, sparkmagic_dir):
    spec_dir = jp_data_dir / "kernels" / "pysparkkernel"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "sparkmagic.kernels.pysparkkernel.pysparkkernel",
            "-f",
            "{connection_file}",
        ],
        "display_name": "PySpark",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return "pysparkkernel"


@pytest.fixture
def glue_config(glue_config, sparkmagic_dir):
    return dict(glue_config, sparkmagic_config=str(sparkmagic_dir / "config.json"))


async def execute(jp_ws_fetch, kernel_id: str, code: str, timeout: float = 600) -> str:
    """Runs one cell through the kernel's websocket; returns its text output."""
    ws = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
    msg_id = uuid.uuid4().hex
    ws.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "test",
                    "session": uuid.uuid4().hex,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    output = []
    reply = None
    idle = False  # iopub's "idle" comes after every output of the cell; the shell reply may not
    deadline = time.monotonic() + timeout
    try:
        while reply is None or not idle:
            raw = await asyncio.wait_for(ws.read_message(), deadline - time.monotonic())
            if raw is None:
                raise AssertionError("kernel websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = msg.get("content", {})
            if msg["msg_type"] == "stream":
                output.append(content.get("text", ""))
            elif msg["msg_type"] in ("execute_result", "display_data"):
                output.append(content.get("data", {}).get("text/plain", ""))
            elif msg["msg_type"] == "error":
                output.append(f"{content.get('ename')}: {content.get('evalue')}")
            elif msg["msg_type"] == "status":
                idle = content.get("execution_state") == "idle"
            elif msg["msg_type"] == "execute_reply":
                reply = content
    finally:
        ws.close()
    text = "".join(output)
    assert reply.get("status") == "ok", text
    return text


async def seen_by_another_server(extension_poller: Poller, session_id: int) -> dict:
    """The session as a server of another instance sees it: the same endpoint settings, none
    of this server's notebooks (what it knows comes from the endpoint alone)."""
    other = Poller(extension_poller.config, JsonFetcher())
    try:
        return session_in(await other.poll_once(), session_id)
    finally:
        other.fetcher.close()


def assert_labelled(livy_session: dict, seen: dict) -> None:
    """Livy echoes the labels in the session's conf; another server shows who to ask."""
    assert livy_session["conf"][labels.OWNER_KEY] == OWNER, livy_session["conf"]
    assert livy_session["conf"][labels.NOTEBOOK_KEY].endswith(NOTEBOOK)
    assert seen["owner"] == OWNER and seen["notebook"] is None
    assert seen["notebook_label"].endswith(NOTEBOOK)


def mapped_to(snapshot: dict, kernel_id: str) -> list[int]:
    return [
        s["id"]
        for s in snapshot["sessions"]
        if s.get("notebook") and s["notebook"]["kernel_id"] == kernel_id
    ]


async def test_notebook_is_mapped_to_the_session_its_kernel_created(
    jp_fetch, jp_ws_fetch, running_poller, pyspark_kernelspec
):
    before = {s["id"] for s in await in_thread(livy.list_sessions)}
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps(
            {
                "path": NOTEBOOK,
                "type": "notebook",
                "name": NOTEBOOK,
                "kernel": {"name": pyspark_kernelspec},
            }
        ),
    )
    kernel_id = json.loads(response.body)["kernel"]["id"]
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
            await seen_by_another_server(running_poller, first),
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
            await seen_by_another_server(running_poller, second),
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

        # A session another instance's kernel created, labelled by its owner (bob): this
        # server, where alice's notebook runs, names bob and his notebook.
        bob = await in_thread(
            livy.create_session,
            "pyspark",
            {labels.OWNER_KEY: "bob@nb-2", labels.NOTEBOOK_KEY: "reports/daily.ipynb"},
            driverMemory="512m",
            executorMemory="512m",
            executorCores=1,
        )
        snapshot = await wait_for(
            jp_fetch, lambda s: session_in(s, bob).get("owner") == "bob@nb-2", 60, "bob's label"
        )
        assert session_in(snapshot, bob)["notebook_label"] == "reports/daily.ipynb"
        assert session_in(snapshot, bob)["notebook"] is None
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")
        for sid in {s["id"] for s in await in_thread(livy.list_sessions)} - before:
            await in_thread(livy.delete_session, sid)
