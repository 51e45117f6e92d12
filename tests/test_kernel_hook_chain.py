"""The recorder chains to the events handler the user's sparkmagic config named before ours
(CHAIN_KEY): every event reaches it, its failures are contained, and without one (or with one
that does not load) sparkmagic's own default handler, or none, takes its place. No network."""

from __future__ import annotations

import types

import pytest
from kernel_events import (
    NULL_LOGGING,
    FakeSession,
    RecordingHandler,
    creation_end,
    install_chain_module,
    kernel_state,
    read,
)

from glue_sessions import kernel_hook
from glue_sessions.kernel_hook import CHAIN_KEY, HANDLER_CLASS, KernelSessionRecorder


@pytest.fixture
def state(tmp_path):
    return kernel_state(tmp_path)


@pytest.fixture
def chain_module(monkeypatch):
    return install_chain_module(monkeypatch)


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
