"""configure-sparkmagic: merge, chain, backup, undo, idempotence; endpoint defaults."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat

import pytest

from glue_sessions.cli import main
from glue_sessions.kernel import labels
from glue_sessions.kernel.sparkmagic_config import (
    BACKUP_SUFFIX,
    SparkmagicConfigError,
    configure_sparkmagic,
    read_sparkmagic_endpoint,
    sparkmagic_config_path,
    undo_sparkmagic,
)
from glue_sessions.kernel_hook import CHAIN_KEY, HANDLER_CLASS

USER_CONFIG = """{
    "kernel_python_credentials" : {"username": "alice", "password": "pw-123",
                                   "url": "http://livy.corp:8998", "auth": "Basic_Access"},
    "events_handler_class": "mycompany.audit.AuditHandler",
    "session_configs": {"driverMemory": "2g", "conf": {"spark.x": "1"}},
    "wait_for_idle_timeout_seconds": 15
}
"""


@pytest.fixture
def cfg(tmp_path):
    p = tmp_path / "sm" / "config.json"
    p.parent.mkdir()
    p.write_text(USER_CONFIG)
    os.chmod(p, 0o600)
    return p


def load(p):
    return json.loads(p.read_text())


def test_merge_keeps_keys_and_chains(cfg):
    change = configure_sparkmagic(cfg)
    assert change.changed and change.before == "mycompany.audit.AuditHandler"
    data = load(cfg)
    original = json.loads(USER_CONFIG)
    assert data[CHAIN_KEY] == "mycompany.audit.AuditHandler"
    assert data["events_handler_class"] == HANDLER_CLASS
    for k, v in original.items():
        if k != "events_handler_class":
            assert data[k] == v
    assert set(data) == set(original) | {CHAIN_KEY}
    bak = cfg.with_name("config.json" + BACKUP_SUFFIX)
    assert bak.read_text() == USER_CONFIG
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(bak).st_mode) == 0o600
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.json", bak.name]


def test_idempotent(cfg):
    configure_sparkmagic(cfg)
    bak = cfg.with_name(cfg.name + BACKUP_SUFFIX)
    text, bak_text, mtime = cfg.read_text(), bak.read_text(), cfg.stat().st_mtime_ns
    change = configure_sparkmagic(cfg)
    assert not change.changed and "already" in change.message
    assert cfg.read_text() == text and cfg.stat().st_mtime_ns == mtime
    assert bak.read_text() == bak_text == USER_CONFIG


def test_undo_restores_exact_bytes(cfg):
    configure_sparkmagic(cfg)
    change = undo_sparkmagic(cfg)
    assert change.changed and change.after == "mycompany.audit.AuditHandler"
    assert cfg.read_text() == USER_CONFIG
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.json"]
    # undo again: nothing to do
    assert not undo_sparkmagic(cfg).changed
    assert cfg.read_text() == USER_CONFIG


def test_undo_after_user_edits_keeps_them(cfg):
    configure_sparkmagic(cfg)
    data = load(cfg)
    data["livy_session_startup_timeout_seconds"] = 120
    cfg.write_text(json.dumps(data))
    undo_sparkmagic(cfg)
    data = load(cfg)
    assert data["livy_session_startup_timeout_seconds"] == 120
    assert data["events_handler_class"] == "mycompany.audit.AuditHandler"
    assert CHAIN_KEY not in data


def test_no_previous_handler(tmp_path):
    p = tmp_path / "config.json"
    p.write_text('{"wait_for_idle_timeout_seconds": 30}')
    configure_sparkmagic(p)
    data = load(p)
    assert data == {"wait_for_idle_timeout_seconds": 30, "events_handler_class": HANDLER_CLASS}
    p.write_text(json.dumps({**data, "heartbeat_refresh_seconds": 5}))  # edited since
    undo_sparkmagic(p)
    assert load(p) == {"wait_for_idle_timeout_seconds": 30, "heartbeat_refresh_seconds": 5}


def test_missing_file_is_created_and_undo_removes_it(tmp_path):
    p = tmp_path / "new" / "config.json"
    change = configure_sparkmagic(p)
    assert change.changed and change.backup is None
    assert load(p) == {"events_handler_class": HANDLER_CLASS}
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert sorted(x.name for x in p.parent.iterdir()) == ["config.json"]
    undo_sparkmagic(p)
    assert not p.exists()


def test_empty_file_as_sparkmagic_creates_it(tmp_path):
    p = tmp_path / "config.json"
    p.write_text("")
    configure_sparkmagic(p)
    assert load(p)["events_handler_class"] == HANDLER_CLASS
    undo_sparkmagic(p)
    assert p.exists() and p.read_text() == ""


@pytest.mark.parametrize("text", ['{"a": 1,', "[1, 2]", '"x"'])
def test_malformed_config_is_left_alone(tmp_path, text, capsys):
    p = tmp_path / "config.json"
    p.write_text(text)
    with pytest.raises(SparkmagicConfigError):
        configure_sparkmagic(p)
    with pytest.raises(SparkmagicConfigError):
        undo_sparkmagic(p)
    assert p.read_text() == text
    assert main(["configure-sparkmagic", "--config", str(p)]) == 2
    assert "glue-sessions:" in capsys.readouterr().err
    assert p.read_text() == text
    assert sorted(x.name for x in tmp_path.iterdir()) == ["config.json"]


def test_dry_run_writes_nothing(cfg):
    change = configure_sparkmagic(cfg, dry_run=True)
    assert change.changed and change.dry_run and "would" in change.message
    assert cfg.read_text() == USER_CONFIG
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.json"]
    configure_sparkmagic(cfg)
    text = cfg.read_text()
    change = undo_sparkmagic(cfg, dry_run=True)
    assert change.changed and change.dry_run
    assert cfg.read_text() == text


def test_env_locates_the_config(tmp_path, monkeypatch):
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("SPARKMAGIC_CONF_FILE", raising=False)
    assert sparkmagic_config_path() == tmp_path / "d" / "config.json"
    monkeypatch.setenv("SPARKMAGIC_CONF_FILE", "other.json")
    assert sparkmagic_config_path() == tmp_path / "d" / "other.json"
    assert sparkmagic_config_path(tmp_path / "x.json") == tmp_path / "x.json"
    monkeypatch.delenv("SPARKMAGIC_CONF_DIR")
    monkeypatch.delenv("SPARKMAGIC_CONF_FILE")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert sparkmagic_config_path() == tmp_path / "home" / ".sparkmagic" / "config.json"


def test_cli(cfg, capsys):
    assert main(["configure-sparkmagic", "--config", str(cfg), "--dry-run"]) == 0
    assert cfg.read_text() == USER_CONFIG
    assert main(["configure-sparkmagic", "--config", str(cfg)]) == 0
    assert main(["configure-sparkmagic", "--config", str(cfg)]) == 0
    assert main(["configure-sparkmagic", "--config", str(cfg), "--undo"]) == 0
    out = capsys.readouterr().out
    assert "would set" in out and "already configured" in out and "restored" in out
    assert "pw-123" not in out
    assert cfg.read_text() == USER_CONFIG
    with pytest.raises(SystemExit):
        main([])


def test_sparkmagic_reads_the_result_and_builds_our_handler(cfg, monkeypatch, tmp_path):
    """sparkmagic's own loader and handler factory accept what we wrote."""
    hconf = pytest.importorskip("hdijupyterutils.configuration")
    conf = pytest.importorskip("sparkmagic.utils.configuration")
    from sparkmagic.utils.sparkevents import get_spark_events_handler

    from glue_sessions.kernel_hook import KernelSessionRecorder

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    configure_sparkmagic(cfg)
    loaded = hconf._load(str(cfg))
    loaded["logging_config"] = {"version": 1}
    saved = dict(conf.d)
    conf.override_all(loaded)
    try:
        handler = get_spark_events_handler()
        assert isinstance(handler, KernelSessionRecorder)
        assert handler.chained is None  # mycompany.audit is not importable: logged, not raised
        assert conf.base64_kernel_python_credentials()["url"] == "http://livy.corp:8998"
    finally:
        conf.override_all(saved)


