"""Server-side index of the kernel records."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from glue_sessions.client.urls import normalize_livy_url, strip_credentials
from glue_sessions.kernel.notebooks import KernelSessionIndex, pid_alive, records_dir


def write(d, name, **rec):
    d.mkdir(parents=True, exist_ok=True)
    base = {
        "version": 1,
        "kernel_id": name,
        "notebook_path": f"/srv/nb/{name}.ipynb",
        "livy_url": "http://livy:8998",
        "session_id": 0,
        "pid": os.getpid(),
        "created_at": "2024-01-01T00:00:00+00:00",
        "updated_at": "2024-01-01T00:00:00+00:00",
    }
    base.update(rec)
    if "sessions" not in rec:
        base["sessions"] = [{"livy_url": base["livy_url"], "session_id": base["session_id"]}]
    p = d / f"{name}.json"
    p.write_text(json.dumps(base))
    return p


@pytest.fixture
def d(tmp_path):
    return tmp_path / "kernels"


def dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_records_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "rt"))
    assert records_dir() == tmp_path / "rt" / "glue-sessions" / "kernels"
    assert records_dir(tmp_path) == tmp_path / "glue-sessions" / "kernels"


@pytest.mark.parametrize(
    "a,b",
    [
        ("http://livy:8998/", "http://livy:8998"),
        ("HTTP://Livy:8998//", "http://livy:8998"),
        ("http://livy:80/", "http://livy"),
        ("https://livy:443/base/", "https://livy/base"),
        ("http://u:p@livy:8998", "http://livy:8998"),
        ("livy:8998", "http://livy:8998"),
    ],
)
def test_normalize(a, b):
    assert normalize_livy_url(a) == normalize_livy_url(b) == b


def test_localhost_and_loopback_stay_distinct():
    assert normalize_livy_url("http://localhost:8998") != normalize_livy_url(
        "http://127.0.0.1:8998"
    )


def test_strip_credentials():
    assert strip_credentials("https://u:p@h:1/x?q=1") == "https://h:1/x?q=1"
    assert strip_credentials("http://h:1") == "http://h:1"
    assert strip_credentials(None) is None


def test_lookup(d):
    write(d, "k1", livy_url="http://LIVY:8998/", session_id=3)
    write(
        d,
        "k2",
        livy_url="http://livy:8998",
        session_id=5,
        sessions=[
            {"livy_url": "http://livy:8998", "session_id": 4},
            {"livy_url": "http://livy:8998", "session_id": 5},
        ],
    )
    idx = KernelSessionIndex(d)
    idx.refresh({"k1", "k2"})
    assert idx.lookup("http://livy:8998", 3) == {"path": "/srv/nb/k1.ipynb", "kernel_id": "k1"}
    assert idx.lookup("http://livy:8998/", "4")["kernel_id"] == "k2"
    assert idx.lookup("http://livy:8998", 5)["kernel_id"] == "k2"
    assert idx.lookup("http://livy:8998", 6) is None
    assert idx.lookup("http://other:8998", 3) is None
    assert idx.lookup("http://livy:8998", "x") is None
    assert [s["session_id"] for s in idx.sessions_of_kernel("k2")] == [4, 5]
    assert idx.sessions_of_kernel("nope") == []
    assert {r["kernel_id"] for r in idx.records()} == {"k1", "k2"}


def test_api_path_relative_to_root(d, tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    write(d, "k1", notebook_path=str(root / "sub" / "a.ipynb"))
    write(d, "k2", notebook_path="/elsewhere/b.ipynb", session_id=1)
    write(d, "k3", notebook_path="rel/c.ipynb", session_id=2)
    write(d, "k4", notebook_path=None, session_id=3)
    idx = KernelSessionIndex(d, root_dir=root)
    idx.refresh(None)
    assert idx.lookup("http://livy:8998", 0)["path"] == "sub/a.ipynb"
    assert idx.lookup("http://livy:8998", 1)["path"] == "/elsewhere/b.ipynb"
    assert idx.lookup("http://livy:8998", 2)["path"] == "rel/c.ipynb"
    assert idx.lookup("http://livy:8998", 3) == {"path": None, "kernel_id": "k4"}


def test_kernel_gone_and_dead_pid(d):
    write(d, "live", session_id=1)
    write(d, "gone", session_id=2)
    write(d, "dead", session_id=3, pid=dead_pid())
    idx = KernelSessionIndex(d)
    idx.refresh({"live", "dead"})
    assert idx.lookup("http://livy:8998", 1)["kernel_id"] == "live"
    assert idx.lookup("http://livy:8998", 2) is None  # kernel not live on this server
    assert idx.lookup("http://livy:8998", 3) is None  # kernel process died without atexit
    idx.refresh(None)  # no kernel filter: only the pid check applies
    assert idx.lookup("http://livy:8998", 2)["kernel_id"] == "gone"
    assert idx.lookup("http://livy:8998", 3) is None
    assert not pid_alive(None) and not pid_alive("x") and not pid_alive(-1)
    assert pid_alive(os.getpid())


def test_malformed_and_partial_files_are_ignored(d):
    write(d, "good", session_id=1)
    d.joinpath("partial.json").write_text('{"kernel_id": "partial", "sessi')
    d.joinpath("list.json").write_text("[1, 2]")
    d.joinpath("nosession.json").write_text('{"kernel_id": "x", "pid": 1}')
    d.joinpath("badid.json").write_text(json.dumps({"kernel_id": "y", "session_id": "abc"}))
    d.joinpath("binary.json").write_bytes(b"\xff\xfe\x00")
    d.joinpath(".good.json.123.tmp").write_text("{}")
    d.joinpath("notes.txt").write_text("hello")
    d.joinpath("adir.json").mkdir()
    idx = KernelSessionIndex(d)
    idx.refresh(None)
    assert idx.lookup("http://livy:8998", 1)["kernel_id"] == "good"
    assert [r["kernel_id"] for r in idx.records()] == ["good"]


def test_mtime_caching(d):
    p = write(d, "k1", session_id=1)
    write(d, "k2", session_id=2)
    d.joinpath("bad.json").write_text("{")
    idx = KernelSessionIndex(d)
    idx.refresh(None)
    assert idx.parse_count == 3
    idx.refresh(None)
    idx.refresh({"k1"})
    assert idx.parse_count == 3  # nothing changed: nothing re-parsed
    assert idx.lookup("http://livy:8998", 2) is None
    # the kernel rewrites its record (atomic replace): only that file is parsed again
    tmp = d / ".k1.tmp"
    tmp.write_text(
        json.dumps(
            {
                "kernel_id": "k1",
                "notebook_path": "/srv/nb/k1.ipynb",
                "livy_url": "http://livy:8998",
                "session_id": 7,
                "pid": os.getpid(),
                "updated_at": "2024-01-02T00:00:00+00:00",
            }
        )
    )
    os.replace(tmp, p)
    idx.refresh(None)
    assert idx.parse_count == 4
    assert idx.lookup("http://livy:8998", 1) is None
    assert idx.lookup("http://livy:8998", 7)["kernel_id"] == "k1"
    # a removed record disappears
    p.unlink()
    idx.refresh(None)
    assert idx.lookup("http://livy:8998", 7) is None
    assert idx.parse_count == 4


def test_missing_directory(tmp_path):
    idx = KernelSessionIndex(tmp_path / "nope")
    idx.refresh(set())
    assert idx.lookup("http://livy:8998", 0) is None
    assert idx.records() == []


def test_newest_record_wins_a_collision(d):
    # e.g. Livy restarted and reused id 0; an old kernel still claims it
    write(d, "old", session_id=0, updated_at="2024-01-01T00:00:00+00:00")
    write(d, "new", session_id=0, updated_at="2024-03-01T00:00:00+00:00")
    idx = KernelSessionIndex(d)
    idx.refresh(None)
    assert idx.lookup("http://livy:8998", 0)["kernel_id"] == "new"


def test_default_directory_follows_runtime_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "rt"))
    write(records_dir(), "k1", session_id=9)
    idx = KernelSessionIndex()
    idx.refresh({"k1"})
    assert idx.lookup("http://livy:8998", 9)["kernel_id"] == "k1"


def test_sessions_of_gone_kernels_are_orphans_until_livy_forgets_them(d):
    write(d, "live", session_id=1)
    write(d, "dead", session_id=2, pid=dead_pid())  # died without atexit
    write(d, "other", session_id=3)  # alive, but this server was restarted without it
    idx = KernelSessionIndex(d)
    idx.refresh({"live", "dead"})
    assert idx.lookup("http://livy:8998", 2) is None
    dead = idx.orphan_lookup("http://livy:8998", 2)
    assert dead == {"path": "/srv/nb/dead.ipynb", "kernel_id": "dead"}
    assert idx.orphan_lookup("http://livy:8998", 3)["kernel_id"] == "other"
    assert idx.orphan_lookup("http://livy:8998", 1) is None  # its kernel runs it
    # Livy still lists session 2, no longer 3: only the record of 3 goes.
    idx.prune("http://livy:8998", {1, 2})
    assert (d / "dead.json").exists() and not (d / "other.json").exists()
    assert (d / "live.json").exists()
