"""What the kernel-hook tests (tests/test_kernel_hook*.py) drive the recorder with: sparkmagic's
session events as sparkmagic builds them, a stand-in for its LivySession, the kernel's state,
and user events handlers the recorder chains to (module gs_test_chain)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

from glue_sessions.kernel.record import KernelState

NULL_LOGGING = {
    "version": 1,
    "handlers": {"magicsHandler": {"class": "logging.NullHandler"}},
    "loggers": {"magicsLogger": {"handlers": ["magicsHandler"], "level": "DEBUG", "propagate": 0}},
}


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


def kernel_state(tmp_path: Path) -> KernelState:
    """The state of kernel k-1 (notebook /home/u/work/etl.ipynb), its records under tmp_path."""
    return KernelState(
        kernel_id="k-1",
        notebook_path="/home/u/work/etl.ipynb",
        directory=tmp_path / "kernels",
        register_atexit=False,
    )


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


def install_chain_module(monkeypatch) -> types.ModuleType:
    """Module gs_test_chain, with the handlers above, importable for the test's duration."""
    mod = types.ModuleType("gs_test_chain")
    mod.RecordingHandler = RecordingHandler
    mod.FailingHandler = FailingHandler
    monkeypatch.setitem(sys.modules, "gs_test_chain", mod)
    RecordingHandler.instances.clear()
    return mod