# --------------------------------------------------------------------------- endpoint


def fields(ep) -> tuple[str, str, str, str]:
    """What an endpoint read from sparkmagic's config holds: URL, auth, username, password."""
    return (ep.url, ep.auth, ep.username, ep.password)


def test_endpoint_from_config(cfg, caplog):
    caplog.set_level(logging.DEBUG)
    ep = read_sparkmagic_endpoint(cfg)
    assert fields(ep) == ("http://livy.corp:8998", "Basic_Access", "alice", "pw-123")
    assert "pw-123" not in repr(ep)
    assert "pw-123" not in caplog.text


def test_endpoint_defaults(tmp_path):
    ep = read_sparkmagic_endpoint(tmp_path / "missing.json")
    assert fields(ep) == ("http://localhost:8998", "None", "", "")
    p = tmp_path / "c.json"
    p.write_text('{"kernel_scala_credentials": {"url": "http://elsewhere:1"}}')
    assert read_sparkmagic_endpoint(p).url == "http://localhost:8998"


def test_endpoint_base64_password_and_derived_auth(tmp_path):
    p = tmp_path / "c.json"
    b64 = base64.b64encode(b"s3cr3t").decode()
    p.write_text(
        json.dumps(
            {
                "kernel_python_credentials": {
                    "username": "bob",
                    "base64_password": b64,
                    "url": "https://livy:8998/",
                }
            }
        )
    )
    ep = read_sparkmagic_endpoint(p)
    assert fields(ep) == ("https://livy:8998", "Basic_Access", "bob", "s3cr3t")


