"""A notebook created by AWS Glue on a simulated SageMaker notebook instance
(sagemaker_instance.py), started with the combined lifecycle script of docs/install.md
(on-start.sh and a stand-in of AWS Glue's script pasted where it says).

Its life: Glue's script as Create notebook, the combined script at the first and a later start,
the dev endpoint found from the instance's tag and switched in the console, Glue's config copied
over ours (the server puts the hook back), a start where Glue's script runs in full after ours,
a kernel whose Python lacks the package, then the EMR block of docs/install.md and pip behind a
proxy that only ec2-user's ~/.profile knows.

The life is one test on a fresh instance of its own, its steps called in order (each needs the
state the one before left), so it depends on no other test nor on their order.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from lifecycle_emr import emr_block_of_the_docs
from sagemaker_instance import (
    DEV_ENDPOINT,
    SAGEMAKER_PATH,
    TAGS,
    Instance,
    notebook_user_and_python,
)
from sagemaker_jupyter import jupyter_server, state_of, wait_for_log
from test_wheel import new_venv

from emulator.loopback import LoopbackServer, QuietHandler
from glue_sessions.kernel import labels
from glue_sessions.kernel_hook import HANDLER_CLASS

# Where Glue's script runs. Not "/": with SageMaker's PATH (its relative "bin") bash remembers
# `mkdir` as bin/mkdir there, and Glue's own script fails after its `cd`; so on a real instance
# lifecycle scripts cannot start in "/" (which directory they start in is not documented).
GLUE_CWD = "/tmp"

pytestmark = [pytest.mark.timeout(1500), pytest.mark.install]


def hook_of(instance: Instance) -> object:
    return json.loads(instance.sparkmagic.read_text()).get("events_handler_class")


def without_hook(instance: Instance) -> dict:
    """sparkmagic's config without what ours adds: the hook and the owner labels' settings."""
    config = json.loads(instance.sparkmagic.read_text())
    config.pop("events_handler_class", None)
    config.pop(labels.CONFIG_KEY, None)
    return config


GLUE_OWNER_LABELS = {"OWNER_LABEL": "alice", "LABEL_NOTEBOOK": "1"}
OWNER_LABELS_WRITTEN = {"owner": "alice", "notebook": True}


def run_glue_create_script(instance: Instance) -> None:
    """Create notebook: Glue's script alone, as Glue wrote it."""
    script = instance.root / "glue-on-create.sh"
    script.write_text(instance.glue_script())
    done = subprocess.run(
        ["bash", str(script)],
        env={"PATH": f"{instance.bin}:{SAGEMAKER_PATH}:/bin", "LANG": "C.UTF-8"},
        cwd=GLUE_CWD,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def start_with_combined_script(
    instance: Instance, glue_pause: int | str = 2, **variables: str
) -> str:
    """Start notebook: the combined script, with owner labels on (OWNER_LABEL and
    LABEL_NOTEBOOK set where it says "set these"); returns the log of its background work."""
    since = instance.log_size()
    variables = {"DEV_ENDPOINT_NAME": "", **GLUE_OWNER_LABELS, **variables}
    result = instance.run(script=instance.combined_script(glue_pause), cwd=GLUE_CWD, **variables)
    if isinstance(glue_pause, int):  # Glue's part is not held up by ours
        assert result.seconds < 60  # type: ignore[attr-defined]
    assert "still working in the background" in result.stdout
    return wait_for_log(instance, r"install finished", since=since)


def glue_notebook_first_start(instance: Instance) -> None:
    instance.livy.start()  # the endpoint behind Glue's tunnel
    for path in (instance.glue_ready, instance.settings):
        path.unlink(missing_ok=True)
    instance.sparkmagic.write_bytes(instance.original_sparkmagic)  # SageMaker's, before Glue
    run_glue_create_script(instance)
    assert instance.glue_ready.exists() and hook_of(instance) is None
    calls_before = instance.recorded_calls()

    log = start_with_combined_script(instance)
    assert "WITH ERRORS" not in log, log
    # the hook in Glue's config, Glue's keys kept
    assert hook_of(instance) == HANDLER_CLASS
    assert without_hook(instance) == json.loads(instance.glue_config())
    labelled = json.loads(instance.sparkmagic.read_text())[labels.CONFIG_KEY]
    assert labelled == OWNER_LABELS_WRITTEN
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid
    # nothing set by hand: the server reads the tag
    assert json.loads(instance.settings.read_text()) == {
        "GlueSessions": {
            "aws_cli": str(instance.bin / "aws"),
            "discover_dev_endpoint": True,
            "label_notebook": True,
            "notebook_instance_metadata": str(instance.metadata),
            "owner_label": "alice",
            "reapply_sparkmagic_hook": True,
        }
    }
    assert instance.restarts_since(calls_before) == [
        "systemctl --no-block restart jupyter-server.service"
    ]


def glue_endpoint_from_the_tag_and_switched_in_the_console(instance: Instance) -> None:
    calls_before = instance.recorded_calls()
    with jupyter_server(instance) as snapshot_when:
        up = snapshot_when(lambda s: (s["cluster"] or {}).get("workers") == 7)
    assert up["cluster"]["worker_type"] == "G.2X"
    arn = "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/team"
    assert instance.recorded_calls()[len(calls_before) :] == [
        f"aws sagemaker list-tags --resource-arn {arn} --output json --region eu-west-1",
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1",
    ]
    # "Switch dev endpoint" in the Glue console: another tag value; a restart picks it up
    switched = {"DevEndpoint": {"EndpointName": "other-dev", "WorkerType": "G.1X",
                                "NumberOfWorkers": 3}}  # fmt: skip
    instance.answer({"Tags": [{"Key": "aws-glue-dev-endpoint", "Value": "other-dev"}]}, switched)
    try:
        with jupyter_server(instance) as snapshot_when:
            up = snapshot_when(lambda s: (s["cluster"] or {}).get("workers") == 3)
            log = snapshot_when.log.read_text()  # type: ignore[attr-defined]
        assert up["cluster"]["worker_type"] == "G.1X"
        assert "dev endpoint 'other-dev' (from the tag): 3 workers of type G.1X" in log
        assert instance.recorded_calls()[-1].startswith(
            "aws glue get-dev-endpoint --endpoint-name other-dev "
        )
    finally:
        instance.answer(TAGS, DEV_ENDPOINT)


def glue_notebook_later_start_changes_nothing(instance: Instance) -> None:
    before, calls_before = state_of(instance), instance.recorded_calls()
    log = start_with_combined_script(instance)  # glue_ready is there: Glue's part exits early
    assert "nothing changed" in log and "WITH ERRORS" not in log, log
    assert state_of(instance) == before
    assert instance.restarts_since(calls_before) == []


def glue_config_copied_over_ours_is_repaired_at_the_server_start(instance: Instance) -> None:
    # what Glue's script does on a start where it runs in full, or its daemons, after ours
    shutil.copyfile(instance.glue_assets / "config.json", instance.sparkmagic)
    assert hook_of(instance) is None
    with jupyter_server(instance) as snapshot_when:
        snapshot_when(lambda s: s["endpoint"]["polled_at"])
        deadline = time.monotonic() + 60
        while hook_of(instance) != HANDLER_CLASS and time.monotonic() < deadline:
            time.sleep(0.5)
        log = snapshot_when.log.read_text()  # type: ignore[attr-defined]
    assert hook_of(instance) == HANDLER_CLASS, log
    assert without_hook(instance) == json.loads(instance.glue_config())
    # and the owner labels with it, from the settings OWNER_LABEL wrote
    labelled = json.loads(instance.sparkmagic.read_text())[labels.CONFIG_KEY]
    assert labelled == OWNER_LABELS_WRITTEN
    assert f"glue-sessions: set {instance.sparkmagic}: events_handler_class" in log
    assert "kernel pysparkkernel: imports glue_sessions.kernel_hook" in log
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid


def glue_start_where_glues_script_runs_in_full_after_ours(instance: Instance) -> None:
    # a start where glue_ready is gone (a rebuilt home): Glue's script copies its config again,
    # after ours has started; ours waits for glue_ready, then hooks that config
    instance.glue_ready.unlink()
    instance.sparkmagic.write_bytes(instance.original_sparkmagic)
    calls_before = instance.recorded_calls()
    # Glue's part takes its time: here until ours waits for it (a fixed pause would race
    # ours under load, whose pip step can outlast it).
    until_ours_waits = (
        f"for _ in $(seq 1 240); do grep -q 'waiting for' {instance.log} && break; sleep 1; done"
    )
    log = start_with_combined_script(instance, glue_pause=until_ours_waits)
    assert "WITH ERRORS" not in log, log
    waiting = log.index(f"waiting for {instance.glue_ready}")
    hooked = log.index(f"set {instance.sparkmagic}: events_handler_class")
    restarted = log.index("restarting the Jupyter server")
    assert waiting < hooked < restarted, log
    assert instance.glue_ready.exists()
    assert hook_of(instance) == HANDLER_CLASS
    assert without_hook(instance) == json.loads(instance.glue_config())
    assert instance.restarts_since(calls_before) == [
        "systemctl --no-block restart jupyter-server.service"
    ]


def kernel_whose_python_lacks_the_package_leaves_the_config_alone(instance: Instance) -> None:
    python = notebook_user_and_python()[1]
    kernel_env = instance.root / "kernel-env"  # a conda env of the user's, without glue-sessions
    new_venv(kernel_env, python)
    kernel = instance.home / ".local/share/jupyter/kernels/sparkkernel"
    kernel.mkdir(parents=True)
    argv = [str(kernel_env / "bin/python"), "-m", "sparkmagic.kernels.sparkkernel.sparkkernel"]
    (kernel / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Spark"}))
    shutil.copyfile(instance.glue_assets / "config.json", instance.sparkmagic)
    try:
        log = start_with_combined_script(instance)
        assert "kernel sparkkernel cannot import glue_sessions.kernel_hook" in log, log
        assert "No module named 'glue_sessions'" in log
        assert f"{instance.sparkmagic} left alone: kernel(s) sparkkernel" in log
        assert "WARNING: sparkmagic hook not written everywhere" in log
        assert "WITH ERRORS" not in log
        assert instance.sparkmagic.read_bytes() == instance.glue_config()
        with jupyter_server(instance) as snapshot_when:  # nor does the server write it
            snapshot_when(lambda s: s["endpoint"]["polled_at"])
            deadline = time.monotonic() + 60
            server_log = snapshot_when.log  # type: ignore[attr-defined]
            while "left alone" not in server_log.read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert "left alone: kernel(s) sparkkernel" in server_log.read_text()
        assert instance.sparkmagic.read_bytes() == instance.glue_config()
    finally:
        shutil.rmtree(instance.home / ".local/share/jupyter/kernels", ignore_errors=True)


class ProxiedIndex(LoopbackServer):
    """An HTTP proxy that is also the only way to a package index (pypi.internal.invalid
    resolves nowhere): it serves the wheel and records what it was asked."""

    HOST = "pypi.internal.invalid"

    def __init__(self, wheel: Path):
        self.requests: list[str] = []
        outer = self

        class Handler(QuietHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                base = f"http://{ProxiedIndex.HOST}"
                if self.path.rstrip("/") == f"{base}/simple/glue-sessions":
                    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
                    link = f'<a href="{base}/files/{wheel.name}#sha256={digest}">{wheel.name}</a>'
                    self.reply(200, f"<html><body>{link}</body></html>".encode(), "text/html")
                elif self.path == f"{base}/files/{wheel.name}":
                    self.reply(200, wheel.read_bytes(), "application/octet-stream")
                else:
                    self.send_error(404)

        super().__init__(Handler)


def pip_uses_the_login_environment_of_the_notebook_user(instance: Instance) -> None:
    since = instance.log_size()
    instance.run(ACTION="uninstall", WAIT_UNTIL="0")
    wait_for_log(instance, r"uninstall finished", since=since)
    assert instance.python("import glue_sessions").returncode != 0

    index = ProxiedIndex(instance.wheel)
    files = {  # as AWS's samples for proxy-only VPCs set it up; .bash_profile as on AL2
        instance.home / ".profile": f"export http_proxy={index.url} https_proxy={index.url}\n",
        instance.home / ".bash_profile": "[ -f ~/.bashrc ] && . ~/.bashrc\n",
        instance.home / ".config/pip/pip.conf": (
            f"[global]\nindex-url = http://{ProxiedIndex.HOST}/simple\n"
            f"trusted-host = {ProxiedIndex.HOST}\n"
        ),
    }
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        since = instance.log_size()
        instance.run(PACKAGE="glue-sessions", inherit=False)  # root's own environment: none
        log = wait_for_log(instance, r"install finished", since=since)
        assert "WITH ERRORS" not in log, log
        assert f"http://{ProxiedIndex.HOST}/files/{instance.wheel.name}" in index.requests
        assert instance.python("import glue_sessions").returncode == 0
    finally:
        index.close()
        for path in files:
            path.unlink(missing_ok=True)


@pytest.mark.timeout(2700)
def test_a_glue_notebooks_life(instance):
    """A notebook created by AWS Glue, started again and again with the combined script of
    docs/install.md, then the EMR block and pip behind a proxy (a fresh instance of its own)."""
    glue_notebook_first_start(instance)
    glue_endpoint_from_the_tag_and_switched_in_the_console(instance)
    glue_notebook_later_start_changes_nothing(instance)
    glue_config_copied_over_ours_is_repaired_at_the_server_start(instance)
    glue_start_where_glues_script_runs_in_full_after_ours(instance)
    kernel_whose_python_lacks_the_package_leaves_the_config_alone(instance)
    emr_block_of_the_docs(instance)
    pip_uses_the_login_environment_of_the_notebook_user(instance)
