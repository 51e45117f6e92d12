"""The kernel-side recorder, driven as sparkmagic drives it (no network: loopback only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import types
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from kernelspecs import write_pyspark_kernelspec

from glue_sessions import kernel_hook
from glue_sessions.kernel import labels
from glue_sessions.kernel import record as kernel_record
from glue_sessions.kernel.notebooks import KernelSessionIndex
from glue_sessions.kernel.record import KernelState, discover_kernel_id, discover_notebook_path
from glue_sessions.kernel_hook import CHAIN_KEY, HANDLER_CLASS, KernelSessionRecorder

NULL_LOGGING = {
    "version": 1,
    "handlers": {"magicsHandler": {"class": "logging.NullHandler"}},
    "loggers": {"magicsLogger": {"handlers": ["magicsHandler"], "level": "DEBUG", "propagate": 0}},
}


# --------------------------------------------------------------------------- helpers


def creation_end(guid, session_id, success=True, kind="pyspark"):
    """kwargs_list exactly as sparkmagic's SparkEvents.emit_session_creation_end_event
    builds it (sparkmagic/utils/sparkevents.py + hdijupyterutils/events.py)."""
    return [
        ("InstanceId", "iid"),
        ("EventName", "notebookSessionCreationEnd"),
        ("Timestamp", "2024-01-01 00:00:00"),
        ("SessionGuid", guid),
        ("LivyKind", kind),
        ("SessionId", session_id),
        ("Status", "idle" if success else "error"),
        ("Success", success),
        ("ExceptionType", "" if success else "LivyClientTimeoutException"),
        ("ExceptionMessage", ""),
    ]


def deletion_end(guid, session_id, success=True, kind="pyspark"):
    return [
        ("InstanceId", "iid"),
        ("EventName", "notebookSessionDeletionEnd"),
        ("Timestamp", "2024-01-01 00:00:00"),
        ("SessionGuid", guid),
        ("LivyKind", kind),
        ("SessionId", session_id),
        ("Status", "dead"),
        ("Success", success),
        ("ExceptionType", ""),
        ("ExceptionMessage", ""),
    ]


class FakeSession:
    """Stands in for sparkmagic's LivySession on the call stack (guid + endpoint.url)."""

    def __init__(self, guid, url):
        self.guid = guid
        self.endpoint = types.SimpleNamespace(url=url)

    def emit(self, handler, kwargs_list):
        handler.handle_event(kwargs_list)


