"""sparkmagic events handler that tells the Jupyter server which Livy session a kernel owns.

Configure it in sparkmagic's config.json (``glue-sessions configure-sparkmagic`` does it)::

    "events_handler_class": "glue_sessions.kernel_hook.KernelSessionRecorder"

How sparkmagic uses it (sparkmagic/utils/sparkevents.py, hdijupyterutils/events.py):
``get_spark_events_handler()`` instantiates the class as ``cls(logger_name, logging_config)``
once per ``SparkEvents()`` (every LivySession, the kernel magics, autoviz...), and every
``emit_*`` method ends in ``handler.handle_event(kwargs_list)`` where ``kwargs_list`` is a
list of ``(key, value)`` pairs: InstanceId, EventName, Timestamp, SessionGuid, LivyKind,
SessionId, Status, Success, ... The events carry no Livy URL: we take it from the emitting
``LivySession`` (``self.endpoint.url``) found on the call stack, by its guid.

All state is per process (one kernel), shared by every handler instance: the kernel's record
(glue_sessions.kernel.record), updated on each session creation/deletion and removed at kernel
exit. Nothing here ever raises into sparkmagic. The user's previous handler (config key
``glue_sessions_chained_events_handler_class``, default sparkmagic's own EventsHandler)
receives every event too.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from types import FrameType
from typing import Any

from .kernel import labels
from .kernel.record import KernelState, kernel_state

log = logging.getLogger(__name__)


def _log_exception(msg: str, *args: Any) -> None:
    # sparkmagic's Log calls logging.config.dictConfig(logging_config) for every logger it
    # makes (hdijupyterutils/log.py), which disables every existing logger not named in it
    log.disabled = False
    log.exception(msg, *args)


HANDLER_CLASS = "glue_sessions.kernel_hook.KernelSessionRecorder"
CHAIN_KEY = "glue_sessions_chained_events_handler_class"
DEFAULT_EVENTS_HANDLER_CLASS = "hdijupyterutils.eventshandler.EventsHandler"

# event names and keys: sparkmagic/utils/constants.py, hdijupyterutils/constants.py
EVENT_NAME = "EventName"
SESSION_CREATION_START = "notebookSessionCreationStart"
SESSION_CREATION_END = "notebookSessionCreationEnd"
SESSION_DELETION_END = "notebookSessionDeletionEnd"
SESSION_GUID = "SessionGuid"
SESSION_ID = "SessionId"
LIVY_KIND = "LivyKind"
SUCCESS = "Success"

_KIND_CREDENTIALS = {
    "pyspark": "base64_kernel_python_credentials",
    "spark": "base64_kernel_scala_credentials",
    "sparkr": "base64_kernel_r_credentials",
}


def _sparkmagic_conf() -> Any:
    try:
        import sparkmagic.utils.configuration as conf

        conf.events_handler_class()  # makes sure conf.d is loaded from the config file
        return conf
    except Exception:
        return None


def chained_handler_class_name() -> str | None:
    """The handler class to chain to: our config key, else sparkmagic's default."""
    conf = _sparkmagic_conf()
    name = None
    if conf is not None:
        name = getattr(conf, "d", {}).get(CHAIN_KEY)
    if not name or not isinstance(name, str):
        name = DEFAULT_EVENTS_HANDLER_CLASS
    if name == HANDLER_CLASS:
        name = DEFAULT_EVENTS_HANDLER_CLASS
    return name


def _load_class(dotted: str) -> type[Any]:
    module, cls_name = dotted.rsplit(".", 1)
    cls: type[Any] = getattr(importlib.import_module(module), cls_name)
    return cls


