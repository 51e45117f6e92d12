"""Which kernel of this Jupyter server created which Livy session.

Each sparkmagic kernel runs :class:`glue_sessions.kernel_hook.KernelSessionRecorder` as its
sparkmagic ``events_handler_class``. The recorder writes one JSON record per kernel to
:func:`records_dir` (``<jupyter runtime dir>/glue-sessions/kernels/<kernel_id>.json``)::

    {"version": 1, "kernel_id": "...", "notebook_path": "/abs/or/api/path.ipynb" | null,
     "livy_url": "http://host:8998", "session_id": 3, "pid": 1234,
     "created_at": "2024-01-01T00:00:00+00:00", "updated_at": "...",
     "sessions": [{"livy_url": "...", "session_id": 3, "kind": "pyspark",
                   "guid": "...", "created_at": "..."}]}

``livy_url``/``session_id`` at top level are those of the newest session; ``sessions`` lists
every live session of the kernel (sparkmagic can hold several). The server side reads them
with :class:`KernelSessionIndex`.

Owns: the record format and directory, and the index from (Livy URL, session id) to a kernel's
notebook. Never: writes a record (the kernel hook does) or trusts one whose kernel is gone.
This module is imported by the kernel hook too, so it must stay light (stdlib +
jupyter_core only).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..client.urls import normalize_livy_url

log = logging.getLogger(__name__)

RECORD_VERSION = 1


def records_dir(runtime_dir: str | os.PathLike[str] | None = None) -> Path:
    """Directory holding the kernel records: ``<runtime dir>/glue-sessions/kernels``.

    The runtime dir is ``jupyter_core.paths.jupyter_runtime_dir()`` (honours
    ``JUPYTER_RUNTIME_DIR``), which kernels inherit from the server's environment.
    """
    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    return Path(runtime_dir) / "glue-sessions" / "kernels"


def pid_alive(pid: Any) -> bool:
    """True if a process with this pid exists (on this host)."""
    try:
        pid = int(pid)
    except (TypeError, ValueError):
        return False
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _session_entries(record: dict[str, Any]) -> list[tuple[str, int]]:
    """(normalized url, session id) pairs a record claims."""
    out: list[tuple[str, int]] = []
    entries = record.get("sessions")
    if not isinstance(entries, list) or not entries:
        entries = [record]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        try:
            sid = int(entry["session_id"])
        except KeyError:
            continue
        except (TypeError, ValueError):
            continue
        if sid < 0:
            continue
        out.append((normalize_livy_url(entry.get("livy_url")), sid))
    return out


def _valid_record(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("kernel_id"), (str, type(None)))
        and bool(_session_entries(data))
    )


@dataclass
class _CacheEntry:
    stamp: tuple[int, int, int]  # (mtime_ns, size, inode)
    record: dict[str, Any] | None  # None: malformed or partial


class KernelSessionIndex:
    """Server-side view of the kernel records, re-read cheaply on each poll.

    ``refresh()`` re-parses only files whose (mtime, size, inode) changed; ``lookup()`` answers
    from memory. ``root_dir`` (the server's root dir), if given, turns absolute notebook
    paths under it into API paths (relative, ``/``-separated).
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        root_dir: str | os.PathLike[str] | None = None,
        check_pids: bool = True,
    ) -> None:
        self._dir = Path(directory) if directory is not None else None
        self._root = os.path.realpath(os.path.expanduser(str(root_dir))) if root_dir else None
        self._check_pids = check_pids
        self._cache: dict[str, _CacheEntry] = {}
        self._by_session: dict[tuple[str, int], dict[str, Any]] = {}
        self._by_kernel: dict[str, dict[str, Any]] = {}
        # Sessions whose kernel no longer runs (it died, or this server restarted without it),
        # and the files of those records.
        self._orphans: dict[tuple[str, int], dict[str, Any]] = {}
        self._orphan_files: dict[str, list[tuple[str, int]]] = {}
        self.parse_count = 0  # number of file parses so far (for tests / diagnostics)

    @property
    def directory(self) -> Path:
        if self._dir is None:
            self._dir = records_dir()
        return self._dir

    def refresh(self, live_kernel_ids: set[str] | None = None) -> None:
        """Re-read the records directory.

        Records are dropped when their kernel is not in ``live_kernel_ids`` (if given) or
        when their pid is dead. Malformed or half-written files are ignored.
        """
        seen: set[str] = set()
        try:
            with os.scandir(self.directory) as it:
                entries = [e for e in it if e.name.endswith(".json") and not e.name.startswith(".")]
        except FileNotFoundError:
            entries = []
        except OSError as e:
            log.warning("glue-sessions: cannot list %s: %s", self.directory, e)
            entries = []

        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            seen.add(entry.name)
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            cached = self._cache.get(entry.name)
            if cached is not None and cached.stamp == stamp:
                continue
            self._cache[entry.name] = _CacheEntry(stamp, self._parse(entry.path))

        for name in list(self._cache):
            if name not in seen:
                del self._cache[name]

        by_session: dict[tuple[str, int], dict[str, Any]] = {}
        by_kernel: dict[str, dict[str, Any]] = {}
        orphans: dict[tuple[str, int], dict[str, Any]] = {}
        orphan_files: dict[str, list[tuple[str, int]]] = {}
        records = [(n, c.record) for n, c in self._cache.items() if c.record is not None]
        # oldest first so that the newest record wins a (url, id) collision
        records.sort(key=lambda r: str(r[1].get("updated_at") or ""))
        for name, rec in records:
            kernel_id = rec.get("kernel_id")
            answer = {"path": self._api_path(rec.get("notebook_path")), "kernel_id": kernel_id}
            gone = (live_kernel_ids is not None and kernel_id not in live_kernel_ids) or (
                self._check_pids and not pid_alive(rec.get("pid"))
            )
            if gone:
                orphan_files[name] = _session_entries(rec)
                for key in orphan_files[name]:
                    orphans[key] = answer
                continue
            for key in _session_entries(rec):
                by_session[key] = answer
            if kernel_id:
                by_kernel[kernel_id] = rec
        self._by_session = by_session
        self._by_kernel = by_kernel
        # A session a live kernel records is that kernel's, whatever an older record says.
        self._orphans = {k: v for k, v in orphans.items() if k not in by_session}
        self._orphan_files = orphan_files

    def lookup(self, livy_url: str | None, session_id: int | str) -> dict[str, Any] | None:
        """``{"path": ..., "kernel_id": ...}`` of the kernel that created this session."""
        try:
            sid = int(session_id)
        except (TypeError, ValueError):
            return None
        hit = self._by_session.get((normalize_livy_url(livy_url), sid))
        return dict(hit) if hit is not None else None

    def orphan_lookup(self, livy_url: str | None, session_id: int) -> dict[str, Any] | None:
        """``{"path": ..., "kernel_id": ...}`` of the kernel that created this session and no
        longer runs: it died, or this server was restarted without it."""
        hit = self._orphans.get((normalize_livy_url(livy_url), session_id))
        return dict(hit) if hit is not None else None

    def prune(self, livy_url: str | None, listed: set[int]) -> None:
        """Delete the records of gone kernels whose sessions this Livy no longer lists: Livy
        reuses ids after a restart, and a new session must not pass for an old orphan."""
        url = normalize_livy_url(livy_url)
        for name, entries in self._orphan_files.items():
            if all(u == url and sid not in listed for u, sid in entries):
                with contextlib.suppress(OSError):
                    os.unlink(self.directory / name)

    def livy_urls(self) -> set[str]:
        """The Livy URLs (normalized) of every session recorded, orphans' included."""
        return {url for url, _ in (*self._by_session, *self._orphans) if url}

    def sessions_of_kernel(self, kernel_id: str) -> list[dict[str, Any]]:
        """The live Livy sessions ``[{"livy_url", "session_id", ...}]`` of one kernel."""
        rec = self._by_kernel.get(kernel_id)
        if rec is None:
            return []
        entries = rec.get("sessions")
        if not isinstance(entries, list) or not entries:
            entries = [{"livy_url": rec.get("livy_url"), "session_id": rec.get("session_id")}]
        return [dict(e) for e in entries if isinstance(e, dict)]

    def records(self) -> list[dict[str, Any]]:
        """The live records (copies), as last refreshed."""
        return [dict(r) for r in self._by_kernel.values()]

    def _parse(self, path: str) -> dict[str, Any] | None:
        self.parse_count += 1
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not _valid_record(data):
            return None
        record: dict[str, Any] = data
        return record

    def _api_path(self, path: Any) -> str | None:
        if not isinstance(path, str) or not path:
            return None
        if self._root and os.path.isabs(path):
            real = os.path.realpath(path)
            try:
                rel = os.path.relpath(real, self._root)
            except ValueError:  # other drive on Windows
                return path
            if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
                return rel.replace(os.sep, "/")
        return path
