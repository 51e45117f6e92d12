"""The recorder inside real sparkmagic against a stand-in Livy on loopback: sparkmagic's
SparkController in this process (records of created, recreated and cleaned-up sessions, a
session recorded while it is still starting, owner labels in each session's conf when opted
in), and a real sparkmagic PySpark kernel process started as jupyter_server starts it."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from kernel_events import NULL_LOGGING, RecordingHandler, install_chain_module, read
from kernelspecs import write_pyspark_kernelspec

from emulator.loopback import LoopbackServer, QuietHandler
from glue_sessions.kernel import labels
from glue_sessions.kernel import record as kernel_record
from glue_sessions.kernel.notebooks import KernelSessionIndex
from glue_sessions.kernel.record import KernelState
from glue_sessions.kernel_hook import CHAIN_KEY, HANDLER_CLASS


@pytest.fixture
def chain_module(monkeypatch):
    return install_chain_module(monkeypatch)


class FakeLivy(LoopbackServer):
    """Just enough of Livy's REST API for sparkmagic's LivySession (loopback only)."""

    def __init__(self):
        self.sessions: dict[int, dict] = {}
        self.next_id = 0
        # A new session stays starting while this holds, then becomes what it says.
        self.hold_starting = False
        self.started_state = "idle"
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        livy = self

        class Handler(QuietHandler):
            def do_GET(self):
                livy.requests.append(("GET", self.path))
                parts = self.path.split("?")[0].strip("/").split("/")
                with livy.lock:
                    if parts == ["sessions"]:
                        return self.reply(200, {"sessions": list(livy.sessions.values())})
                    if len(parts) >= 2 and parts[0] == "sessions":
                        s = livy.sessions.get(int(parts[1]))
                        if s is None:
                            return self.reply(404, {"msg": "not found"})
                        if s["state"] == "starting" and not livy.hold_starting:
                            s["state"] = livy.started_state
                        if len(parts) == 2:
                            return self.reply(200, s)
                        if parts[2] == "log":
                            return self.reply(200, {"log": []})
                        if parts[2] == "statements" and len(parts) == 4:
                            return self.reply(
                                200,
                                {
                                    "id": int(parts[3]),
                                    "state": "available",
                                    "output": {"status": "ok", "data": {"text/plain": "ok"}},
                                },
                            )
                self.reply(404, {})

            def do_POST(self):
                livy.requests.append(("POST", self.path))
                body = self.json_body()
                parts = self.path.strip("/").split("/")
                with livy.lock:
                    if parts == ["sessions"]:
                        sid = livy.next_id
                        livy.next_id += 1
                        s = {
                            "id": sid,
                            "name": None,
                            "appId": None,
                            "owner": None,
                            "proxyUser": None,
                            "state": "starting",
                            "kind": body.get("kind"),
                            "appInfo": {"driverLogUrl": None, "sparkUiUrl": None},
                            "log": [],
                            "conf": body.get("conf") or {},  # Livy echoes it
                        }
                        livy.sessions[sid] = s
                        return self.reply(201, s)
                    if len(parts) == 3 and parts[2] == "statements":
                        return self.reply(201, {"id": 0, "state": "waiting"})
                self.reply(404, {})

            def do_DELETE(self):
                livy.requests.append(("DELETE", self.path))
                parts = self.path.strip("/").split("/")
                with livy.lock:
                    if livy.sessions.pop(int(parts[1]), None) is None:
                        return self.reply(404, {})
                self.reply(200, {"msg": "deleted"})

        super().__init__(Handler)


@pytest.fixture
def fake_livy():
    livy = FakeLivy()
    yield livy
    livy.close()


@pytest.fixture
def sm_conf(tmp_path, monkeypatch):
    conf = pytest.importorskip("sparkmagic.utils.configuration")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # sparkmagic must not touch ~/.sparkmagic
    saved = dict(conf.d)
    conf.override_all(
        {
            "events_handler_class": HANDLER_CLASS,
            CHAIN_KEY: "gs_test_chain.RecordingHandler",
            "logging_config": NULL_LOGGING,
            "livy_server_heartbeat_timeout_seconds": 0,
            "wait_for_idle_timeout_seconds": 5,
        }
    )
    yield conf
    conf.override_all(saved)


def test_real_sparkmagic_controller(chain_module, sm_conf, fake_livy, tmp_path, monkeypatch):
    from sparkmagic.livyclientlib.endpoint import Endpoint
    from sparkmagic.livyclientlib.sparkcontroller import SparkController

    st = KernelState("kern-9", "/w/a.ipynb", directory=tmp_path / "k", register_atexit=False)
    monkeypatch.setattr(kernel_record, "_STATE", st)
    # no ipywidgets outside a kernel (their __del__ is noisy at interpreter exit)
    monkeypatch.setattr("sparkmagic.livyclientlib.command.FloatProgress", mock.MagicMock())
    display = mock.MagicMock()
    controller = SparkController(display)
    endpoint = Endpoint(fake_livy.url + "/", None)  # auth "None", as initialize_auth gives
    props = sm_conf.get_session_properties("python")

    controller.add_session("s", endpoint, False, props)
    data = read(st.path)
    assert (data["livy_url"], data["session_id"]) == (fake_livy.url, 0)
    assert data["kernel_id"] == "kern-9"

    # %%configure -f: sparkmagic deletes the session and creates a new one
    controller.delete_session_by_name("s")
    assert not st.path.exists()
    controller.add_session("s", endpoint, False, props)
    assert read(st.path)["session_id"] == 1

    # a second named session of the same kernel
    controller.add_session("t", endpoint, False, props)
    assert [x["session_id"] for x in read(st.path)["sessions"]] == [1, 2]

    # cleanup of sessions this kernel did not create leaves the record alone
    controller.cleanup()
    assert not st.path.exists()
    # the user's handler saw every event, ours included
    names = {dict(ev).get("EventName") for h in RecordingHandler.instances for ev in h.events}
    assert {"notebookSessionCreationEnd", "notebookSessionDeletionEnd"} <= names

    index = KernelSessionIndex(st.directory)
    index.refresh(None)
    assert index.lookup(fake_livy.url, 1) is None


def test_a_starting_session_is_recorded_while_sparkmagic_waits_for_it(
    chain_module, sm_conf, fake_livy, tmp_path, monkeypatch
):
    """sparkmagic shows "Starting Spark application" until the session is idle (minutes when
    the endpoint has no room for its driver): the record names it from the start, so the
    notebook's hint can say why; a session that never starts leaves no record."""
    from sparkmagic.livyclientlib.endpoint import Endpoint
    from sparkmagic.livyclientlib.sparkcontroller import SparkController

    st = KernelState("kern-5", "/w/b.ipynb", directory=tmp_path / "k", register_atexit=False)
    monkeypatch.setattr(kernel_record, "_STATE", st)
    monkeypatch.setattr("sparkmagic.livyclientlib.command.FloatProgress", mock.MagicMock())
    controller = SparkController(mock.MagicMock())
    endpoint = Endpoint(fake_livy.url + "/", None)
    props = sm_conf.get_session_properties("python")
    fake_livy.hold_starting = True
    starting = threading.Thread(target=controller.add_session, args=("s", endpoint, False, props))
    starting.start()
    try:
        deadline = time.monotonic() + 10
        while not st.path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert read(st.path)["session_id"] == 0
        assert fake_livy.sessions[0]["state"] == "starting"  # still waiting for it
    finally:
        fake_livy.hold_starting = False
        starting.join(30)
    assert not starting.is_alive() and read(st.path)["session_id"] == 0

    from sparkmagic.livyclientlib.exceptions import LivyUnexpectedStatusException

    fake_livy.started_state = "dead"
    with pytest.raises(LivyUnexpectedStatusException):
        controller.add_session("t", endpoint, False, props)
    assert [x["session_id"] for x in read(st.path)["sessions"]] == [0]


