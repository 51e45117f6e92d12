"""sagemaker/on-start.sh alone on a simulated SageMaker notebook instance (sagemaker_instance.py):
the first run installs, configures sparkmagic and restarts Jupyter, whose server then shows the
endpoint's size; a second run changes nothing; ACTION=uninstall, in the background, restores
the instance.

The instance's life is one test on a fresh instance of its own, its steps called in order (each
needs the state the one before left), so it depends on no other test nor on their order.
"""

from __future__ import annotations

import json

import pytest
from sagemaker_instance import (
    AL2_OS_RELEASE,
    Instance,
)
from sagemaker_jupyter import jupyter_server, state_of, wait_for_log

from glue_sessions.kernel_hook import HANDLER_CLASS

AL1_OS_RELEASE = (
    'NAME="Amazon Linux AMI"\nVERSION="2018.03"\nID="amzn"\n'
    'HOME_URL="http://aws.amazon.com/amazon-linux-ami/"\n'
)

pytestmark = [pytest.mark.timeout(1500), pytest.mark.install]


def first_run_installs_configures_and_restarts(instance: Instance) -> None:
    result = instance.run()
    log = instance.log.read_text()
    assert result.stdout.strip() and result.stdout in log  # the run's part, for CloudWatch
    assert "install finished" in log and "WITH ERRORS" not in log, log
    assert "kernel pysparkkernel: imports glue_sessions.kernel_hook" in log
    assert instance.recorded_calls() == ["systemctl --no-block restart jupyter-server.service"]

    # the package, in the environment (not the user's site)
    found = instance.python("import glue_sessions, sys; print(glue_sessions.__file__)")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith(str(instance.env)), found.stdout

    # where the server takes the endpoint's size from
    assert json.loads(instance.settings.read_text()) == {
        "GlueSessions": {
            "aws_cli": str(instance.bin / "aws"),
            "dev_endpoint_name": "team-dev",
            "notebook_instance_metadata": str(instance.metadata),
            "reapply_sparkmagic_hook": True,
        }
    }
    # sparkmagic: the hook in, the user's keys kept, the file still the user's
    config = json.loads(instance.sparkmagic.read_text())
    original = json.loads(instance.original_sparkmagic)
    assert config["events_handler_class"] == HANDLER_CLASS
    assert {k: v for k, v in config.items() if k != "events_handler_class"} == original
    for path in (instance.sparkmagic, instance.settings, instance.env / "bin/glue-sessions"):
        assert path.stat().st_uid == instance.user.pw_uid, path
    assert instance.sparkmagic.stat().st_mode & 0o777 == 0o600

    # Jupyter as the restart brings it up: the extension answers while Livy is still down,
    # with the Livy URL of the user's sparkmagic config, then shows the endpoint's size, read
    # by the server with the AWS CLI.
    with jupyter_server(instance) as snapshot_when:
        down = snapshot_when(lambda s: s["endpoint"]["polled_at"])
        assert down["endpoint"]["reachable"] is False
        assert down["endpoint"]["url"] == instance.livy.url
        instance.livy.start()
        up = snapshot_when(
            lambda s: s["endpoint"]["reachable"] and (s["cluster"] or {}).get("workers") == 7
        )
    cluster = up["cluster"]
    assert cluster["source"] == "worker-type"
    assert (cluster["worker_type"], cluster["workers"]) == ("G.2X", 7)
    assert cluster["max_executors"] == 6  # G.2X: NumberOfWorkers - 1
    assert up["sessions"] == []
    assert instance.recorded_calls()[1:] == [
        "aws glue get-dev-endpoint --endpoint-name team-dev --output json --region eu-west-1"
    ]


def second_run_changes_nothing(instance: Instance) -> None:
    before, calls_before = state_of(instance), instance.recorded_calls()
    instance.run()
    assert state_of(instance) == before
    assert instance.recorded_calls() == calls_before  # no AWS call, no restart
    assert instance.log.read_text().rstrip().endswith("install finished")
    assert "nothing changed" in instance.log.read_text().splitlines()[-2]


def uninstall_in_the_background_restores_the_instance(instance: Instance) -> None:
    calls_before = instance.recorded_calls()
    instance.os_release.write_text(AL1_OS_RELEASE)  # and the older restart, on Amazon Linux 1
    try:
        result = instance.run(ACTION="uninstall", WAIT_UNTIL="0")
        assert result.seconds < 10  # type: ignore[attr-defined]
        assert "still working in the background" in result.stdout
        log = wait_for_log(instance, r"uninstall finished")
    finally:
        instance.os_release.write_text(AL2_OS_RELEASE)
    assert "WITH ERRORS" not in log.split("uninstall:")[-1], log

    assert instance.sparkmagic.read_bytes() == instance.original_sparkmagic
    assert instance.sparkmagic.stat().st_uid == instance.user.pw_uid
    assert not instance.sparkmagic.with_name("config.json.glue-sessions.bak").exists()
    assert not instance.settings.exists()
    assert instance.python("import glue_sessions").returncode != 0
    assert not (instance.env / "share/jupyter/labextensions/glue-sessions").exists()
    assert not (instance.env / "etc/jupyter/jupyter_server_config.d/glue_sessions.json").exists()
    assert instance.recorded_calls()[len(calls_before) :] == [
        "initctl restart jupyter-server --no-wait"
    ]


def test_a_plain_instance_installed_run_again_and_uninstalled(instance):
    """A notebook instance's life with the lifecycle script alone, each step on the state the one
    before left (a fresh instance of its own)."""
    first_run_installs_configures_and_restarts(instance)
    second_run_changes_nothing(instance)
    uninstall_in_the_background_restores_the_instance(instance)
