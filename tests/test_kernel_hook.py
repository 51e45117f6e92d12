"""The kernel-side recorder (glue_sessions.kernel_hook), driven with sparkmagic's session
events as sparkmagic emits them: the record it writes per kernel (credentials stripped, several
sessions, %%configure -f, deletions, failures ignored, never raising), its removal when the
kernel closes or exits, a stale record of a dead process moved aside for the server's orphan
index, and how the kernel finds its id and notebook. No network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
import uuid
from pathlib import Path

import pytest
from kernel_events import NULL_LOGGING, FakeSession, creation_end, deletion_end, kernel_state, read

from glue_sessions import kernel_hook
from glue_sessions.kernel import record as kernel_record
from glue_sessions.kernel.notebooks import KernelSessionIndex
from glue_sessions.kernel.record import KernelState, discover_kernel_id, discover_notebook_path
from glue_sessions.kernel_hook import HANDLER_CLASS, KernelSessionRecorder


@pytest.fixture
def state(tmp_path):
    return kernel_state(tmp_path)


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
