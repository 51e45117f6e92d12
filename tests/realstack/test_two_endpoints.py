"""Two real Livy endpoints used by the kernels of one Jupyter server: a PySpark kernel on the
configured Livy, a Scala kernel on a second Livy (sparkmagic's kernel_scala_credentials) on the
same YARN. The server polls both, each with its own snapshot, capacity and metrics."""

from __future__ import annotations

import asyncio
import json

import pytest
from kernels import execute, open_notebook, write_sparkmagic_config
from kernelspecs import write_pyspark_kernelspec, write_scala_kernelspec
from stack import LIVY_URL, endpoint_sh, in_thread, livy

SECOND_LIVY = "http://127.0.0.1:8999"  # devstack/endpoint.sh second-livy up
YARN_ONLY = pytest.mark.parametrize("real_endpoint", ["yarn"], indirect=True)


@pytest.fixture
def second_livy(real_endpoint):
    """The second Livy, started once and left running (endpoint.sh down stops it); its
    sessions are deleted before and after, as the first one's are."""
    endpoint_sh("second-livy", "up")

    def clean():
        for session in livy.list_sessions(SECOND_LIVY):
            livy.delete_session(session["id"], SECOND_LIVY)

    clean()
    yield SECOND_LIVY
    clean()


@pytest.fixture
def sparkmagic_dir(tmp_path, monkeypatch, second_livy):
    config = write_sparkmagic_config(tmp_path / "sparkmagic", "alice@nb-1")
    settings = json.loads(config.read_text())
    settings["kernel_scala_credentials"] = {"url": second_livy, "auth": "None"}
    config.write_text(json.dumps(settings))
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(config.parent))
    return config.parent


@pytest.fixture
def glue_config(glue_config, sparkmagic_dir):
    return dict(glue_config, sparkmagic_config=str(sparkmagic_dir / "config.json"))


async def api(jp_fetch, path: str, endpoint: str | None = None) -> dict:
    params = {"endpoint": endpoint} if endpoint else {}
    return json.loads((await jp_fetch("glue-sessions", "api", path, params=params)).body)


def mapped(snapshot: dict, kernel_id: str) -> dict | None:
    sessions = snapshot["sessions"]
    return next((s for s in sessions if (s["notebook"] or {}).get("kernel_id") == kernel_id), None)


@YARN_ONLY
async def test_each_endpoint_a_kernel_uses_is_shown_with_its_own_capacity(
    jp_fetch, jp_ws_fetch, jp_data_dir, running_poller, sessions, second_livy, real_endpoint
):
    python_kernel = await open_notebook(jp_fetch, "py.ipynb", write_pyspark_kernelspec(jp_data_dir))
    scala_kernel = await open_notebook(jp_fetch, "scala.ipynb", write_scala_kernelspec(jp_data_dir))
    outputs = await asyncio.gather(
        execute(jp_ws_fetch, python_kernel, "spark.range(10).count()"),
        execute(jp_ws_fetch, scala_kernel, "spark.range(12).count()"),
    )
    assert "10" in outputs[0] and "12" in outputs[1], outputs
    (python_session,) = await in_thread(livy.list_sessions)
    (scala_session,) = await in_thread(livy.list_sessions, second_livy)
    sessions.append(python_session["id"])  # the fixture deletes it at the end
    assert scala_session["kind"] == "spark"

    # Both endpoints polled, each mapping its own session to its notebook.
    deadline = asyncio.get_running_loop().time() + 90
    while True:
        listed = await api(jp_fetch, "endpoints")
        ids = [e["id"] for e in listed["endpoints"]]
        configured = await api(jp_fetch, "snapshot")
        other = await api(jp_fetch, "snapshot", second_livy) if second_livy in ids else None
        if (
            other
            and mapped(configured, python_kernel)
            and mapped(other, scala_kernel)
            and other["cluster"]
            and other["cluster"]["source"] == "yarn"
        ):
            break
        assert asyncio.get_running_loop().time() < deadline, (listed, configured, other)
        await asyncio.sleep(1)
    assert ids == [LIVY_URL, second_livy]
    assert mapped(configured, python_kernel)["id"] == python_session["id"]
    assert mapped(other, scala_kernel)["id"] == scala_session["id"]
    assert mapped(configured, scala_kernel) is None and mapped(other, python_kernel) is None
    assert other["endpoint"]["url"] == second_livy

    # Its own capacity: YARN found on its host, as YARN itself reports it at the same moment.
    metrics = await in_thread(livy.get_json, f"{real_endpoint.cluster}/ws/v1/cluster/metrics")
    total = metrics["clusterMetrics"]["totalVirtualCores"]
    for snapshot in (configured, other):
        assert snapshot["cluster"]["source"] == "yarn"
        assert snapshot["cluster"]["total_cores"] == total, snapshot["cluster"]
    # On a shared YARN, each sees the other's session as capacity held outside its Livy.
    outside = {a["app_id"] for a in other["outside_livy"]}
    assert python_session["appId"] in outside, other["outside_livy"]

    page = (await jp_fetch("metrics")).body.decode()
    for url in (LIVY_URL, second_livy):
        assert f'glue_sessions_endpoint_reachable{{endpoint="{url}"}} 1.0' in page