def test_owner_labels_in_every_session_the_kernel_creates(
    chain_module, sm_conf, fake_livy, tmp_path, monkeypatch
):
    """Opted in, the kernel labels each session's conf with its owner and notebook, also the
    one a %%configure -f cell recreates with a conf of its own (sparkmagic replaces the whole
    session config with the cell's)."""
    from sparkmagic.livyclientlib.endpoint import Endpoint
    from sparkmagic.livyclientlib.sparkcontroller import SparkController

    st = KernelState("kern-3", "team/etl.ipynb", directory=tmp_path / "k", register_atexit=False)
    monkeypatch.setattr(kernel_record, "_STATE", st)
    monkeypatch.setattr("sparkmagic.livyclientlib.command.FloatProgress", mock.MagicMock())
    sm_conf.override(labels.CONFIG_KEY, labels.settings_for("alice@nb-1", notebook=True))
    controller = SparkController(mock.MagicMock())
    endpoint = Endpoint(fake_livy.url + "/", None)

    controller.add_session("s", endpoint, False, sm_conf.get_session_properties("python"))
    advised = {"kind": "pyspark", "conf": {"spark.dynamicAllocation.maxExecutors": "2"}}
    controller.delete_session_by_name("s")
    controller.add_session("s", endpoint, False, advised)
    first, second = (fake_livy.sessions.get(i) for i in (0, 1))
    assert first is None  # deleted by the %%configure -f
    assert second["conf"] == {
        "spark.dynamicAllocation.maxExecutors": "2",
        labels.OWNER_KEY: "alice@nb-1",
        labels.NOTEBOOK_KEY: "team/etl.ipynb",
    }
    # Without the notebook opt-in, only the owner; a label the cell sets itself wins.
    sm_conf.override(labels.CONFIG_KEY, labels.settings_for("alice@nb-1", notebook=False))
    own = {"kind": "pyspark", "conf": {labels.OWNER_KEY: "data-team"}}
    controller.add_session("t", endpoint, False, own)
    assert fake_livy.sessions[2]["conf"] == {labels.OWNER_KEY: "data-team"}
    controller.cleanup()


