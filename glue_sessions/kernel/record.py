"""The record a sparkmagic kernel keeps of its Livy sessions, for the Jupyter server to read.

Owns: which kernel and notebook this process is (from its connection file and
JPY_SESSION_NAME), the live sessions it holds, and writing its record atomically to
``records_dir()/<kernel_id>.json`` (the format: glue_sessions.kernel.notebooks), removed at exit; a
record left by a dead process of the same kernel id is moved aside (its sessions are orphans).
Never: talks to sparkmagic (`kernel_hook` does) or to Livy. Runs inside the kernel process:
standard library and the light modules of this package only.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import sys
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..client.urls import strip_credentials
from .notebooks import RECORD_VERSION, records_dir

_NO_RECORD = object()  # what _recorded_pid answers when there is no record

_CONNECTION_FILE_RE = re.compile(r"^kernel-(.+)\.json$")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _connection_file() -> str | None:
    try:
        from ipykernel.connect import get_connection_file

        return get_connection_file()
    except Exception:
        pass
    argv = list(sys.argv)
    for i, arg in enumerate(argv):
        for flag in ("-f", "--f", "--connection-file", "--ConnectionFileMixin.connection_file"):
            if arg == flag and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(flag + "="):
                return arg.split("=", 1)[1]
    return None


def discover_kernel_id(connection_file: str | None = None) -> str | None:
    """Kernel id from the connection file name ``kernel-<id>.json``."""
    cf = connection_file or _connection_file()
    if not cf:
        return None
    m = _CONNECTION_FILE_RE.match(os.path.basename(cf))
    return m.group(1) if m else None


def discover_notebook_path(connection_file: str | None = None) -> str | None:
    """Notebook path: JPY_SESSION_NAME (jupyter_server 2) or the connection file's
    ``jupyter_session`` (jupyter_client writes it there too)."""
    path = os.environ.get("JPY_SESSION_NAME")
    if path:
        return path
    cf = connection_file or _connection_file()
    if cf and os.path.isfile(cf):
        try:
            with open(cf, encoding="utf-8") as f:
                value = json.load(f).get("jupyter_session")
            if isinstance(value, str) and value:
                return value
        except Exception:
            pass
    return None


class KernelState:
    """The Livy sessions of this kernel process and its record file."""

    def __init__(
        self,
        kernel_id: str | None = None,
        notebook_path: str | None = None,
        directory: str | os.PathLike[str] | None = None,
        pid: int | None = None,
        register_atexit: bool = True,
    ) -> None:
        self.kernel_id = kernel_id
        self.notebook_path = notebook_path
        self.pid = pid if pid is not None else os.getpid()
        self.directory = Path(directory) if directory is not None else records_dir()
        self.sessions: list[dict[str, Any]] = []
        self.guid_urls: dict[str, str] = {}
        self._lock = threading.RLock()
        self._closed = False
        self._register_atexit = register_atexit
        self._atexit_registered = False
        self._remove_stale()

    @classmethod
    def discover(cls) -> KernelState:
        cf = _connection_file()
        return cls(discover_kernel_id(cf), discover_notebook_path(cf))

    @property
    def path(self) -> Path:
        name = self.kernel_id if self.kernel_id else f"pid-{self.pid}"
        return self.directory / f"{name}.json"

    def add(
        self, livy_url: str | None, session_id: int, kind: str | None, guid: str | None
    ) -> None:
        with self._lock:
            url = strip_credentials(livy_url)
            self.sessions = [
                s
                for s in self.sessions
                if not (s["session_id"] == session_id and s["livy_url"] == url)
                and not (guid and s.get("guid") == guid)
            ]
            self.sessions.append(
                {
                    "livy_url": url,
                    "session_id": session_id,
                    "kind": kind,
                    "guid": guid,
                    "created_at": _now(),
                }
            )
            self._write()

    def remove(self, livy_url: str | None, session_id: int, guid: str | None = None) -> None:
        with self._lock:
            url = strip_credentials(livy_url)

            def same(s: dict[str, Any]) -> bool:
                if s["session_id"] != session_id:
                    return False
                if url is None or s["livy_url"] is None:
                    return True
                return bool(s["livy_url"] == url)

            kept = [s for s in self.sessions if not same(s)]
            if len(kept) != len(self.sessions):
                self.sessions = kept
                self._write()

    def record(self) -> dict[str, Any] | None:
        with self._lock:
            if not self.sessions:
                return None
            newest = self.sessions[-1]
            return {
                "version": RECORD_VERSION,
                "kernel_id": self.kernel_id,
                "notebook_path": self.notebook_path,
                "livy_url": newest["livy_url"],
                "session_id": newest["session_id"],
                "pid": self.pid,
                "created_at": newest["created_at"],
                "updated_at": _now(),
                "sessions": [dict(s) for s in self.sessions],
            }

    def close(self) -> None:
        """Kernel exit: remove the record (if it is still ours) and stop writing."""
        with self._lock:
            self._closed = True
            self._unlink_if_ours()

    def _write(self) -> None:
        if self._closed:
            return
        record = self.record()
        if record is None:
            self._unlink_if_ours()
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(record, f, indent=1, default=str)
                f.write("\n")
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if self._register_atexit and not self._atexit_registered:
            atexit.register(self.close)
            self._atexit_registered = True

    def _recorded_pid(self, unreadable: Any) -> Any:
        """The pid in the record on disk: `_NO_RECORD` when there is none, `unreadable` when
        it cannot be read."""
        try:
            with open(self.path, encoding="utf-8") as f:
                return json.load(f).get("pid")
        except FileNotFoundError:
            return _NO_RECORD
        except Exception:
            return unreadable

    def _unlink_if_ours(self) -> None:
        pid = self._recorded_pid(unreadable=self.pid)  # unreadable: it was ours to write
        if pid is not _NO_RECORD and pid == self.pid:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def _remove_stale(self) -> None:
        """A previous process of the same kernel id (restart after a hard kill) may have
        left its record behind: if that process is gone, its record moves aside, where the
        server still finds its sessions (orphans now) until Livy no longer lists them."""
        from .notebooks import pid_alive

        pid = self._recorded_pid(unreadable=None)
        if pid is not _NO_RECORD and pid != self.pid and not pid_alive(pid):
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_name(f"{self.path.stem}.pid-{pid}.json"))


_STATE: KernelState | None = None
_STATE_LOCK = threading.Lock()


def kernel_state() -> KernelState:
    """The process-wide state (created on first use)."""
    global _STATE
    with _STATE_LOCK:
        if _STATE is None:
            _STATE = KernelState.discover()
        return _STATE
