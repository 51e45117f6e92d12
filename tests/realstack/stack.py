"""Helpers for the real-stack tests: devstack's Livy client and waiting on the extension's API."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "devstack"))

import scenario as livy  # noqa: E402  (devstack/scenario.py)

LIVY_URL = livy.LIVY_URL
MASTER_UI = livy.MASTER_UI
POLL = 2.0
STARVATION = 15.0
IDLE_HOARDING = 20.0


async def in_thread(fn, *args, **kwargs):
    """devstack/scenario.py blocks (urllib): keep it off the server's event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def start_sessions(created: list[int], count: int, conf: dict | None = None) -> list[int]:
    ids = [await in_thread(livy.create_session, "pyspark", conf) for _ in range(count)]
    created.extend(ids)
    await asyncio.gather(*(in_thread(livy.wait_state, sid, ("idle",), 600) for sid in ids))
    return ids


async def snapshot_of(jp_fetch) -> dict:
    response = await jp_fetch("glue-sessions", "api", "snapshot")
    return json.loads(response.body)


async def wait_for(jp_fetch, predicate, timeout: float, what: str) -> dict:
    """Polls the extension's own API until predicate(snapshot) holds."""
    deadline = time.monotonic() + timeout
    snapshot = None
    while time.monotonic() < deadline:
        snapshot = await snapshot_of(jp_fetch)
        if predicate(snapshot):
            return snapshot
        await asyncio.sleep(1.0)
    summary = json.dumps(
        [
            {
                k: s.get(k)
                for k in (
                    "id",
                    "state",
                    "status",
                    "executors",
                    "need",
                    "fair_share",
                    "running_tasks",
                    "pending_tasks",
                    "error",
                )
            }
            for s in (snapshot or {}).get("sessions", [])
        ]
    )
    context = json.dumps(
        {
            "cluster": (snapshot or {}).get("cluster"),
            "endpoint": {
                k: (snapshot or {}).get("endpoint", {}).get(k)
                for k in ("reachable", "error", "problems")
            },
        }
    )
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what}; last: {summary} {context}"
    )


def session_in(snapshot: dict, sid: int) -> dict:
    for s in snapshot["sessions"]:
        if s["id"] == sid:
            return s
    return {}


LONG_JOB = (
    "import time\n"
    "sc.parallelize(range({tasks}), {tasks}).map(lambda x: (time.sleep({seconds}), x)[1]).count()"
)


def long_job(tasks: int, seconds: float = 1.0) -> str:
    return LONG_JOB.format(tasks=tasks, seconds=seconds)