def test_no_labels_unless_opted_in(chain_module, sm_conf, fake_livy, tmp_path, monkeypatch):
    from sparkmagic.livyclientlib.endpoint import Endpoint
    from sparkmagic.livyclientlib.sparkcontroller import SparkController

    st = KernelState("kern-4", "etl.ipynb", directory=tmp_path / "k", register_atexit=False)
    monkeypatch.setattr(kernel_record, "_STATE", st)
    monkeypatch.setattr("sparkmagic.livyclientlib.command.FloatProgress", mock.MagicMock())
    controller = SparkController(mock.MagicMock())
    controller.add_session("s", Endpoint(fake_livy.url + "/", None), False, {"kind": "pyspark"})
    assert fake_livy.sessions[0]["conf"] == {}
    controller.cleanup()


# --------------------------------------------------------------------------- real kernel


def _write_config(conf_dir: Path, livy_url: str):
    from glue_sessions.kernel.sparkmagic_config import configure_sparkmagic

    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "config.json").write_text(
        json.dumps(
            {
                "kernel_python_credentials": {
                    "username": "",
                    "password": "",
                    "url": livy_url,
                    "auth": "None",
                },
                "logging_config": NULL_LOGGING,
                "livy_server_heartbeat_timeout_seconds": 0,
            }
        )
    )
    configure_sparkmagic(conf_dir / "config.json")


def _run(client, code, timeout=120):
    reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply


@pytest.mark.timeout(300)
def test_real_sparkmagic_kernel(fake_livy, tmp_path, monkeypatch):
    """A real sparkmagic PySpark kernel process, started the way jupyter_server starts it
    (connection file kernel-<id>.json in the runtime dir, JPY_SESSION_NAME in its env)."""
    pytest.importorskip("sparkmagic.kernels.pysparkkernel.pysparkkernel")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.multikernelmanager import MultiKernelManager

    runtime = tmp_path / "runtime"
    runtime.mkdir()
    conf_dir = tmp_path / "sparkmagic"
    _write_config(conf_dir, fake_livy.url)
    write_pyspark_kernelspec(tmp_path, "gs-pyspark", "PySpark (test)")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(conf_dir))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    nb = str(tmp_path / "work" / "etl.ipynb")
    import glue_sessions

    src = str(Path(glue_sessions.__file__).resolve().parent.parent)  # in case not installed
    pythonpath = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "JPY_SESSION_NAME": nb, "PYTHONPATH": pythonpath}

    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    mkm = MultiKernelManager(kernel_spec_manager=ksm, connection_dir=str(runtime))
    kid = mkm.start_kernel(kernel_name="gs-pyspark", env=env)
    record = runtime / "glue-sessions" / "kernels" / f"{kid}.json"
    client = mkm.get_kernel(kid).client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        _run(client, "1 + 1")
        data = read(record)
        assert data["kernel_id"] == kid
        assert data["notebook_path"] == nb
        assert (data["livy_url"], data["session_id"]) == (fake_livy.url, 0)
        assert data["pid"] != os.getpid()

        index = KernelSessionIndex(record.parent, root_dir=str(tmp_path))
        index.refresh({kid})
        assert index.lookup(fake_livy.url + "/", 0) == {"path": "work/etl.ipynb", "kernel_id": kid}

        _run(client, '%%configure -f\n{"conf": {"spark.dynamicAllocation.maxExecutors": "2"}}')
        data = read(record)
        assert [x["session_id"] for x in data["sessions"]] == [1]
        assert ("DELETE", "/sessions/0") in fake_livy.requests
    finally:
        client.stop_channels()
        mkm.shutdown_kernel(kid, now=False)
    deadline = time.time() + 10
    while record.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert not record.exists()
    assert ("DELETE", "/sessions/1") in fake_livy.requests