def test_endpoint_credentials_in_url(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('{"kernel_python_credentials": {"url": "http://u%40x:p%3Aw@h:8998"}}')
    ep = read_sparkmagic_endpoint(p)
    assert fields(ep) == ("http://h:8998", "Basic_Access", "u@x", "p:w")


def test_endpoint_malformed_config_logs_no_secret(tmp_path, caplog):
    p = tmp_path / "c.json"
    p.write_text('{"kernel_python_credentials": {"password": "topsecret", ')
    ep = read_sparkmagic_endpoint(p)
    assert ep.url == "http://localhost:8998"
    assert "topsecret" not in caplog.text
    assert "malformed" in caplog.text


def test_owner_labels_opt_in_from_the_cli(cfg, capsys, monkeypatch):
    monkeypatch.setattr(labels, "default_owner", lambda: "ec2-user@nb-1")
    assert main(["configure-sparkmagic", "--config", str(cfg)]) == 0
    assert labels.CONFIG_KEY not in load(cfg)  # not without asking
    bak = cfg.with_name(cfg.name + BACKUP_SUFFIX)
    assert main(["configure-sparkmagic", "--config", str(cfg), "--owner-label"]) == 0
    assert load(cfg)[labels.CONFIG_KEY] == {"owner": "ec2-user@nb-1", "notebook": False}
    assert bak.read_text() == USER_CONFIG  # the backup is still the user's own config
    args = ["--owner-label", "alice", "--label-notebook"]
    assert main(["configure-sparkmagic", "--config", str(cfg), *args]) == 0
    assert load(cfg)[labels.CONFIG_KEY] == {"owner": "alice", "notebook": True}
    assert main(["configure-sparkmagic", "--config", str(cfg), *args]) == 0
    assert "already configured" in capsys.readouterr().out
    assert main(["configure-sparkmagic", "--config", str(cfg), "--label-notebook"]) == 2
    assert main(["configure-sparkmagic", "--config", str(cfg), "--undo"]) == 0
    assert labels.CONFIG_KEY not in load(cfg)


def test_labels_read_back_as_bounded_text():
    conf = {labels.OWNER_KEY: "bob\x1b[31m\n" + "y" * 500, labels.NOTEBOOK_KEY: 7}
    read = labels.labels_from_conf(conf)
    assert read.owner == ("bob[31m" + "y" * 500)[: labels.MAX_LABEL]
    assert read.notebook is None
    assert labels.labels_from_conf("not a dict") == labels.Labels()
    assert labels.session_conf({"owner": "a", "notebook": True}, None) == {labels.OWNER_KEY: "a"}
    assert labels.session_conf(["garbage"], "x.ipynb") == {}
