"""The server side of the kernel -> Livy session mapping, with a real kernel of this server."""

from __future__ import annotations

import json
import os

from glue_sessions.kernel.notebooks import records_dir


def write_record(kernel_id: str, path: str, livy_url: str, session_id: int) -> None:
    """What the sparkmagic hook writes in the kernel process (glue_sessions.kernel_hook)."""
    directory = records_dir()
    directory.mkdir(parents=True, exist_ok=True)
    record = {
        "version": 1,
        "kernel_id": kernel_id,
        "notebook_path": path,
        "livy_url": livy_url,
        "session_id": session_id,
        "pid": os.getpid(),
        "created_at": "2026-11-24T10:00:00+00:00",
        "updated_at": "2026-11-24T10:00:00+00:00",
        "sessions": [{"livy_url": livy_url, "session_id": session_id, "kind": "pyspark"}],
    }
    (directory / f"{kernel_id}.json").write_text(json.dumps(record))


async def test_mapping_follows_renames_and_marks_orphans_of_gone_kernels(
    jp_fetch, jp_root_dir, poller, emulator
):
    response = await jp_fetch(
        "api",
        "sessions",
        method="POST",
        body=json.dumps(
            {
                "path": "etl.ipynb",
                "type": "notebook",
                "name": "etl.ipynb",
                "kernel": {"name": "python3"},
            }
        ),
    )
    session = json.loads(response.body)
    kernel_id = session["kernel"]["id"]
    write_record(kernel_id, str(jp_root_dir / "etl.ipynb"), emulator.base_url, 1)

    snapshot = await poller.poll_once()
    by_id = {s["id"]: s for s in snapshot["sessions"]}
    assert by_id[1]["notebook"] == {"path": "etl.ipynb", "kernel_id": kernel_id, "orphaned": False}
    assert by_id[0]["notebook"] is None  # someone else's session

    await jp_fetch(
        "api", "sessions", session["id"], method="PATCH", body=json.dumps({"path": "sales.ipynb"})
    )
    snapshot = await poller.poll_once()
    assert {s["id"]: s for s in snapshot["sessions"]}[1]["notebook"]["path"] == "sales.ipynb"

    # The kernel ends without deleting its Livy session (as when it dies): the session is
    # still this server's, and orphaned.
    await jp_fetch("api", "sessions", session["id"], method="DELETE")
    snapshot = await poller.poll_once()
    orphan = {s["id"]: s for s in snapshot["sessions"]}[1]
    assert orphan["notebook"] == {"path": "etl.ipynb", "kernel_id": kernel_id, "orphaned": True}
    assert orphan["mine"] is True
