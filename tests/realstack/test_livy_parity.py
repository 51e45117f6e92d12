"""minilivy (the stand-in devstack runs where ../shared/livy is absent) against the real Livy:
the same scenario on both, on the same standalone master, and every field the extension reads
must agree, so that minilivy cannot drift from what it stands in for."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import time
import urllib.error

import pytest
from stack import REPO, STATE, in_thread, livy

MINI_PORT = 8999


@pytest.fixture
def minilivy(real_endpoint, tmp_path):
    if real_endpoint.topology != "standalone":
        pytest.skip("minilivy drives a standalone master only")
    env = dict(
        os.environ,
        SPARK_CONF_DIR=str(STATE / "conf" / "spark"),
        SPARK_LOCAL_IP="127.0.0.1",
        PYSPARK_PYTHON=sys.executable,
    )
    log = open(tmp_path / "minilivy.log", "wb")  # noqa: SIM115 (closed below)
    command = [sys.executable, "-u", str(REPO / "devstack" / "minilivy.py"), "serve"]
    command += ["--port", str(MINI_PORT), "--state-dir", str(tmp_path / "state")]
    command += ["--spark-conf-dir", env["SPARK_CONF_DIR"], "--marker", f"glue.devstack={STATE}"]
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{MINI_PORT}"
    deadline = time.monotonic() + 60
    while True:
        try:
            livy.get_json(f"{url}/sessions")
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "minilivy did not start"
            time.sleep(0.5)
    yield url
    for session in livy.list_sessions(url):
        livy.delete_session(session["id"], url)
    proc.terminate()
    proc.wait(30)
    log.close()


def scenario(url: str) -> dict:
    """One session's life as the extension sees it through GET /sessions, at each milestone."""
    conf = {"spark.dynamicAllocation.maxExecutors": "2"}
    seen = {}
    sid = livy.create_session("pyspark", conf, livy=url)
    seen["created"] = livy.get_json(f"{url}/sessions")
    livy.wait_state(sid, ("idle",), 600, livy=url)
    seen["idle"] = livy.get_json(f"{url}/sessions")
    statement = livy.submit(sid, "import time\ntime.sleep(20)", livy=url)
    livy.wait_state(sid, ("busy",), 60, livy=url)
    seen["busy"] = livy.get_json(f"{url}/sessions")
    livy.wait_statement(sid, statement, 120, livy=url)
    livy.delete_session(sid, url)
    try:
        livy.get_session(sid, url)
        seen["deleted"] = "still there"
    except livy.LivyError as error:
        seen["deleted"] = "404" if "HTTP 404" in str(error) else str(error)
    except urllib.error.HTTPError as error:
        seen["deleted"] = str(error.code)
    seen["id"] = sid
    return seen


def as_extension_reads(body: dict, sid: int) -> dict:
    """The page fields and the session's parsed fields, ids made relative."""
    from glue_sessions.observe import parse

    sessions, total = parse.livy_sessions(body)
    (mine,) = [s for s in sessions if s.id == sid]
    fields = dataclasses.asdict(mine)
    fields.pop("id")
    fields["app_name_is_session_name"] = mine.app_name == f"livy-session-{sid}"
    fields["page"] = sorted(k for k in body if k != "sessions")
    fields["total_counts_sessions"] = total == len(sessions)
    return fields


async def test_minilivy_reads_like_the_real_livy(minilivy):
    real, mini = await asyncio.gather(
        in_thread(scenario, livy.LIVY_URL), in_thread(scenario, minilivy)
    )
    for milestone in ("created", "idle", "busy"):
        want = as_extension_reads(real[milestone], real["id"])
        got = as_extension_reads(mini[milestone], mini["id"])
        if milestone == "created":
            # Real Livy answers "starting" at once; minilivy may already be idle.
            assert want.pop("state") == "starting" and got.pop("state") in ("starting", "idle")
        assert got == want, milestone
    assert real["deleted"] == mini["deleted"] == "404"