def read(path: Path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def state(tmp_path):
    return KernelState(
        kernel_id="k-1",
        notebook_path="/home/u/work/etl.ipynb",
        directory=tmp_path / "kernels",
        register_atexit=False,
    )


@pytest.fixture
def rec(state):
    return KernelSessionRecorder("magicsLogger", NULL_LOGGING, state=state, chained=None)


# --------------------------------------------------------------------------- unit


def test_creation_writes_record(rec, state):
    s = FakeSession("g1", "http://livy.example:8998")
    s.emit(rec, creation_end("g1", 3))
    data = read(state.path)
    assert state.path.name == "k-1.json"
    assert data["kernel_id"] == "k-1"
    assert data["notebook_path"] == "/home/u/work/etl.ipynb"
    assert data["livy_url"] == "http://livy.example:8998"
    assert data["session_id"] == 3
    assert data["pid"] == os.getpid()
    assert data["created_at"] and data["updated_at"]
    assert [(x["livy_url"], x["session_id"]) for x in data["sessions"]] == [
        ("http://livy.example:8998", 3)
    ]
    # no temporary files left behind
    assert sorted(p.name for p in state.directory.iterdir()) == ["k-1.json"]


def test_credentials_are_stripped(rec, state):
    FakeSession("g1", "https://bob:s3cret@livy.example:8998/livy").emit(rec, creation_end("g1", 1))
    text = state.path.read_text()
    assert "s3cret" not in text and "bob" not in text
    assert read(state.path)["livy_url"] == "https://livy.example:8998/livy"


def test_configure_f_follows_and_deletion_removes(rec, state):
    url = "http://livy:8998"
    FakeSession("g1", url).emit(rec, creation_end("g1", 0))
    # %%configure -f: delete then create anew
    FakeSession("g1", url).emit(rec, deletion_end("g1", 0))
    assert not state.path.exists()
    FakeSession("g2", url).emit(rec, creation_end("g2", 1))
    data = read(state.path)
    assert data["session_id"] == 1
    assert [x["session_id"] for x in data["sessions"]] == [1]


def test_several_sessions(rec, state):
    FakeSession("g1", "http://a:8998").emit(rec, creation_end("g1", 0))
    FakeSession("g2", "http://b:8998").emit(rec, creation_end("g2", 0, kind="spark"))
    data = read(state.path)
    assert data["livy_url"] == "http://b:8998" and data["session_id"] == 0
    assert [(x["livy_url"], x["kind"]) for x in data["sessions"]] == [
        ("http://a:8998", "pyspark"),
        ("http://b:8998", "spark"),
    ]
    # deleting session 0 of endpoint b keeps session 0 of endpoint a
    FakeSession("g2", "http://b:8998").emit(rec, deletion_end("g2", 0, kind="spark"))
    data = read(state.path)
    assert [(x["livy_url"], x["session_id"]) for x in data["sessions"]] == [("http://a:8998", 0)]
    assert data["livy_url"] == "http://a:8998"


def test_uuid_guids_as_sparkmagic_sends_them(rec, state):
    guid = uuid.uuid4()  # LivySession.guid is a uuid.UUID (hdijupyterutils/guid.py)
    FakeSession(guid, "http://livy:8998").emit(rec, creation_end(guid, 5))
    data = read(state.path)
    assert data["sessions"][0]["guid"] == str(guid)
    assert data["livy_url"] == "http://livy:8998"
    FakeSession(guid, "http://livy:8998").emit(rec, deletion_end(guid, 5))
    assert not state.path.exists()


def test_deletion_of_foreign_session_is_ignored(rec, state):
    FakeSession("g1", "http://livy:8998").emit(rec, creation_end("g1", 0))
    before = state.path.read_text()
    # %spark cleanup / delete -s 7: a session of another notebook
    FakeSession("gx", "http://livy:8998").emit(rec, deletion_end("gx", 7))
    assert state.path.read_text() == before


def test_failures_and_other_events_are_ignored(rec, state):
    s = FakeSession("g1", "http://livy:8998")
    s.emit(rec, creation_end("g1", 4, success=False))
    s.emit(rec, creation_end("g1", -1, success=True))
    s.emit(rec, [("EventName", "notebookStatementExecutionStart"), ("SessionId", 4)])
    s.emit(rec, [("EventName", "notebookLoaded")])
    s.emit(rec, None)
    s.emit(rec, [("garbage",)])
    assert not state.path.exists()
    s.emit(rec, creation_end("g1", 4))
    s.emit(rec, deletion_end("g1", 4, success=False))  # delete failed: session still there
    assert read(state.path)["session_id"] == 4


def test_url_remembered_from_creation_start(rec, state):
    s = FakeSession("g1", "http://livy:8998")
    s.emit(
        rec,
        [
            ("EventName", "notebookSessionCreationStart"),
            ("SessionGuid", "g1"),
            ("LivyKind", "pyspark"),
        ],
    )
    rec.handle_event(creation_end("g1", 2))  # no LivySession on the stack this time
    assert read(state.path)["livy_url"] == "http://livy:8998"


def test_url_falls_back_to_configured_credentials(rec, state, monkeypatch):
    fake_conf = types.SimpleNamespace(
        d={},
        events_handler_class=lambda: HANDLER_CLASS,
        base64_kernel_python_credentials=lambda: {"url": "http://conf-livy:8998/"},
    )
    monkeypatch.setattr(kernel_hook, "_sparkmagic_conf", lambda: fake_conf)
    rec.handle_event(creation_end("g9", 5))
    assert read(state.path)["livy_url"] == "http://conf-livy:8998"


def test_never_raises(tmp_path, caplog):
    import logging.config

    logging.config.dictConfig(NULL_LOGGING)  # what sparkmagic's SparkLog does in the kernel
    blocker = tmp_path / "file"
    blocker.write_text("x")
    st = KernelState("k", None, directory=blocker / "kernels", register_atexit=False)
    rec = KernelSessionRecorder(state=st, chained=None)
    FakeSession("g", "http://l:8998").emit(rec, creation_end("g", 1))  # mkdir fails
    assert "failed to record" in caplog.text


def test_close_removes_and_stops_writing(rec, state):
    s = FakeSession("g1", "http://livy:8998")
    s.emit(rec, creation_end("g1", 1))
    s.emit(rec, creation_end("g1", 2))
    state.close()
    assert not state.path.exists()
    # sparkmagic's own atexit cleanup may delete sessions after ours ran
    s.emit(rec, deletion_end("g1", 1))
    assert not state.path.exists()


def test_close_leaves_a_record_of_another_process(rec, state):
    FakeSession("g1", "http://livy:8998").emit(rec, creation_end("g1", 1))
    data = read(state.path)
    data["pid"] = data["pid"] + 1
    state.path.write_text(json.dumps(data))
    state.close()
    assert state.path.exists()


def test_stale_record_of_dead_previous_process_moves_aside(tmp_path):
    d = tmp_path / "kernels"
    d.mkdir()
    dead = 2**22 + 12345
    stale = {"kernel_id": "k-1", "pid": dead, "session_id": 4, "livy_url": "http://livy:8998"}
    (d / "k-1.json").write_text(json.dumps(stale))
    KernelState("k-1", None, directory=d, register_atexit=False)
    assert not (d / "k-1.json").exists()
    # Its session is an orphan now: the server finds it there.
    assert read(d / f"k-1.pid-{dead}.json") == stale
    index = KernelSessionIndex(d)
    index.refresh({"k-1"})
    assert index.orphan_lookup("http://livy:8998", 4)["kernel_id"] == "k-1"


def test_record_removed_at_process_exit(tmp_path):
    import glue_sessions

    src = str(Path(glue_sessions.__file__).resolve().parent.parent)
    code = (
        "import sys, os; sys.path.insert(0, sys.argv[1]);"
        "from glue_sessions.kernel.record import KernelState;"
        "st = KernelState('kx', None, directory=sys.argv[2]);"
        "st.add('http://l:8998', 1, 'pyspark', 'g');"
        "assert os.path.exists(st.path); print(st.path)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, src, str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert out.endswith("kx.json")
    assert not (tmp_path / "kx.json").exists()


def test_atexit_registered_once(tmp_path, monkeypatch):
    registered = []
    monkeypatch.setattr(kernel_record.atexit, "register", registered.append)
    st = KernelState("k", None, directory=tmp_path)
    rec = KernelSessionRecorder(state=st, chained=None)
    FakeSession("g", "http://l:8998").emit(rec, creation_end("g", 1))
    FakeSession("h", "http://l:8998").emit(rec, creation_end("h", 2))
    assert registered == [st.close]


def test_index_reads_what_the_hook_writes(rec, state):
    FakeSession("g1", "http://LIVY:8998/").emit(rec, creation_end("g1", 3))
    index = KernelSessionIndex(state.directory, root_dir="/home/u")
    index.refresh({"k-1"})
    assert index.lookup("http://livy:8998", 3) == {"path": "work/etl.ipynb", "kernel_id": "k-1"}


# --------------------------------------------------------------------------- discovery


def test_kernel_id_from_connection_file(monkeypatch, tmp_path):
    assert discover_kernel_id("/run/jupyter/kernel-0a1b-2c.json") == "0a1b-2c"
    assert discover_kernel_id("/tmp/other.json") is None
    cf = tmp_path / "kernel-abc-123.json"
    cf.write_text(json.dumps({"jupyter_session": "/nb/x.ipynb"}))
    monkeypatch.setattr(sys, "argv", ["pysparkkernel.py", "-f", str(cf)])
    assert discover_kernel_id() == "abc-123"
    monkeypatch.setattr(sys, "argv", ["k", f"--f={cf}"])
    assert discover_kernel_id() == "abc-123"
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert discover_notebook_path() == "/nb/x.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", "/nb/y.ipynb")
    assert discover_notebook_path() == "/nb/y.ipynb"


# --------------------------------------------------------------------------- chaining


class RecordingHandler:
    instances: list[RecordingHandler] = []

    def __init__(self, logger_name, logging_config):
        self.args = (logger_name, logging_config)
        self.events = []
        RecordingHandler.instances.append(self)

    def handle_event(self, kwargs_list):
        self.events.append(kwargs_list)


class FailingHandler(RecordingHandler):
    def handle_event(self, kwargs_list):
        raise RuntimeError("user handler bug")


@pytest.fixture
def chain_module(monkeypatch):
    mod = types.ModuleType("gs_test_chain")
    mod.RecordingHandler = RecordingHandler
    mod.FailingHandler = FailingHandler
    monkeypatch.setitem(sys.modules, "gs_test_chain", mod)
    RecordingHandler.instances.clear()
    return mod


def fake_conf(d):
    return types.SimpleNamespace(d=d, events_handler_class=lambda: HANDLER_CLASS)


def test_chains_to_previous_handler(chain_module, monkeypatch, state):
    monkeypatch.setattr(
        kernel_hook,
        "_sparkmagic_conf",
        lambda: fake_conf({CHAIN_KEY: "gs_test_chain.RecordingHandler"}),
    )
    rec = KernelSessionRecorder("magicsLogger", NULL_LOGGING, state=state)
    (inner,) = RecordingHandler.instances
    assert rec.chained is inner and inner.args == ("magicsLogger", NULL_LOGGING)
    ev = creation_end("g", 1)
    FakeSession("g", "http://l:8998").emit(rec, ev)
    other = [("EventName", "notebookLoaded")]
    rec.handle_event(other)
    assert inner.events == [ev, other]
    assert read(state.path)["session_id"] == 1


def test_failing_chained_handler_is_contained(chain_module, monkeypatch, state, caplog):
    monkeypatch.setattr(
        kernel_hook,
        "_sparkmagic_conf",
        lambda: fake_conf({CHAIN_KEY: "gs_test_chain.FailingHandler"}),
    )
    rec = KernelSessionRecorder("magicsLogger", NULL_LOGGING, state=state)
    FakeSession("g", "http://l:8998").emit(rec, creation_end("g", 1))
    assert read(state.path)["session_id"] == 1
    assert "chained events handler failed" in caplog.text


@pytest.mark.parametrize(
    "configured", [None, "", HANDLER_CLASS, "no_such_module_gs.Handler", "gs_test_chain.Nope"]
)
def test_default_or_broken_chain(chain_module, monkeypatch, state, configured):
    d = {} if configured is None else {CHAIN_KEY: configured}
    monkeypatch.setattr(kernel_hook, "_sparkmagic_conf", lambda: fake_conf(d))
    rec = KernelSessionRecorder("magicsLogger", NULL_LOGGING, state=state)
    if configured in (None, "", HANDLER_CLASS):
        # sparkmagic's own default keeps working (hdijupyterutils EventsHandler), no recursion
        pytest.importorskip("hdijupyterutils")
        assert type(rec.chained).__name__ == "EventsHandler"
    else:
        assert rec.chained is None
    FakeSession("g", "http://l:8998").emit(rec, creation_end("g", 1))
    assert read(state.path)["session_id"] == 1


# --------------------------------------------------------------------------- real sparkmagic


class FakeLivy:
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

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, body=None):
                data = json.dumps(body if body is not None else {}).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(n) or b"{}")

            def do_GET(self):
                livy.requests.append(("GET", self.path))
                parts = self.path.split("?")[0].strip("/").split("/")
                with livy.lock:
                    if parts == ["sessions"]:
                        return self._send(200, {"sessions": list(livy.sessions.values())})
                    if len(parts) >= 2 and parts[0] == "sessions":
                        s = livy.sessions.get(int(parts[1]))
                        if s is None:
                            return self._send(404, {"msg": "not found"})
                        if s["state"] == "starting" and not livy.hold_starting:
                            s["state"] = livy.started_state
                        if len(parts) == 2:
                            return self._send(200, s)
                        if parts[2] == "log":
                            return self._send(200, {"log": []})
                        if parts[2] == "statements" and len(parts) == 4:
                            return self._send(
                                200,
                                {
                                    "id": int(parts[3]),
                                    "state": "available",
                                    "output": {"status": "ok", "data": {"text/plain": "ok"}},
                                },
                            )
                self._send(404, {})

            def do_POST(self):
                livy.requests.append(("POST", self.path))
                body = self._body()
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
                        return self._send(201, s)
                    if len(parts) == 3 and parts[2] == "statements":
                        return self._send(201, {"id": 0, "state": "waiting"})
                self._send(404, {})

            def do_DELETE(self):
                livy.requests.append(("DELETE", self.path))
                parts = self.path.strip("/").split("/")
                with livy.lock:
                    if livy.sessions.pop(int(parts[1]), None) is None:
                        return self._send(404, {})
                self._send(200, {"msg": "deleted"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


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