def _event_dict(kwargs_list: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in kwargs_list or ():
        try:
            key, value = item
        except (TypeError, ValueError):
            continue
        out[key] = value
    return out


def _session_from_stack(guid: str | None, max_depth: int = 16) -> Any:
    """The LivySession with this guid among the callers (LivySession.start/delete
    -> SparkEvents.emit_* -> Events.send_to_handler -> handle_event)."""
    if not guid:
        return None
    frame: FrameType | None = sys._getframe(1)
    depth = 0
    while frame is not None and depth < max_depth:
        obj = frame.f_locals.get("self")
        obj_guid = getattr(obj, "guid", None) if obj is not None else None
        if obj is not None and obj_guid is not None and str(obj_guid) == guid:
            return obj
        frame = frame.f_back
        depth += 1
    return None


def _url_of(session: Any) -> str | None:
    try:
        url = session.endpoint.url
    except Exception:
        return None
    return url if isinstance(url, str) and url else None


def _add_labels(session: Any, notebook_path: str | None) -> None:
    """Owner labels (opt-in, see glue_sessions.kernel.labels) into the conf of a session about to be
    created: LivySession.start() emits the creation-start event just before it posts
    `self.properties`, so even a session a %%configure -f cell recreates carries them."""
    conf = _sparkmagic_conf()
    settings = getattr(conf, "d", {}).get(labels.CONFIG_KEY) if conf is not None else None
    entries = labels.session_conf(settings, notebook_path)
    properties = getattr(session, "properties", None)
    if not entries or not isinstance(properties, dict):
        return
    session_conf = properties.get("conf")
    if not isinstance(session_conf, dict):
        session_conf = properties["conf"] = {}
    for key, value in entries.items():
        session_conf.setdefault(key, value)  # a label the cell set itself wins


def _record_once_posted(
    session: Any, state: KernelState, url: str | None, kind: str | None, guid: str | None
) -> None:
    """Record the session as soon as Livy has given it an id. LivySession.start() posts it,
    sets its id, then waits for it to be idle, for minutes when the endpoint has no room for
    its driver, and emits no event in between: the first call of its `wait_for_idle` is that
    moment. Recorded then, the server can tell the notebook why it is not starting yet."""
    original = getattr(session, "wait_for_idle", None)
    if not callable(original) or "wait_for_idle" in getattr(session, "__dict__", {}):
        return

    def wait_for_idle(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(AttributeError):
            del session.wait_for_idle  # once: later waits are sparkmagic's own
        try:
            session_id = int(session.id)
            if session_id >= 0:
                state.add(url, session_id, kind, guid)
        except Exception:
            _log_exception("glue-sessions: failed to record a starting session")
        return original(*args, **kwargs)

    with contextlib.suppress(Exception):
        session.wait_for_idle = wait_for_idle


def _url_from_config(kind: Any) -> str | None:
    conf = _sparkmagic_conf()
    fn = getattr(conf, _KIND_CREDENTIALS.get(str(kind), "base64_kernel_python_credentials"), None)
    if fn is None:
        return None
    try:
        url = fn().get("url")
    except Exception:
        return None
    return url.rstrip("/") if isinstance(url, str) and url else None


class KernelSessionRecorder:
    """sparkmagic ``events_handler_class`` recording this kernel's Livy sessions.

    ``KernelSessionRecorder(logger_name, logging_config)`` is how sparkmagic builds it;
    ``state`` and ``chained`` are for tests (``chained=None`` disables chaining).
    """

    _NO_CHAIN: Any = object()

    def __init__(
        self,
        logger_name: str | None = None,
        logging_config: dict[str, Any] | None = None,
        *,
        state: KernelState | None = None,
        chained: Any = _NO_CHAIN,
    ) -> None:
        self._state = state
        if chained is KernelSessionRecorder._NO_CHAIN:
            chained = self._make_chained(logger_name, logging_config)
        self.chained = chained
        try:  # create the state early: cleans a stale record of a previous kernel process
            self.state  # noqa: B018
        except Exception:
            _log_exception("glue-sessions: cannot initialise the kernel session record")

    @property
    def state(self) -> KernelState:
        if self._state is None:
            self._state = kernel_state()
        return self._state

    @staticmethod
    def _make_chained(logger_name: Any, logging_config: Any) -> Any:
        name = None
        try:
            name = chained_handler_class_name()
            if not name:
                return None
            cls = _load_class(name)
            if cls is KernelSessionRecorder or (
                isinstance(cls, type) and issubclass(cls, KernelSessionRecorder)
            ):
                return None
            return cls(logger_name, logging_config)
        except Exception:
            _log_exception("glue-sessions: cannot create chained events handler %r", name)
            return None

    def handle_event(self, kwargs_list: Any) -> None:
        try:
            self._record(_event_dict(kwargs_list))
        except Exception:
            _log_exception("glue-sessions: failed to record a sparkmagic event")
        if self.chained is not None:
            try:
                self.chained.handle_event(kwargs_list)
            except Exception:
                _log_exception("glue-sessions: chained events handler failed")

    def _record(self, event: dict[str, Any]) -> None:
        name = event.get(EVENT_NAME)
        if name not in (SESSION_CREATION_START, SESSION_CREATION_END, SESSION_DELETION_END):
            return
        guid = event.get(SESSION_GUID)
        guid = str(guid) if guid is not None else None  # sparkmagic passes a uuid.UUID
        kind = event.get(LIVY_KIND)
        kind = str(kind) if kind is not None else None
        state = self.state
        session = _session_from_stack(guid)
        url = (_url_of(session) or state.guid_urls.get(guid)) if guid else None
        if name == SESSION_CREATION_START:
            if url and guid:
                state.guid_urls[guid] = url
            if session is not None:
                _add_labels(session, state.notebook_path)
                _record_once_posted(session, state, url or _url_from_config(kind), kind, guid)
            return
        if url is None:
            url = _url_from_config(kind)
        try:
            session_id = int(event[SESSION_ID])
        except KeyError:
            return
        except (TypeError, ValueError):
            return
        if session_id < 0:
            return
        if event.get(SUCCESS) is not True:
            if name == SESSION_CREATION_END:  # recorded while it started: it never will
                state.remove(url, session_id, guid)
            return
        if name == SESSION_CREATION_END:
            state.add(url, session_id, kind, guid)
        else:
            state.remove(url, session_id, guid)
            if guid:
                state.guid_urls.pop(guid, None)
